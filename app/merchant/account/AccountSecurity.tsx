"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import QRCode from "qrcode";
import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { errorText } from "@/lib/i18n/labels";
import { useTRPC } from "@/trpc/react";
import { SessionsTable } from "../_components/SessionsTable";
import { TotpOff } from "./TotpOff";
import { totpOffControl } from "./totp-off";
import { PASSWORD_MIN, PASSWORD_MIN_DISTINCT } from "@/server/staff/password-rules";

const input = "mt-1 w-full rounded-md border border-neutral-300 px-3 py-2 text-sm";
const card = "mb-4 rounded-lg border border-neutral-200 bg-white p-5";

/** `setup`: the page was drawn for a session still finishing set-up (no shell, so the way on is a link here). */
export function AccountSecurity({ setup }: { setup: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const me = useQuery(trpc.staffAccount.me.queryOptions());
  const sessions = useQuery(trpc.staffAccount.sessions.queryOptions());

  const [enrol, setEnrol] = useState<{ secret: string; qr: string } | null>(null);
  const [code, setCode] = useState("");
  const [totpTurnedOff, setTotpTurnedOff] = useState(false);
  const begin = useMutation(
    trpc.staffAccount.beginTotp.mutationOptions({
      onSuccess: async (r) => (setTotpTurnedOff(false), setEnrol({ secret: r.secret, qr: await QRCode.toDataURL(r.uri, { margin: 1, width: 200 }) })),
    }),
  );
  const afterSetupStep = async () => {
    await qc.invalidateQueries();
    const fresh = await qc.fetchQuery(trpc.staffAccount.me.queryOptions());
    // Set-up done: into the back office; the refresh re-renders the shared layout, which now draws the shell.
    if (fresh.ready) router.push("/merchant");
    router.refresh();
  };
  const confirm = useMutation(trpc.staffAccount.confirmTotp.mutationOptions({ onSuccess: async () => (setEnrol(null), setCode(""), await afterSetupStep()) }));

  const [pw, setPw] = useState({ current: "", next: "", confirm: "" });
  const [pwError, setPwError] = useState<string | null>(null);
  const [pwDone, setPwDone] = useState(false);
  const change = useMutation(
    trpc.staffAccount.changePassword.mutationOptions({
      onSuccess: async () => (setPw({ current: "", next: "", confirm: "" }), setPwDone(true), await afterSetupStep()),
    }),
  );
  const revoke = useMutation(trpc.staffAccount.revokeSession.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.staffAccount.sessions.queryKey() }) }));

  if (!me.data) return null;
  const totpOn = Boolean(me.data.totpEnabledAt);
  const offControl = totpOffControl(me.data.role, totpOn, me.data.totpRequiredBy === "shop");
  const fmt = (d: Date) => formatDateTime(d, { timeZone });

  return (
    <div className="max-w-3xl">
      {/* From the refetched account, not the server render: the banner goes the moment set-up is done, while the home page may still load. */}
      {me.data.pending ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-800" data-testid="setup-required">
          {t(me.data.pending === "password-change" ? "m.account.setupPassword" : me.data.totpRequiredBy === "shop" ? "m.account.setupTotpShop" : "m.account.setupTotp")}
        </p>
      ) : setup && me.data.ready ? (
        <p role="status" className="mb-4 flex flex-wrap items-center justify-between gap-3 rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-800" data-testid="setup-done">
          {t("m.account.setupDone")}
          <Link href="/merchant" className="rounded-md bg-neutral-900 px-4 py-1.5 text-white">
            {t("m.account.enterConsole")}
          </Link>
        </p>
      ) : null}
      <section className={card} data-testid="totp-section">
        <h2 className="mb-2 font-medium">{t("m.account.totp")}</h2>
        <p className="text-sm text-neutral-600" data-testid="totp-status">
          {totpOn ? t("m.account.totpOn", { date: fmt(me.data.totpEnabledAt!) }) : t("m.account.totpOff")}
        </p>
        {offControl === "required" ? (
          <p className="mt-1 text-xs text-neutral-500" data-testid="totp-required">
            {t("m.account.totpRequired", { role: t(`m.role.${me.data.role}`) })}
          </p>
        ) : null}
        {offControl === "shop-required" ? (
          <p className="mt-1 text-xs text-neutral-500" data-testid="totp-required">
            {t("m.account.totpRequiredByShop")}
          </p>
        ) : null}
        {offControl === "form" ? (
          // Its other sessions are ended: the sessions table below is read again with the account.
          <TotpOff onDone={async () => (setTotpTurnedOff(true), await qc.invalidateQueries())} />
        ) : null}
        {totpTurnedOff && !totpOn ? (
          <p role="status" className="mt-2 text-sm text-emerald-700" data-testid="totp-off-done">
            {t("m.account.totpDisabled")}
          </p>
        ) : null}
        {!totpOn && !enrol ? (
          <button type="button" className="mt-3 rounded-md bg-neutral-900 px-4 py-2 text-sm text-white" disabled={begin.isPending} onClick={() => begin.mutate()}>
            {t("m.account.totpStart")}
          </button>
        ) : null}
        {enrol ? (
          <form method="post"
            className="mt-3 space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              confirm.mutate({ code });
            }}
          >
            <p className="text-sm text-neutral-600">{t("m.account.totpScan")}</p>
            <div className="flex flex-wrap items-center gap-4">
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={enrol.qr} alt={t("m.account.totpQr")} width={160} height={160} className="rounded border border-neutral-200" />
              <code className="break-all rounded bg-neutral-100 px-2 py-1 text-sm tracking-wider" data-testid="totp-secret">
                {enrol.secret}
              </code>
            </div>
            <label className="block max-w-xs text-sm">
              {t("m.account.totpCode")}
              <input value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" maxLength={6} className={`${input} tracking-widest`} name="totp" />
            </label>
            <p className="text-xs text-neutral-500">{t("m.account.totpSignsOutOthers")}</p>
            {confirm.error ? (
              <p role="alert" className="text-sm text-rose-600">
                {errorText(t, confirm.error)}
              </p>
            ) : null}
            <button type="submit" disabled={confirm.isPending} className="rounded-md bg-neutral-900 px-4 py-2 text-sm text-white">
              {t("m.account.totpConfirm")}
            </button>
          </form>
        ) : null}
      </section>

      <section className={card}>
        <h2 className="mb-2 font-medium">{t("m.account.password")}</h2>
        <form method="post"
          className="grid max-w-sm gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            setPwDone(false);
            if (pw.next !== pw.confirm) return setPwError(t("m.account.mismatch"));
            setPwError(null);
            change.mutate({ current: pw.current, next: pw.next });
          }}
        >
          {(["current", "next", "confirm"] as const).map((k) => (
            <div key={k}>
              <label className="block text-sm">
                {t(k === "current" ? "m.account.current" : k === "next" ? "m.account.new" : "m.account.confirm")}
                <input
                  type="password"
                  name={k}
                  autoComplete={k === "current" ? "current-password" : "new-password"}
                  value={pw[k]}
                  onChange={(e) => setPw({ ...pw, [k]: e.target.value })}
                  className={input}
                  required
                  aria-describedby={k === "next" ? "pw-rules" : undefined}
                />
              </label>
              {/* Beside the label, not in it: the field's name stays 新密码, the rules are its description. */}
              {k === "next" ? (
                <p id="pw-rules" className="mt-1 text-xs text-neutral-500">
                  {t("m.account.pwRules", { min: PASSWORD_MIN, distinct: PASSWORD_MIN_DISTINCT })}
                </p>
              ) : null}
            </div>
          ))}
          {pwError || change.error ? (
            <p role="alert" className="text-sm text-rose-600">
              {pwError ?? errorText(t, change.error)}
            </p>
          ) : null}
          {pwDone ? (
            <p role="status" className="text-sm text-emerald-700">
              {t("m.account.passwordChanged")}
            </p>
          ) : null}
          <button type="submit" disabled={change.isPending} className="w-fit rounded-md bg-neutral-900 px-4 py-2 text-sm text-white">
            {t("m.account.save")}
          </button>
        </form>
      </section>

      <section className={card}>
        <h2 className="mb-2 font-medium">{t("m.account.sessions")}</h2>
        <SessionsTable sessions={sessions.data ?? []} currentId={me.data.sessionId} onRevoke={(id) => revoke.mutate({ sessionId: id })} pending={revoke.isPending} />
      </section>
    </div>
  );
}
