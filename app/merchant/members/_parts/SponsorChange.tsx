"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { MoneyCell } from "@/components/merchant/MoneyCell";
import { ReasonDialog } from "@/components/merchant/ReasonDialog";
import { StatusBadge, type Tone } from "@/components/merchant/StatusBadge";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { errorText } from "@/lib/i18n/labels";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useTierLabel } from "../MemberList";

type Preview = RouterOutputs["merchantMember"]["sponsorPreview"];
type Change = RouterOutputs["merchantMember"]["sponsorChanges"][number];

const STATUS_TONE: Record<Change["status"], Tone> = { PENDING: "progress", APPROVED: "info", RUNNING: "info", DONE: "success", REJECTED: "neutral", WITHDRAWN: "neutral", FAILED: "danger" };

/** What a sponsor change does, as the requester and the approver see it before deciding. */
export function PreviewView({ p }: { p: Preview }) {
  const t = useT();
  const tierLabel = useTierLabel();
  // In a merchant's words: the member and the people in their team, and how many levels below them (p.levels: depth 0 is the member).
  const team = p.movedCount - 1;
  const depth = Math.max(0, ...p.levels.map((l) => l.depth));
  return (
    <div className="mt-3 space-y-2 rounded-md bg-neutral-50 p-3 text-sm" data-testid="sponsor-preview">
      <p>
        {t("mm.sc.preview.move", { member: p.member.name, from: p.from?.name ?? t("mm.sc.none"), to: p.to.name })}
      </p>
      <ul className="list-disc space-y-0.5 pl-5 text-neutral-700">
        <li data-testid="preview-moved">{team > 0 ? t("mm.sc.preview.moved", { n: p.movedCount, team, levels: depth }) : t("mm.sc.preview.movedAlone")}</li>
        <li data-testid="preview-closure">{t("mm.sc.preview.closure", { to: p.to.name, who: team > 0 ? t("mm.sc.preview.whoTeam", { n: p.movedCount }) : t("mm.sc.preview.whoOne") })}</li>
        <li>{t("mm.sc.preview.ancestors", { losing: p.ancestorsLosing, gaining: p.ancestorsGaining })}</li>
        {p.qualifiedDirectMoves ? <li>{t("mm.sc.preview.directs")}</li> : null}
        <li>{t("mm.sc.preview.matrix")}</li>
      </ul>
      <div>
        <h4 className="text-xs font-medium text-neutral-500">{t("mm.sc.preview.tiers")}</h4>
        {p.tiers.length ? (
          <ul className="text-neutral-700" data-testid="preview-tiers">
            {p.tiers.map((x) => <li key={x.id}>{t("mm.sc.preview.move", { member: `${x.name} #${x.id}`, from: tierLabel(x.from), to: tierLabel(x.to) })}</li>)}
          </ul>
        ) : (
          <p className="text-neutral-400">{t("mm.sc.preview.noTiers")}</p>
        )}
      </div>
      <div data-testid="preview-pending">
        <h4 className="text-xs font-medium text-neutral-500">{t("mm.sc.preview.pending", { n: p.pendingStay.count })} · <MoneyCell fen={p.pendingStay.amountFen} /></h4>
        <p className="text-xs text-neutral-500">{t("mm.sc.preview.pendingRule")}</p>
        {p.pendingStay.rows.length ? (
          <ul className="mt-1 text-xs text-neutral-700">
            {p.pendingStay.rows.map((r) => (
              <li key={r.id}>
                <span className="font-mono">{r.orderNo}</span> · {t("mm.commissions.level", { level: r.level })} · {r.beneficiaryName} · <MoneyCell fen={r.amountFen} />
              </li>
            ))}
          </ul>
        ) : null}
        <p className="mt-1 text-xs text-neutral-500">{t("mm.sc.preview.settled", { n: p.settledStay.count })} <MoneyCell fen={p.settledStay.amountFen} /></p>
      </div>
      {p.anotherRunning ? <p className="text-xs text-amber-700">{t("mm.sc.preview.busy")}</p> : null}
    </div>
  );
}

