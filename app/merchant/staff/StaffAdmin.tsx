"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { errorText } from "@/lib/i18n/labels";
import { useTRPC } from "@/trpc/react";
import { STAFF_ROLES, type StaffRole } from "@/server/staff/roles";
import { newClientKey } from "@/server/catalog/schema";
import type { Translator } from "@/lib/i18n/core";
import { SessionsTable } from "../_components/SessionsTable";

type Pending = { kind: "disable" | "resetPassword" | "resetTotp"; id: number; name: string } | null;
/** A role change waiting for the owner's confirmation: whose, from what, to what. */
type RoleChange = { id: number; name: string; from: StaffRole; to: StaffRole } | null;

/** Roles that can move money or change everything: granting one gets a stronger warning. */
const POWERFUL_ROLES: ReadonlySet<StaffRole> = new Set(["owner", "finance"]);

/** The confirmation of a role change: the question naming the person and both roles, and the warning when the new role is a powerful one. */
export function roleChangeText(t: Translator, c: { name: string; from: StaffRole; to: StaffRole }): { title: string; body: string; warning: string | null } {
  return {
    title: t("m.staff.roleChangeTitle"),
    body: t("m.staff.roleChangeConfirm", { name: c.name, from: t(`m.role.${c.from}`), to: t(`m.role.${c.to}`) }),
    warning: c.to === "owner" ? t("m.staff.roleWarn.owner") : c.to === "finance" ? t("m.staff.roleWarn.finance") : null,
  };
}

