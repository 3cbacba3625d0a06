"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { MoneyCell } from "@/components/merchant/MoneyCell";
import { ReasonDialog } from "@/components/merchant/ReasonDialog";
import { StatusBadge } from "@/components/merchant/StatusBadge";
import { formatBps, formatYuanGrouped } from "@/components/money";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { commissionReasonCode, errorText } from "@/lib/i18n/labels";
import { useTRPC } from "@/trpc/react";
import type { BonusBasis } from "@/server/members/bonus-ledger";
import { useTierLabel } from "../MemberList";
import { AccountBadge } from "../_parts/AccountBadge";
import { MatrixSeat } from "../_parts/MatrixSeat";
import { MemberTree } from "../_parts/MemberTree";
import { Revealable } from "../_parts/Reveal";
import { BindHistory, SponsorChangeDialog, SponsorChanges } from "../_parts/SponsorChange";

function Card({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="rounded-lg border border-neutral-200 bg-white" data-testid={testId}>
      <h2 className="border-b border-neutral-100 px-4 py-2 text-sm font-medium">{title}</h2>
      <div className="p-4 text-sm">{children}</div>
    </section>
  );
}

/** Times, statuses and amounts each on one line; on a phone the table scrolls sideways inside its card. */
function MiniTable({ head, rows, empty }: { head: string[]; rows: React.ReactNode[][]; empty: string }) {
  if (!rows.length) return <p className="text-neutral-400">{empty}</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full whitespace-nowrap text-left text-sm">
        <thead className="text-xs text-neutral-500">
          <tr>{head.map((h) => <th key={h} className="pb-1 pr-3 font-medium">{h}</th>)}</tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-t border-neutral-100">
              {r.map((c, j) => <td key={j} className="py-1 pr-3 align-top">{c}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One downline level: closed until asked for, then loaded a page per request (never the whole tree). */
function DownlineLevel({ memberId, depth, count }: { memberId: number; depth: number; count: number }) {
  const t = useT();
  const trpc = useTRPC();
  const tierLabel = useTierLabel();
  const [open, setOpen] = useState(false);
  const q = useInfiniteQuery({
    ...trpc.merchantMember.downline.infiniteQueryOptions({ id: memberId, depth }, { getNextPageParam: (last) => last.nextAfterId, initialCursor: null }),
    enabled: open,
  });
  const rows = q.data?.pages.flatMap((p) => p.rows) ?? [];
  return (
    <li className="border-t border-neutral-100 py-1" data-testid="downline-level">
      <button type="button" className="flex w-full items-center gap-2 text-left" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span className="w-3 text-neutral-400">{open ? "▾" : "▸"}</span>
        {t("mm.downline.level", { depth, count })}
      </button>
      {open ? (
        <ul className="ml-5 mt-1 grid grid-cols-2 gap-x-4 lg:grid-cols-3">
          {rows.map((m) => (
            <li key={m.id} className="flex items-center gap-2 py-0.5" data-testid="downline-member">
              <Link href={`/merchant/members/${m.id}`} className="text-sky-700 hover:underline">
                {m.name}
              </Link>
              <span className="text-xs text-neutral-400">{tierLabel(m.tier)} · {m.teamSize}</span>
              <AccountBadge frozen={m.frozen} deletedAt={m.deletedAt} />
            </li>
          ))}
          {q.hasNextPage ? (
            <li>
              <button type="button" className="text-xs text-sky-700" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
                {t("mm.downline.more")}
              </button>
            </li>
          ) : null}
          {q.isFetching && !rows.length ? <li className="text-neutral-400">…</li> : null}
        </ul>
      ) : null}
    </li>
  );
}

/**
 * How far a member who is not a distributor is from 分销资格, as their /promote card says it (SPEC §4; the numbers are
 * server/distribution distributorProgress's): none for a distributor, a suspended one (only staff give it back), a
 * deleted account, or under `everyone` (sign-up is all it takes).
 */
function DistributorProgressLine({
  t,
  m,
}: {
  t: ReturnType<typeof useT>;
  m: { distributor: boolean; distributorDisabled: boolean; deletedAt: Date | string | null; distributorProgress: { mode: string; minSpendFen: number; spentFen: number; remainingFen: number } };
}) {
  const p = m.distributorProgress;
  if (m.distributor || m.distributorDisabled || m.deletedAt || p.mode === "everyone") return null;
  return (
    <p className="mt-1 text-xs text-amber-700" data-testid="member-distributor-progress">
      {p.mode === "first_order"
        ? t("mm.dist.firstOrder")
        : `${t("mm.dist.spent", { spent: formatYuanGrouped(p.spentFen), min: formatYuanGrouped(p.minSpendFen) })} · ${
            p.remainingFen > 0 ? t("mm.dist.remaining", { amount: formatYuanGrouped(p.remainingFen) }) : t("mm.dist.nextPayment")
          }`}
    </p>
  );
}

/** Why a commission was not earned or was voided, in staff's words (the shopper's: lib/i18n/labels.ts commissionReason); unknown text as is. */
function staffCommissionReason(t: ReturnType<typeof useT>, reason: string | null): string | null {
  if (!reason) return null;
  const known = commissionReasonCode(reason);
  return known ? t(`mm.commissions.reason.${known.code}`, known.vars) : reason;
}

function bonusBasisText(t: ReturnType<typeof useT>, b: BonusBasis): string {
  const { month } = b;
  const step = b.kind === "step_bonus";
  const base = b.baseFen === null ? null : formatYuanGrouped(b.baseFen);
  const basis =
    base === null
      ? t("mm.ledger.bonusFirst", { month })
      : b.bps === null
        ? t(step ? "mm.ledger.step_bonus.base" : "mm.ledger.team_bonus.base", { month, base })
        : t(step ? "mm.ledger.step_bonus.basis" : "mm.ledger.team_bonus.basis", { month, base, rate: formatBps(b.bps) });
  const line = b.topUp ? t("mm.ledger.bonusTopUp", { basis }) : basis;
  return b.totalFen === null ? line : t("mm.ledger.bonusWithTotal", { basis: line, month, total: formatYuanGrouped(b.totalFen) });
}

export function MemberDetailView({ id, canWrite, isOwner, canOpenRisk = false, staffId }: { id: number; canWrite: boolean; isOwner: boolean; canOpenRisk?: boolean; staffId: number }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tierLabel = useTierLabel();
  const detail = useQuery(trpc.merchantMember.detail.queryOptions({ id }));
  const [dialog, setDialog] = useState<"freeze" | "distributor" | "sponsor" | null>(null);
  // What the last action did, said in words (as the withdrawals and adjustments pages do), not only by a badge changing.
  const [flash, setFlash] = useState<string | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.merchantMember.pathKey() });
  const m = detail.data;
  const name = m ? (m.nickname ?? m.username) : "";
  const setFrozen = useMutation(
    trpc.merchantMember.setFrozen.mutationOptions({
      onSuccess: (r) => {
        setDialog(null);
        const waiting = m?.waitingWithdrawals;
        setFlash(
          !r.frozen
            ? t("mm.flash.unfrozen", { name })
            : waiting?.count
              ? t("mm.flash.frozenWaiting", { name, n: waiting.count, amount: formatYuanGrouped(waiting.amountFen) })
              : t("mm.flash.frozen", { name }),
        );
        void refresh();
      },
    }),
  );
  const setDistributor = useMutation(
    trpc.merchantMember.setDistributor.mutationOptions({
      onSuccess: (r) => (setDialog(null), setFlash(t(r.enabled ? "mm.flash.distributorEnabled" : "mm.flash.distributorDisabled", { name })), void refresh()),
    }),
  );
  const fmt = (d: Date | null) => (d ? formatDateTime(d, { timeZone }) : "—");
  const open = (d: "freeze" | "distributor" | "sponsor") => (setFlash(null), setDialog(d));
  if (!m) return <p className="text-neutral-400">{detail.error ? errorText(t, detail.error) : "…"}</p>;
  const empty = t("mm.empty");
  const waiting = m.waitingWithdrawals;

  return (
    <div className="space-y-4" data-testid="member-detail">
      {flash ? (
        <p role="status" className="rounded bg-emerald-50 px-3 py-1.5 text-sm text-emerald-700" data-testid="member-flash">
          {flash}
        </p>
      ) : null}
      <div className="flex flex-wrap items-start justify-between gap-4 rounded-lg border border-neutral-200 bg-white p-4">
        <div>
          <div className="flex items-center gap-2">
            <span className="text-lg font-semibold" data-testid="member-name">{m.nickname ?? m.username}</span>
            <span className="text-sm text-neutral-400">#{m.id}</span>
            <StatusBadge label={tierLabel(m.tier)} tone="info" status={m.tier} />
            <StatusBadge label={m.distributor ? t("mm.isDistributor") : m.distributorDisabled ? t("mm.distributorDisabled") : t("mm.notDistributor")} tone={m.distributor ? "success" : "neutral"} />
            <span data-testid="member-frozen-state">
              <AccountBadge frozen={m.frozen} deletedAt={m.deletedAt} active />
            </span>
            {/* SPEC §8: risk rejections count towards the automatic freeze; the count shows before it is reached. */}
            {m.rejectionCount > 0 ? (
              <span className="text-xs text-neutral-500" data-testid="member-risk-rejections">
                · {t("mm.riskRejections", { n: m.rejectionCount, max: m.freezeAfterRejections })}
              </span>
            ) : null}
            {/* SPEC §8: an open flag holds what the member earns or is owed; a reviewer opens the case from here. */}
            {m.riskHold ? (
              <span data-testid="member-risk-hold">
                {canOpenRisk ? (
                  <Link href={`/merchant/risk/${m.id}`} className="hover:underline">
                    <StatusBadge label={t("mm.riskHold")} tone="progress" status="ON_HOLD" />
                  </Link>
                ) : (
                  <StatusBadge label={t("mm.riskHold")} tone="progress" status="ON_HOLD" />
                )}
              </span>
            ) : null}
          </div>
          <dl className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 text-sm text-neutral-600 md:grid-cols-4">
            <div><dt className="inline text-neutral-400">{t("mm.col.phone")}{t("mm.colon")}</dt><dd className="inline"><Revealable memberId={m.id} field="phone" masked={m.phoneMasked} canReveal={isOwner && m.revealable.phone} /></dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.detail.code")}{t("mm.colon")}</dt><dd className="inline font-mono">{m.referralCode}</dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.detail.verified")}{t("mm.colon")}</dt><dd className="inline">{m.verifiedAt ? <Revealable memberId={m.id} field="realName" masked={m.realNameMasked ?? "✓"} canReveal={isOwner && m.revealable.realName} /> : t("mm.detail.unverified")}</dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.col.joined")}{t("mm.colon")}</dt><dd className="inline">{fmt(m.createdAt)}</dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.col.directs")}{t("mm.colon")}</dt><dd className="inline">{t("mm.aside", { value: m.directs, note: t("mm.detail.directsNote", { n: m.qualifiedDirects }) })}</dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.col.teamSize")}{t("mm.colon")}</dt><dd className="inline">{m.teamSize}</dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.detail.paidOrders")}{t("mm.colon")}</dt><dd className="inline">{m.paidUnrefundedCount}</dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.detail.signupIp")}{t("mm.colon")}</dt><dd className="inline font-mono">{m.signupIp ?? "—"}</dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.col.promotionOrders")}{t("mm.colon")}</dt><dd className="inline" data-testid="member-promotion">{t("mm.aside", { value: m.promotionOrders, note: formatYuanGrouped(m.promotionFen) })}</dd></div>
            <div><dt className="inline text-neutral-400">{t("mm.col.lastActive")}{t("mm.colon")}</dt><dd className="inline">{fmt(m.lastActiveAt)}</dd></div>
            <div className="col-span-2"><dt className="inline text-neutral-400">{t("mm.detail.address")}{t("mm.colon")}</dt><dd className="inline"><Revealable memberId={m.id} field="address" masked={m.addressMasked} canReveal={isOwner && m.revealable.address} /></dd></div>
            <div className="col-span-2"><dt className="inline text-neutral-400">{t("mm.col.sponsor")}{t("mm.colon")}</dt><dd className="inline" data-testid="member-sponsor">{m.sponsor ? <Link href={`/merchant/members/${m.sponsor.id}`} className="text-sky-700 underline decoration-sky-300 underline-offset-2 hover:decoration-sky-700">{m.sponsor.name}</Link> : t("mm.sc.none")}</dd></div>
          </dl>
          {m.distributorDisabledAt ? <p className="mt-1 text-xs text-rose-600">{t("mm.detail.distributorDisabledAt", { time: fmt(m.distributorDisabledAt) })}</p> : null}
          <DistributorProgressLine t={t} m={m} />
          {m.deletedAt ? (
            <p className="mt-1 text-xs text-neutral-600" data-testid="member-deleted-at">{t("mm.detail.deletedAt", { time: fmt(m.deletedAt) })}</p>
          ) : m.frozen && m.frozenAt ? (
            <p className="mt-1 text-xs text-rose-600">{t("mm.detail.frozenAt", { time: fmt(m.frozenAt) })}</p>
          ) : null}
        </div>
        {canWrite ? (
          <div className="flex flex-wrap gap-2">
            <button type="button" className="rounded-md border border-neutral-300 px-4 py-1.5 text-sm" onClick={() => open("sponsor")} data-testid="sponsor-change-open">
              {t("mm.sc.open")}
            </button>
            <button type="button" className="rounded-md border border-neutral-300 px-4 py-1.5 text-sm" onClick={() => (setDistributor.reset(), open("distributor"))} data-testid="distributor-toggle">
              {m.distributorDisabled ? t("mm.distributor.enable") : t("mm.distributor.disable")}
            </button>
            {/* A deleted account stays frozen: the server refuses to unfreeze it (MEMBER_DELETED). */}
            {m.deletedAt ? null : (
              <button
                type="button"
                className={`rounded-md px-4 py-1.5 text-sm text-white ${m.frozen ? "bg-neutral-900" : "bg-rose-600"}`}
                onClick={() => (setFrozen.reset(), void detail.refetch(), open("freeze"))}
                data-testid="freeze-toggle"
              >
                {m.frozen ? t("mm.unfreeze") : t("mm.freeze")}
              </button>
            )}
          </div>
        ) : (
          <span className="text-xs text-neutral-400">{t("mm.readOnly")}</span>
        )}
      </div>

      {/* grid-cols-1 (minmax(0, 1fr)): on a phone the cards are the screen's width, their tables scroll. */}
      <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
        <Card title={t("mm.wallet.title")} testId="member-wallet">
          <div className="mb-3 grid grid-cols-3 gap-2 sm:grid-cols-5">
            {(["pending", "available", "withdrawing", "withdrawn", "credit"] as const).map((b) => (
              <div key={b} className="rounded-md bg-neutral-50 p-2">
                <div className="text-xs text-neutral-500">{t(`mm.wallet.${b}`)}</div>
                <div className="font-medium"><MoneyCell fen={m.wallet[b]} /></div>
              </div>
            ))}
          </div>
          <h3 className="mb-1 text-xs font-medium text-neutral-500">{t("mm.ledger.title")}</h3>
          <MiniTable
            head={[t("mm.ledger.time"), t("mm.ledger.kind"), t("mm.ledger.bucket"), t("mm.ledger.amount")]}
            rows={m.ledger.map((e) => [
              fmt(e.createdAt),
              // A monthly bonus with what it was paid on, under its kind: a bare amount says nothing of how it was reached.
              e.bonus ? (
                <span key="k" className="block" data-testid="ledger-bonus">
                  {t.opt(`ledger.${e.kind}`, e.kind)}
                  <span className="block text-xs text-neutral-500">{bonusBasisText(t, e.bonus)}</span>
                </span>
              ) : (
                t.opt(`ledger.${e.kind}`, e.kind)
              ),
              e.bucket ? t.opt(`bucket.${e.bucket}`, e.bucket) : "—",
              <MoneyCell key="a" fen={e.amountFen} />,
            ])}
            empty={empty}
          />
        </Card>

        <Card title={t("mm.upline.title")} testId="member-upline">
          {m.upline.length ? (
            <ol className="space-y-1">
              {m.upline.map((u) => (
                <li key={u.id} className="flex items-center gap-2">
                  <span className="w-16 text-xs text-neutral-400">{t("mm.upline.level", { depth: u.depth })}</span>
                  <Link href={`/merchant/members/${u.id}`} className="text-sky-700 hover:underline">{u.name}</Link>
                  <span className="text-xs text-neutral-400">{tierLabel(u.tier)}</span>
                  <AccountBadge frozen={u.frozen} deletedAt={u.deletedAt} />
                </li>
              ))}
            </ol>
          ) : (
            <p className="text-neutral-400">{t("mm.upline.none")}</p>
          )}
          {m.uplineDepth > m.upline.length ? (
            <p className="mt-1 text-xs text-neutral-500" data-testid="member-upline-depth">{t("mm.upline.depth", { depth: m.uplineDepth, shown: m.upline.length })}</p>
          ) : null}
          <h3 className="mb-1 mt-4 text-xs font-medium text-neutral-500">{t("mm.downline.title")}</h3>
          {m.levels.length ? (
            <ul data-testid="member-downline">
              {m.levels.map((l) => <DownlineLevel key={l.depth} memberId={m.id} depth={l.depth} count={l.count} />)}
            </ul>
          ) : (
            <p className="text-neutral-400">{t("mm.downline.none")}</p>
          )}
        </Card>

        <Card title={t("mm.tree.title")} testId="member-tree-card">
          <MemberTree id={m.id} teamSize={m.teamSize} />
        </Card>

        <Card title={t("mm.matrix.title")} testId="member-matrix-card">
          <MatrixSeat matrix={m.matrix} />
        </Card>

        <Card title={t("mm.sc.cardTitle")} testId="member-sponsor-changes">
          <SponsorChanges memberId={m.id} staffId={staffId} isOwner={isOwner} onDone={() => void refresh()} onNotice={setFlash} />
          <h3 className="mb-1 mt-4 text-xs font-medium text-neutral-500">{t("mm.bind.title")}</h3>
          <BindHistory memberId={m.id} firstSponsor={m.sponsor?.name ?? null} joinedAt={m.createdAt} refusal={m.signupRefusal} />
        </Card>

        <Card title={t("mm.commissions.title")} testId="member-commissions">
          <MiniTable
            head={[t("mm.ledger.time"), t("mm.orders.no"), t("mm.col.status"), t("mm.ledger.amount")]}
            rows={m.commissions.map((c) => [
              fmt(c.createdAt),
              <span key="o" className="font-mono text-xs">
                {/* The commission knows its order by number: the order page opens an order by either. */}
                <Link href={`/merchant/orders/${encodeURIComponent(c.orderNo)}`} className="text-sky-700 hover:underline">
                  {c.orderNo}
                </Link>{" "}
                · {t("mm.commissions.level", { level: c.level })}
              </span>,
              <span key="s" title={staffCommissionReason(t, c.forfeitReason) ?? undefined}>
                {t.opt(`commission.status.${c.status}`, c.status)}
                {/* 未获得: why, in words (the shopper's 佣金明细 says it too). */}
                {c.status === "FORFEITED" && c.forfeitReason ? (
                  <span className="block text-xs text-neutral-500" data-testid="commission-forfeit-reason">
                    {staffCommissionReason(t, c.forfeitReason)}
                  </span>
                ) : null}
              </span>,
              // A VOID or FORFEITED entry was never the member's: struck through, never read as money on its way.
              <span key="a" className={c.status === "VOID" || c.status === "FORFEITED" ? "text-neutral-400 line-through" : undefined}>
                <MoneyCell fen={c.amountFen} />
              </span>,
            ])}
            empty={empty}
          />
        </Card>

        <Card title={t("mm.orders.title")} testId="member-orders">
          <MiniTable
            head={[t("mm.ledger.time"), t("mm.orders.no"), t("mm.orders.status"), t("mm.orders.amount")]}
            rows={m.orders.map((o) => [fmt(o.createdAt), <Link key="o" href={`/merchant/orders/${o.id}`} className="font-mono text-xs text-sky-700 hover:underline">{o.orderNo}</Link>, t.opt(`order.status.${o.status}`, o.status), <MoneyCell key="a" fen={o.payableFen} />])}
            empty={empty}
          />
        </Card>

        <Card title={t("mm.tasks.title")} testId="member-tasks">
          <MiniTable
            head={[t("mm.ledger.time"), t("mm.col.status"), t("mm.tasks.deadline"), t("mm.ledger.amount")]}
            rows={m.rebateTasks.map((r) => [
              fmt(r.createdAt),
              // Status over progress, two short lines: the four columns fit the half-width card in English too.
              <span key="s" className="block" data-status={r.status}>
                {t.opt(`task.status.${r.status}`, r.status)}
                <span className="block text-xs text-neutral-500">{t("mm.tasks.progress", { done: r.invitees, n: r.n })}</span>
              </span>,
              fmt(r.deadline),
              // A task that ended unpaid owes nothing: "—", not its cashback (server/members/admin.ts).
              <MoneyCell key="a" fen={r.cashbackFen} />,
            ])}
            empty={empty}
          />
        </Card>

        <Card title={t("mm.risk.title")} testId="member-risk">
          <MiniTable
            head={[t("mm.ledger.time"), t("mm.ledger.kind"), t("mm.risk.members")]}
            rows={m.riskEvents.map((e) => [fmt(e.createdAt), t.opt(`mr.rule.${e.rule}`, e.rule), e.memberIds.map((x) => `#${x}`).join(" ")])}
            empty={empty}
          />
        </Card>
      </div>

      <ReasonDialog
        open={dialog === "freeze"}
        title={m.frozen ? t("mm.unfreeze.title") : t("mm.freeze.title")}
        body={m.frozen ? t("mm.unfreeze.body") : t("mm.freeze.body")}
        confirmLabel={m.frozen ? t("mm.unfreeze") : t("mm.freeze")}
        danger={!m.frozen}
        pending={setFrozen.isPending}
        error={setFrozen.error ? errorText(t, setFrozen.error) : null}
        onCancel={() => setDialog(null)}
        onConfirm={(reason) => setFrozen.mutate({ id: m.id, frozen: !m.frozen, reason })}
      >
        {/* SPEC §8: a frozen member cannot withdraw. What is waiting is not paid; staff reject it and the money returns to the balance.
            Read again as the dialog opens: a withdrawal asked for since the page loaded is counted. */}
        {m.frozen ? null : waiting.count ? (
          <p className="mt-2 rounded bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="freeze-waiting-withdrawals">
            {t("mm.freeze.waiting", { n: waiting.count, amount: formatYuanGrouped(waiting.amountFen) })}{" "}
            <Link href={`/merchant/withdrawals?member=${m.id}`} className="text-sky-700 underline">
              {t("mm.freeze.waitingLink")}
            </Link>
          </p>
        ) : (
          <p className="mt-2 text-xs text-neutral-500" data-testid="freeze-waiting-withdrawals">{t("mm.freeze.noWaiting")}</p>
        )}
      </ReasonDialog>
      <ReasonDialog
        open={dialog === "distributor"}
        title={m.distributorDisabled ? t("mm.distributor.enable") : t("mm.distributor.disable")}
        body={m.distributorDisabled ? t("mm.distributor.enableBody") : t("mm.distributor.disableBody")}
        confirmLabel={m.distributorDisabled ? t("mm.distributor.enable") : t("mm.distributor.disable")}
        danger={!m.distributorDisabled}
        pending={setDistributor.isPending}
        error={setDistributor.error ? errorText(t, setDistributor.error) : null}
        onCancel={() => setDialog(null)}
        onConfirm={(reason) => setDistributor.mutate({ id: m.id, enabled: m.distributorDisabled, reason })}
      />
      <SponsorChangeDialog memberId={m.id} open={dialog === "sponsor"} onClose={() => setDialog(null)} onSubmitted={() => setFlash(t("mm.sc.flash.submitted"))} />
    </div>
  );
}