/** 改绑上级: type the new sponsor, preview, give a reason, send for an owner's approval. */
export function SponsorChangeDialog({ memberId, open, onClose, onSubmitted }: { memberId: number; open: boolean; onClose: () => void; onSubmitted?: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [to, setTo] = useState("");
  const [asked, setAsked] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (open && d && !d.open) d.showModal();
    if (!open && d?.open) d.close();
  }, [open]);
  const preview = useQuery({ ...trpc.merchantMember.sponsorPreview.queryOptions({ id: memberId, to: asked ?? "" }), enabled: asked !== null, retry: false });
  const submit = useMutation(
    trpc.merchantMember.requestSponsorChange.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.merchantMember.sponsorChanges.queryKey() });
        setTo("");
        setAsked(null);
        setReason("");
        onClose();
        onSubmitted?.();
      },
    }),
  );
  return (
    <dialog ref={ref} aria-label={t("mm.sc.title")} onCancel={(e) => (e.preventDefault(), onClose())} className="m-auto w-[min(40rem,94vw)] rounded-lg p-0 shadow-xl backdrop:bg-black/40">
      <div className="max-h-[80vh] overflow-y-auto p-5">
        <h2 className="text-base font-semibold">{t("mm.sc.title")}</h2>
        <p className="mt-1 text-sm text-neutral-600">{t("mm.sc.body")}</p>
        <form method="post"
          className="mt-3 flex items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setAsked(to.trim());
          }}
        >
          <label className="flex flex-1 flex-col gap-1 text-xs text-neutral-500">
            {t("mm.sc.to")}
            <input name="to" className="rounded-md border border-neutral-300 px-2 py-1.5 text-sm text-neutral-900" placeholder={t("mm.sc.toPlaceholder")} value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <button type="submit" className="rounded-md border border-neutral-300 px-4 py-1.5 text-sm" disabled={!to.trim()}>
            {t("mm.sc.previewBtn")}
          </button>
        </form>
        {preview.error ? <p className="mt-2 text-sm text-rose-600" role="alert">{errorText(t, preview.error)}</p> : null}
        {preview.isFetching ? <p className="mt-2 text-sm text-neutral-400">…</p> : null}
        {preview.data && asked === to.trim() ? (
          <>
            <PreviewView p={preview.data} />
            <label className="mt-3 flex flex-col gap-1 text-xs text-neutral-500">
              {t("mm.freeze.reason")}
              <textarea name="reason" className="rounded-md border border-neutral-300 p-2 text-sm text-neutral-900" rows={2} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
            </label>
          </>
        ) : null}
        {submit.error ? <p className="mt-2 text-sm text-rose-600" role="alert">{errorText(t, submit.error)}</p> : null}
      </div>
      <div className="flex justify-end gap-2 border-t border-neutral-100 px-5 py-3">
        <button type="button" className="rounded-md border border-neutral-300 px-4 py-1.5 text-sm" onClick={onClose}>
          {t("m.confirm.cancel")}
        </button>
        <button
          type="button"
          disabled={!preview.data || asked !== to.trim() || reason.trim().length < 2 || submit.isPending}
          className="rounded-md bg-neutral-900 px-4 py-1.5 text-sm text-white disabled:opacity-50"
          onClick={() => submit.mutate({ id: memberId, to: asked!, reason })}
        >
          {t("mm.sc.submit")}
        </button>
      </div>
    </dialog>
  );
}