export function StaffAdmin({ selfId }: { selfId: number }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.merchantStaff.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.merchantStaff.list.queryKey() });
  const [initial, setInitial] = useState<{ username: string; password: string } | null>(null);
  const [form, setForm] = useState<{ username: string; displayName: string; role: StaffRole }>({ username: "", displayName: "", role: "operator" });
  const [pending, setPending] = useState<Pending>(null);
  const [openSessions, setOpenSessions] = useState<number | null>(null);
  const [roleChange, setRoleChange] = useState<RoleChange>(null);
  // Said after the server saved a role change (cleared by the next one).
  const [roleDone, setRoleDone] = useState<string | null>(null);

  // One key per submission, kept across its retries (a lost answer) so the server makes the account once; a new one after it is made.
  const [inviteKey, setInviteKey] = useState(newClientKey);
  const invite = useMutation(
    trpc.merchantStaff.invite.mutationOptions({
      onSuccess: (r) => (setInviteKey(newClientKey()), setInitial({ username: r.staff.username, password: r.initialPassword }), setForm({ username: "", displayName: "", role: "operator" }), refresh()),
      onError: (e) => {
        // The key already invited someone else, or its invitee has signed in: the list shows the account, and a submission after checking it is a new one.
        if (e.data?.domainCode === "INVITE_KEY_REUSED" || e.data?.domainCode === "INVITE_ALREADY_SIGNED_IN") {
          setInviteKey(newClientKey());
          void refresh();
        }
      },
    }),
  );
  const setRole = useMutation(
    trpc.merchantStaff.setRole.mutationOptions({
      onSuccess: (_r, v) => {
        const s = list.data?.find((x) => x.id === v.id);
        setRoleDone(t("m.staff.roleChangedTo", { name: s?.displayName ?? s?.username ?? "", to: t(`m.role.${v.role}`) }));
        return refresh();
      },
      // A refusal is shown in the alert below; the menu shows the saved role again.
      onError: () => void refresh(),
    }),
  );
  const setDisabled = useMutation(trpc.merchantStaff.setDisabled.mutationOptions({ onSuccess: refresh }));
  const resetPassword = useMutation(
    trpc.merchantStaff.resetPassword.mutationOptions({
      onSuccess: (r, v) => (setInitial({ username: list.data?.find((s) => s.id === v.id)?.username ?? "", password: r.initialPassword }), refresh()),
    }),
  );
  const resetTotp = useMutation(trpc.merchantStaff.resetTotp.mutationOptions({ onSuccess: refresh }));
  const sessions = useQuery({ ...trpc.merchantStaff.sessions.queryOptions({ id: openSessions ?? 0 }), enabled: openSessions !== null });
  const revoke = useMutation(trpc.merchantStaff.revokeSession.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.merchantStaff.sessions.queryKey() }) }));
  const error = invite.error ?? setRole.error ?? setDisabled.error ?? resetPassword.error ?? resetTotp.error ?? revoke.error;
  const fmt = (d: Date | null) => (d ? formatDateTime(d, { timeZone }) : "—");
  const cls = "rounded-md border border-neutral-300 bg-white px-2 py-1.5 text-sm";

  return (
    <div className="space-y-4">
      <form method="post"
        className="flex flex-wrap items-end gap-3 rounded-lg border border-neutral-200 bg-white p-4"
        aria-label={t("m.staff.invite")}
        onSubmit={(e) => {
          e.preventDefault();
          setInitial(null);
          invite.mutate({ ...form, inviteKey });
        }}
      >
        <h2 className="w-full text-sm font-medium">{t("m.staff.invite")}</h2>
        <label className="flex flex-col gap-1 text-xs text-neutral-500">
          {t("m.staff.username")}
          <input name="username" required value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} className={cls} />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-500">
          {t("m.staff.name")}
          <input name="displayName" required value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.target.value })} className={cls} />
        </label>
        <label className="flex flex-col gap-1 text-xs text-neutral-500">
          {t("m.staff.role")}
          <select name="role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as StaffRole })} className={cls}>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`m.role.${r}`)} — {t(`m.staff.roleHelp.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={invite.isPending} className="rounded-md bg-neutral-900 px-4 py-1.5 text-sm text-white">
          {t("m.staff.inviteSubmit")}
        </button>
      </form>

      {initial ? (
        <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm" data-testid="initial-password">
          <p>{t("m.staff.initialPassword")}</p>
          <p className="mt-2 font-mono text-base">
            {initial.username} / <span data-testid="initial-password-value">{initial.password}</span>
          </p>
        </div>
      ) : null}
      {roleDone && !setRole.error ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="role-changed">
          {roleDone}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {errorText(t, error)}
        </p>
      ) : null}

      <div className="overflow-x-auto rounded-lg border border-neutral-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <thead className="bg-neutral-50 text-xs text-neutral-500">
            <tr>
              {(["m.staff.username", "m.staff.name", "m.staff.role", "m.staff.totp", "m.staff.status", "m.staff.lastSignIn", "m.staff.actions"] as const).map((k) => (
                <th key={k} className="whitespace-nowrap px-3 py-2 font-medium">
                  {t(k)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((s) => {
              const locked = s.lockedUntil && new Date(s.lockedUntil) > new Date();
              const totpLocked = s.totpLockedUntil && new Date(s.totpLockedUntil) > new Date();
              return (
                <Fragment key={s.id}>
                  <tr className="border-t border-neutral-100" data-testid="staff-row" data-username={s.username}>
                    <td className="px-3 py-2 font-mono">{s.username}</td>
                    <td className="whitespace-nowrap px-3 py-2">{s.displayName}</td>
                    <td className="px-3 py-2">
                      <select
                        aria-label={`${t("m.staff.role")} ${s.username}`}
                        className="rounded border border-neutral-300 px-1 py-0.5"
                        value={s.role}
                        disabled={s.id === selfId || setRole.isPending}
                        // Nothing is saved until the owner confirms: the menu keeps showing the saved role meanwhile.
                        onChange={(e) => setRoleChange({ id: s.id, name: s.displayName || s.username, from: s.role, to: e.target.value as StaffRole })}
                      >
                        {STAFF_ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`m.role.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td className="px-3 py-2">{s.totpEnabledAt ? "✓" : "—"}</td>
                    <td className="space-x-1 whitespace-nowrap px-3 py-2">
                      {s.disabledAt ? <StatusBadge label={t("m.staff.disabled")} tone="neutral" status="disabled" /> : <StatusBadge label={t("m.staff.enabled")} tone="success" status="enabled" />}
                      {locked ? <StatusBadge label={t("m.staff.locked")} tone="danger" status="locked" /> : null}
                      {totpLocked ? <StatusBadge label={t("m.staff.totpLocked")} tone="danger" status="totp-locked" /> : null}
                      {s.mustChangePassword ? <StatusBadge label={t("m.staff.mustChange")} tone="progress" /> : null}
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 tabular-nums">{fmt(s.lastSignInAt)}</td>
                    <td className="space-x-3 whitespace-nowrap px-3 py-2">
                      {s.id !== selfId ? (
                        <>
                          {s.disabledAt ? (
                            <button type="button" className="text-neutral-700 hover:underline" onClick={() => setDisabled.mutate({ id: s.id, disabled: false })}>
                              {t("m.staff.enable")}
                            </button>
                          ) : (
                            <button type="button" className="text-rose-600 hover:underline" onClick={() => setPending({ kind: "disable", id: s.id, name: s.displayName })}>
                              {t("m.staff.disable")}
                            </button>
                          )}
                          <button type="button" className="text-neutral-700 hover:underline" onClick={() => setPending({ kind: "resetPassword", id: s.id, name: s.displayName })}>
                            {t("m.staff.resetPassword")}
                          </button>
                          {s.totpEnabledAt ? (
                            <button type="button" className="text-neutral-700 hover:underline" onClick={() => setPending({ kind: "resetTotp", id: s.id, name: s.displayName })}>
                              {t("m.staff.resetTotp")}
                            </button>
                          ) : null}
                        </>
                      ) : null}
                      <button type="button" className="text-neutral-700 hover:underline" aria-expanded={openSessions === s.id} onClick={() => setOpenSessions(openSessions === s.id ? null : s.id)}>
                        {t("m.staff.sessions")}
                      </button>
                    </td>
                  </tr>
                  {openSessions === s.id ? (
                    <tr className="bg-neutral-50">
                      <td colSpan={7} className="px-3 py-2">
                        <SessionsTable sessions={sessions.data ?? []} onRevoke={(id) => revoke.mutate({ sessionId: id })} pending={revoke.isPending} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>

      <ConfirmDialog
        open={roleChange !== null}
        title={t("m.staff.roleChangeTitle")}
        body={roleChange ? roleChangeText(t, roleChange).body : null}
        confirmLabel={t("m.staff.roleChangeSubmit")}
        danger={roleChange !== null && POWERFUL_ROLES.has(roleChange.to)}
        onCancel={() => setRoleChange(null)}
        onConfirm={() => {
          if (!roleChange) return;
          setRoleDone(null);
          setRole.mutate({ id: roleChange.id, role: roleChange.to });
          setRoleChange(null);
        }}
      >
        {roleChange && roleChangeText(t, roleChange).warning ? (
          <p className="mt-3 rounded-md bg-rose-50 px-3 py-2 text-sm font-medium text-rose-700" data-testid="role-warning">
            {roleChangeText(t, roleChange).warning}
          </p>
        ) : null}
      </ConfirmDialog>

      <ConfirmDialog
        open={pending !== null}
        title={pending ? t(pending.kind === "disable" ? "m.staff.disable" : pending.kind === "resetPassword" ? "m.staff.resetPassword" : "m.staff.resetTotp") : ""}
        body={pending ? t(pending.kind === "disable" ? "m.staff.disableConfirm" : pending.kind === "resetPassword" ? "m.staff.resetPasswordConfirm" : "m.staff.resetTotpConfirm", { name: pending.name }) : null}
        danger
        onCancel={() => setPending(null)}
        onConfirm={() => {
          if (!pending) return;
          if (pending.kind === "disable") setDisabled.mutate({ id: pending.id, disabled: true });
          if (pending.kind === "resetPassword") resetPassword.mutate({ id: pending.id });
          if (pending.kind === "resetTotp") resetTotp.mutate({ id: pending.id });
          setPending(null);
        }}
      />
    </div>
  );
}
