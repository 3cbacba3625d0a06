"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { ReasonDialog } from "@/components/merchant/ReasonDialog";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import type { Translator } from "@/lib/i18n/core";
import { evidenceRows, fmtTime } from "../format";
import { setReviewFlash } from "../review-flash";
import { REJECT_NOTE_MIN, REVIEW_NOTE_MAX } from "@/server/risk/review-note";
import { useTimeZone } from "@/lib/time-zone";
import { formatYuanGrouped } from "@/components/money";

const FLAG_STATUS_CLASS: Record<string, string> = {
  OPEN: "bg-amber-50 text-amber-700",
  APPROVED: "bg-emerald-50 text-emerald-700",
  REJECTED: "bg-rose-50 text-rose-700",
};

/** A rule's name in the page's language (the engine's own label for a rule this page does not know). */
const ruleLabel = (t: Translator, f: { rule: string; label: string }) => t.opt(`mr.rule.${f.rule}`, f.label);

function Section({ title, children, testId, actions }: { title: string; children: React.ReactNode; testId?: string; actions?: React.ReactNode }) {
  return (
    <section className="mt-3 rounded-lg bg-white p-3 text-sm shadow-sm first:mt-0" data-testid={testId}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xs font-medium text-neutral-500">{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

function Evidence({ evidence }: { evidence: unknown }) {
  const t = useT();
  const rows = evidenceRows(evidence);
  if (!rows.length) return <p className="text-xs text-neutral-400">{t("mr.case.noEvidence")}</p>;
  return (
    <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 rounded bg-neutral-50 px-2 py-1.5 text-xs" data-testid="evidence">
      {rows.map((r) => (
        <div key={r.key} className="contents" data-key={r.key}>
          <dt className="text-neutral-500">{r.key === "value" ? t("mr.case.evidence") : t.opt(`mr.evidence.${r.key}`, r.key)}</dt>
          {r.cleared ? (
            <dd className="text-neutral-400" data-testid="evidence-cleared">
              {t("mr.case.evidenceCleared")}
            </dd>
          ) : (
            <dd className="break-all tabular-nums text-neutral-800">{r.value}</dd>
          )}
        </div>
      ))}
    </dl>
  );
}

type CountedRefund = { orderId: number; orderNo: string; amountFen: number; refundedAt: Date | string };

/**
 * A refund_abuse event's evidence beyond its count: the refunded orders it counted (server/risk/view.ts countedRefunds),
 * each order number opening the order for a role that may read orders.
 */
function CountedRefunds({ refunds, canOpenOrders }: { refunds: CountedRefund[] | null; canOpenOrders: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  if (!refunds) return null;
  return (
    <div className="mt-1.5 rounded bg-neutral-50 px-2 py-1.5 text-xs" data-testid="risk-refunds">
      <div className="text-neutral-500">{t("mr.case.refunds", { n: refunds.length })}</div>
      {refunds.length ? (
        <table className="mt-1 w-full text-left tabular-nums">
          <thead className="text-neutral-400">
            <tr>
              <th className="py-0.5 pr-3 font-normal">{t("mr.case.refundOrder")}</th>
              <th className="py-0.5 pr-3 font-normal">{t("mr.case.refundAmount")}</th>
              <th className="py-0.5 font-normal">{t("mr.case.refundedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {refunds.map((r) => (
              <tr key={r.orderId} data-testid="risk-refund" data-order-no={r.orderNo}>
                <td className="break-all py-0.5 pr-3">
                  {canOpenOrders ? (
                    <Link href={`/merchant/orders/${r.orderId}`} className="text-sky-700 underline-offset-2 hover:underline">
                      {r.orderNo}
                    </Link>
                  ) : (
                    r.orderNo
                  )}
                </td>
                <td className="py-0.5 pr-3">{formatYuanGrouped(r.amountFen)}</td>
                <td className="py-0.5">{fmtTime(r.refundedAt, timeZone)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="mt-0.5 text-neutral-400">{t("mr.case.noRefunds")}</p>
      )}
    </div>
  );
}

function MemberLink({ id, name, self }: { id: number; name: string; self?: boolean }) {
  if (self) return <b>{name}</b>;
  return (
    <Link href={`/merchant/risk/${id}`} className="text-sky-700 underline-offset-2 hover:underline">
      {name}
      <span className="ml-0.5 text-neutral-400">#{id}</span>
    </Link>
  );
}

function MemberList({ members, empty }: { members: { id: number; username: string; nickname: string | null }[]; empty: string }) {
  if (!members.length) return <p className="text-xs text-neutral-400">{empty}</p>;
  return (
    <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs">
      {members.map((m) => (
        <li key={m.id}>
          <MemberLink id={m.id} name={m.nickname || m.username} />
        </li>
      ))}
    </ul>
  );
}

/**
 * `freezeAt`: the rejections after which the account is frozen (server/risk/review.ts). `canOpenOrders`: whether the
 * viewer's role reads orders (the risk role does not: a refunded order's number is then shown without a link).
 */
export function RiskCase({ memberId, freezeAt, canOpenOrders = false }: { memberId: number; freezeAt: number; canOpenOrders?: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const c = useQuery({ ...trpc.merchantRisk.case.queryOptions({ memberId }), staleTime: 0 });
  const [confirm, setConfirm] = useState<"approve" | "reject" | null>(null);
  const [note, setNote] = useState("");
  const [noteMissing, setNoteMissing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ask = (decision: "approve" | "reject") => {
    setError(null);
    setNote("");
    setNoteMissing(false);
    setConfirm(decision);
  };
  const review = useMutation(
    trpc.merchantRisk.review.mutationOptions({
      onSuccess: async (r, v) => {
        // Told on the queue it returns to: who was decided and what it did (the member leaves the queue).
        setReviewFlash({ decision: v.decision, name: c.data ? c.data.member.nickname || c.data.member.username : `#${memberId}`, commissions: r.commissions, tasks: r.tasks, frozen: r.frozen });
        await queryClient.invalidateQueries({ queryKey: trpc.merchantRisk.pathKey() });
        router.push("/merchant/risk");
      },
      onError: (e) => {
        setConfirm(null);
        setError(errorText(t, e));
        // Another reviewer may have decided meanwhile (NO_OPEN_FLAG): show the case as it is now, not stale buttons.
        void c.refetch();
      },
    }),
  );
  const [freezeOpen, setFreezeOpen] = useState(false);
  // The risk role cannot reach /merchant/members: this is where a reviewer lifts (or imposes) a freeze.
  const setFrozen = useMutation(
    trpc.merchantRisk.setMemberFrozen.mutationOptions({
      onSuccess: async () => {
        setFreezeOpen(false);
        await queryClient.invalidateQueries({ queryKey: trpc.merchantRisk.pathKey() });
      },
      // Frozen or unfrozen meanwhile (ALREADY_FROZEN, NOT_FROZEN): the refusal stays shown, the case is read again.
      onError: () => void c.refetch(),
    }),
  );

  if (c.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (c.isError) return <p className="py-16 text-center text-sm text-rose-600">{errorText(t, c.error)}</p>;
  const { member, flags, events, upline, directs, sameIp, sameDevice, openFlags } = c.data;
  const name = member.nickname || member.username;
  const open = flags.filter((f) => f.status === "OPEN");
  const decided = flags.filter((f) => f.status !== "OPEN");
  const chain = [...upline].sort((a, b) => b.depth - a.depth);

  // In the open flags' own card (a desk page: nothing fixed over the content), the decision being about all of them.
  const decide = open.length ? (
    <span className="flex gap-2" data-testid="risk-decide">
      <button type="button" onClick={() => ask("reject")} className="h-8 rounded border border-rose-300 px-4 text-sm text-rose-600">
        {t("mr.case.reject")}
      </button>
      <button type="button" onClick={() => ask("approve")} className="h-8 rounded bg-neutral-900 px-4 text-sm text-white">
        {t("mr.case.approve")}
      </button>
    </span>
  ) : null;

  return (
    <div>
      <Section title={t("mr.case.member")} testId="risk-member">
        <div className="flex items-baseline justify-between">
          <span className="text-base font-medium">
            {name}
            <span className="ml-1 text-xs font-normal text-neutral-400">#{member.id} · {member.username}</span>
          </span>
          <span className="flex items-center gap-2">
            {member.frozen ? <span className="rounded bg-rose-600 px-1.5 py-0.5 text-xs text-white">{t("mr.frozen")}</span> : null}
            {/* A deleted account stays frozen for good (server/members/deletion.ts): nothing to decide. */}
            {member.deletedAt ? null : (
              <button
                type="button"
                onClick={() => (setFrozen.reset(), setFreezeOpen(true))}
                className={`h-7 rounded px-3 text-xs ${member.frozen ? "bg-neutral-900 text-white" : "border border-rose-300 text-rose-600"}`}
                data-testid="risk-freeze-toggle"
              >
                {member.frozen ? t("mr.case.unfreeze") : t("mr.case.freeze")}
              </button>
            )}
          </span>
        </div>
        <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
          <dt className="text-neutral-500">{t("mr.case.phone")}</dt>
          <dd>{member.phoneMasked ?? "—"}</dd>
          <dt className="text-neutral-500">{t("mr.case.joined")}</dt>
          <dd>{fmtTime(member.createdAt, timeZone)}</dd>
          <dt className="text-neutral-500">{t("mr.case.signupIp")}</dt>
          <dd className="break-all">{member.signupIp ?? "—"}</dd>
          <dt className="text-neutral-500">{t("mr.case.signupDevice")}</dt>
          <dd className="break-all">{member.signupDevice ?? "—"}</dd>
          <dt className="text-neutral-500">{t("mr.case.rejections")}</dt>
          <dd>{t("mr.case.rejectionCount", { n: member.rejectionCount, max: freezeAt })}</dd>
        </dl>
      </Section>

      <Section title={t("mr.case.openFlags", { n: openFlags })} testId="risk-open-flags" actions={decide}>
        {open.length ? (
          <ul className="space-y-2">
            {open.map((f) => (
              <li key={f.id} data-testid="risk-flag" data-rule={f.rule}>
                <div className="flex items-center justify-between">
                  <span className="font-medium">{ruleLabel(t, f)}</span>
                  <span className="text-xs text-neutral-400">{fmtTime(f.at, timeZone)}</span>
                </div>
                <div className="text-xs text-neutral-400">{t("mr.case.rule", { rule: f.rule })}</div>
                <Evidence evidence={f.evidence} />
                <CountedRefunds refunds={f.refunds} canOpenOrders={canOpenOrders} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-neutral-400">{t("mr.case.noOpenFlags")}</p>
        )}
        {error ? (
          <p role="alert" className="mt-2 text-xs text-rose-600">
            {error}
          </p>
        ) : null}
      </Section>

      <Section title={t("mr.case.network")} testId="risk-tree">
        <div className="text-xs text-neutral-500">{t("mr.case.upline")}</div>
        <ol className="mt-1 flex flex-wrap items-center gap-1 text-xs" data-testid="risk-upline">
          {chain.map((u) => (
            <li key={u.id} className="flex items-center gap-1">
              <span className="text-neutral-400">L{u.depth}</span>
              <MemberLink id={u.id} name={u.name} />
              <span className="text-neutral-300">→</span>
            </li>
          ))}
          <li>
            <MemberLink id={member.id} name={name} self />
          </li>
        </ol>
        {!chain.length ? <p className="mt-0.5 text-xs text-neutral-400">{t("mr.case.noUpline")}</p> : null}
        <div className="mt-2 text-xs text-neutral-500">{t("mr.case.directs", { n: directs.length })}</div>
        <div className="mt-1">
          <MemberList members={directs} empty={t("mr.case.noDirects")} />
        </div>
        <div className="mt-2 text-xs text-neutral-500">{t("mr.case.sameIp", { n: sameIp.length })}</div>
        <div className="mt-1" data-testid="risk-same-ip">
          <MemberList members={sameIp} empty={t("mr.case.noneShared")} />
        </div>
        <div className="mt-2 text-xs text-neutral-500">{t("mr.case.sameDevice", { n: sameDevice.length })}</div>
        <div className="mt-1" data-testid="risk-same-device">
          <MemberList members={sameDevice} empty={t("mr.case.noneShared")} />
        </div>
      </Section>

      <Section title={t("mr.case.events")} testId="risk-events">
        {events.length ? (
          <ul className="space-y-2">
            {events.map((e) => (
              <li key={e.id}>
                <div className="flex items-center justify-between">
                  <span>{ruleLabel(t, e)}</span>
                  <span className="text-xs text-neutral-400">{fmtTime(e.at, timeZone)}</span>
                </div>
                <div className="text-xs text-neutral-500">
                  {t("mr.case.involved")}
                  {e.members.map((m, i) => (
                    <span key={m.id}>
                      {i ? t("input.list") : ""}
                      <MemberLink id={m.id} name={m.name} self={m.id === member.id} />
                    </span>
                  ))}
                </div>
                <Evidence evidence={e.evidence} />
                <CountedRefunds refunds={e.refunds} canOpenOrders={canOpenOrders} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-neutral-400">{t("mr.case.noEvents")}</p>
        )}
      </Section>

      <Section title={t("mr.case.history")} testId="risk-history">
        {decided.length ? (
          <ul className="space-y-1 text-xs">
            {decided.map((f) => (
              <li key={f.id} className="flex flex-wrap items-center justify-between gap-x-2" data-testid="risk-decision" data-status={f.status}>
                <span>
                  <span className={`mr-1.5 rounded px-1.5 py-0.5 ${FLAG_STATUS_CLASS[f.status] ?? ""}`}>{t.opt(`mr.case.status.${f.status}`, f.status)}</span>
                  {ruleLabel(t, f)}
                </span>
                <span className="text-neutral-400">{fmtTime(f.decidedAt, timeZone)}</span>
                {f.note ? (
                  <span className="basis-full text-neutral-600" data-testid="risk-decision-note">
                    {t("mr.case.note", { note: f.note })}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-neutral-400">{t("mr.case.noHistory")}</p>
        )}
      </Section>

      {/* Keyed by the action: the unfreeze asks afresh, never showing the freeze's reason typed before. */}
      <ReasonDialog
        key={member.frozen ? "unfreeze" : "freeze"}
        open={freezeOpen}
        title={member.frozen ? t("mr.case.unfreezeTitle") : t("mr.case.freezeTitle")}
        body={member.frozen ? t("mr.case.unfreezeBody") : t("mr.case.freezeBody")}
        confirmLabel={member.frozen ? t("mr.case.unfreeze") : t("mr.case.freeze")}
        danger={!member.frozen}
        pending={setFrozen.isPending}
        error={setFrozen.error ? errorText(t, setFrozen.error) : null}
        onCancel={() => setFreezeOpen(false)}
        onConfirm={(reason) => setFrozen.mutate({ memberId, frozen: !member.frozen, reason })}
      />

      {/* The back office's confirmation, as for other money actions: a rejection voids money, so it needs a reason. */}
      <ConfirmDialog
        open={confirm !== null}
        title={t("mr.case.confirm")}
        body={t(confirm === "approve" ? "mr.case.confirmApprove" : member.rejectionCount + 1 >= freezeAt ? "mr.case.confirmRejectFreeze" : "mr.case.confirmReject", { name, n: open.length })}
        confirmLabel={confirm === "approve" ? t("mr.case.approveConfirmed") : t("mr.case.rejectConfirmed")}
        danger={confirm === "reject"}
        pending={review.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          if (!confirm) return;
          // Checked here too, with the words the server's refusal has (REVIEW_NOTE_REQUIRED).
          const short = confirm === "reject" && note.trim().length < REJECT_NOTE_MIN;
          setNoteMissing(short);
          if (!short) review.mutate({ memberId, decision: confirm, note: note.trim() || undefined });
        }}
      >
        <label className="mt-3 flex flex-col gap-1 text-xs text-neutral-500">
          {confirm === "reject" ? t("mr.case.noteRequired") : t("mr.case.noteOptional")}
          <textarea name="note" className="rounded-md border border-neutral-300 p-2 text-sm text-neutral-900" rows={2} maxLength={REVIEW_NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        {noteMissing ? (
          <p className="mt-2 text-sm text-rose-600" role="alert">
            {t("error.REVIEW_NOTE_REQUIRED")}
          </p>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}