function ChangeRow({ c, staffId, isOwner, onSettled, onNotice }: { c: Change; staffId: number; isOwner: boolean; onSettled: () => void; onNotice: (text: string) => void }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const [dialog, setDialog] = useState<"approve" | "reject" | "withdraw" | null>(null);
  // On a refusal too (another owner decided meanwhile: CHANGE_NOT_PENDING), the list shows the request as it is now.
  const decide = useMutation(
    trpc.merchantMember.decideSponsorChange.mutationOptions({
      onSuccess: (_r, v) => (setDialog(null), onNotice(t(v.approve ? "mm.sc.flash.approved" : "mm.sc.flash.rejected")), onSettled()),
      onError: onSettled,
    }),
  );
  const withdraw = useMutation(
    trpc.merchantMember.withdrawSponsorChange.mutationOptions({ onSuccess: () => (setDialog(null), onNotice(t("mm.sc.flash.withdrawn")), onSettled()), onError: onSettled }),
  );
  const fmt = (d: Date | null) => (d ? formatDateTime(d, { timeZone }) : "—");
  const pct = c.progress.total ? Math.round((100 * c.progress.moved) / c.progress.total) : 0;
  const canDecide = isOwner && c.status === "PENDING" && c.requestedBy.id !== staffId;
  // The requester's way out of their own request (a one-owner shop has nobody else to decide it).
  const canWithdraw = c.status === "PENDING" && c.requestedBy.id === staffId;
  return (
    <li className="border-t border-neutral-100 py-2 first:border-t-0" data-testid="sponsor-change" data-status={c.status}>
      <div className="flex flex-wrap items-center gap-2">
        <StatusBadge label={t(`mm.sc.status.${c.status}`)} tone={STATUS_TONE[c.status]} status={c.status} />
        <span>
          <Link href={`/merchant/members/${c.member.id}`} className="text-sky-700 hover:underline">{c.member.name}</Link>{t("mm.colon")}{c.from?.name ?? t("mm.sc.none")} → <strong>{c.to.name}</strong>
        </span>
        <span className="text-xs text-neutral-400">{t("mm.sc.requested", { who: c.requestedBy.name, at: fmt(c.requestedAt) })}</span>
        {c.decidedBy ? <span className="text-xs text-neutral-400">{t(c.status === "WITHDRAWN" ? "mm.sc.withdrawnBy" : "mm.sc.decided", { who: c.decidedBy.name, at: fmt(c.decidedAt) })}</span> : null}
      </div>
      <p className="mt-0.5 text-xs text-neutral-600">{t("mm.sc.reason", { reason: c.reason })}{c.decisionNote ? ` · ${t("mm.sc.note", { note: c.decisionNote })}` : ""}</p>
      {c.failureReason ? <p className="text-xs text-rose-600">{c.failureReason}</p> : null}
      {c.status === "RUNNING" || c.status === "DONE" || c.status === "APPROVED" ? (
        <div className="mt-1 flex items-center gap-2 text-xs text-neutral-500" data-testid="sponsor-change-progress">
          <div className="h-1.5 w-40 overflow-hidden rounded bg-neutral-100">
            <div className="h-full bg-sky-500" style={{ width: `${c.status === "APPROVED" ? 0 : pct}%` }} />
          </div>
          {c.status === "APPROVED" ? t("mm.sc.queued") : t("mm.sc.progress", { moved: c.progress.moved, total: c.progress.total })}
        </div>
      ) : null}
      {canDecide ? (
        <div className="mt-1 flex gap-2">
          <button type="button" className="rounded-md bg-neutral-900 px-3 py-1 text-xs text-white" onClick={() => (decide.reset(), setDialog("approve"))} data-testid="sponsor-approve">
            {t("mm.sc.approve")}
          </button>
          <button type="button" className="rounded-md border border-neutral-300 px-3 py-1 text-xs" onClick={() => (decide.reset(), setDialog("reject"))}>
            {t("mm.sc.reject")}
          </button>
        </div>
      ) : isOwner && c.status === "PENDING" ? (
        <p className="mt-1 text-xs text-neutral-400">{t("mm.sc.ownRequest")}</p>
      ) : null}
      {canWithdraw ? (
        <button type="button" className="mt-1 rounded-md border border-neutral-300 px-3 py-1 text-xs" onClick={() => (withdraw.reset(), setDialog("withdraw"))} data-testid="sponsor-withdraw">
          {t("mm.sc.withdraw")}
        </button>
      ) : null}
      <ConfirmDialog
        open={dialog === "approve"}
        title={t("mm.sc.approveTitle")}
        confirmLabel={t("mm.sc.approve")}
        pending={decide.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => decide.mutate({ requestId: c.id, approve: true })}
      >
        <PreviewView p={c.preview} />
        <p className="mt-2 text-xs text-neutral-500">{t("mm.sc.approveNote")}</p>
        {decide.error ? <p className="mt-2 text-sm text-rose-600" role="alert">{errorText(t, decide.error)}</p> : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === "withdraw"}
        title={t("mm.sc.withdrawTitle")}
        body={t("mm.sc.withdrawBody")}
        confirmLabel={t("mm.sc.withdraw")}
        pending={withdraw.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => withdraw.mutate({ requestId: c.id })}
      >
        {withdraw.error ? <p className="mt-2 text-sm text-rose-600" role="alert">{errorText(t, withdraw.error)}</p> : null}
      </ConfirmDialog>
      <ReasonDialog
        open={dialog === "reject"}
        title={t("mm.sc.rejectTitle")}
        confirmLabel={t("mm.sc.reject")}
        danger
        pending={decide.isPending}
        error={decide.error ? errorText(t, decide.error) : null}
        onCancel={() => setDialog(null)}
        onConfirm={(note) => decide.mutate({ requestId: c.id, approve: false, note })}
      />
    </li>
  );
}

/** Sponsor change requests (one member's, or the shop's open ones) with the owner's decision and the move's progress. */
export function SponsorChanges({ memberId, staffId, isOwner, onDone, onNotice }: { memberId?: number; staffId: number; isOwner: boolean; onDone?: () => void; onNotice?: (text: string) => void }) {
  const t = useT();
  // The member page shows what a decision did in its own message; the shop's open requests (member list) show it here.
  const [flash, setFlash] = useState<string | null>(null);
  const notice = onNotice ?? setFlash;
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery({
    ...trpc.merchantMember.sponsorChanges.queryOptions(memberId ? { memberId } : {}),
    // While a move is queued or running, follow its progress.
    refetchInterval: (query) => (query.state.data?.some((c) => c.status === "APPROVED" || c.status === "RUNNING") ? 2000 : false),
  });
  const doneCount = q.data?.filter((c) => c.status === "DONE").length ?? 0;
  const seen = useRef<number | null>(null);
  useEffect(() => {
    if (seen.current !== null && doneCount > seen.current) onDone?.();
    seen.current = doneCount;
  }, [doneCount, onDone]);
  const rows = q.data ?? [];
  const flashView = flash ? (
    <p role="status" className="my-1 rounded bg-emerald-50 px-3 py-1.5 text-sm text-emerald-700" data-testid="sponsor-change-flash">
      {flash}
    </p>
  ) : null;
  if (!rows.length) return memberId ? <p className="text-neutral-400">{t("mm.sc.empty")}</p> : flashView;
  const list = (
    <ul data-testid="sponsor-changes">
      {rows.map((c) => (
        <ChangeRow key={c.id} c={c} staffId={staffId} isOwner={isOwner} onNotice={notice} onSettled={() => void qc.invalidateQueries({ queryKey: trpc.merchantMember.sponsorChanges.queryKey() })} />
      ))}
    </ul>
  );
  if (memberId) return list;
  // The shop's open requests, above the member list: where an owner finds what waits for approval.
  return (
    <section className="mb-4 rounded-lg border border-amber-200 bg-amber-50/40 px-4 py-2 text-sm" data-testid="open-sponsor-changes">
      <h2 className="py-1 text-sm font-medium">{t("mm.sc.openTitle")}</h2>
      {flashView}
      {list}
    </section>
  );
}

/** The member's bind history (append-only): each executed sponsor change, newest first, then the sign-up binding. */
/** Why the sign-up bound nobody (server/members/admin.ts signupBindingRefusal), or null. */
type SignupRefusal = RouterOutputs["merchantMember"]["detail"]["signupRefusal"];

export function BindHistory({ memberId, firstSponsor, joinedAt, refusal = null }: { memberId: number; firstSponsor: string | null; joinedAt: Date; refusal?: SignupRefusal }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const q = useQuery(trpc.merchantMember.bindHistory.queryOptions({ id: memberId }));
  const fmt = (d: Date) => formatDateTime(d, { timeZone });
  const rows = q.data ?? [];
  const signup = rows.length ? (rows[rows.length - 1]!.from?.name ?? null) : firstSponsor;
  return (
    <ol className="space-y-1" data-testid="bind-history">
      {rows.map((h) => (
        <li key={h.id} data-testid="bind-history-entry">
          <span className="text-xs text-neutral-400">{fmt(h.createdAt)}</span> {h.from?.name ?? t("mm.sc.none")} → <strong>{h.to.name}</strong>
          <span className="text-xs text-neutral-500"> · {t("mm.sc.reason", { reason: h.reason })} · {t("mm.bind.by", { req: h.requestedBy, appr: h.approvedBy })} · {t("mm.bind.moved", { n: h.movedCount })}</span>
        </li>
      ))}
      <li className="text-neutral-500">
        <span className="text-xs text-neutral-400">{fmt(joinedAt)}</span>{" "}
        <span data-testid="bind-history-signup" data-refusal={refusal?.rule}>
          {t("mm.bind.signup", {
            // A refused binding says so and whose link it was, rather than "none (top level)" as if no link was used.
            sponsor: signup ?? (refusal ? t.opt(`mm.bind.refused.${refusal.rule}`, t("mm.sc.none"), { inviter: refusal.inviter ? `${refusal.inviter.name ?? ""} #${refusal.inviter.id}`.trim() : "" }) : t("mm.sc.none")),
          })}
        </span>
      </li>
    </ol>
  );
}
