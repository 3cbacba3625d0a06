"use client";

// 提现审核: search form (filters in the URL), the queue with row selection for 批量通过, row actions
// (通过, 驳回, 重新打款) and the per-row results of a batch. A member under risk review is marked on their rows (SPEC §8),
// and so is a member frozen since asking (their pending withdrawal can only be rejected).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { useMemo, useState, type ReactNode } from "react";
import { DataTable } from "@/components/merchant/DataTable";
import { FilterBar } from "@/components/merchant/FilterBar";
import { notAnAmount, reversedAmounts, reversedDates } from "@/components/merchant/filter-checks";
import { MoneyCell } from "@/components/merchant/MoneyCell";
import { StatusBadge, type Tone } from "@/components/merchant/StatusBadge";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { ExportButton } from "@/components/merchant/ExportButton";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { formatYuanGrouped } from "@/components/money";
import { useT } from "@/lib/i18n/client";
import { DateTimeText } from "@/components/merchant/DateTimeText";
import { useTimeZone } from "@/lib/time-zone";
import { errorText } from "@/lib/i18n/labels";
import { yuanInputToFen } from "@/server/money";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import type { WithdrawalFilter } from "@/server/wallet/review";

type Row = RouterOutputs["merchantWithdrawal"]["list"]["items"][number];
type BatchResult = RouterOutputs["merchantWithdrawal"]["approveMany"][number];
type Input = WithdrawalFilter & { page: number; pageSize: number };
const STATUSES = ["PENDING_REVIEW", "APPROVED", "PAYING", "PAID", "REJECTED", "FAILED"] as const;
const SORTS = ["createdAt", "amountFen"];
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export const WITHDRAWAL_TONE: Record<Row["status"], Tone> = {
  PENDING_REVIEW: "progress", APPROVED: "info", PAYING: "info", PAID: "success", REJECTED: "neutral", FAILED: "danger",
};

/**
 * `canSeeRisk`: the viewer may open the risk review (the owner, risk staff), so the risk mark links to the member's events.
 * `canOpenMembers`: the viewer may open the member pages (membersRead), so a row's member links to theirs.
 */
export function WithdrawalsClient({ canSeeRisk, canOpenMembers = false }: { canSeeRisk: boolean; canOpenMembers?: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { page, pageSize, sort, get } = useTableUrl({ sort: "createdAt.desc" });
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [confirmBatch, setConfirmBatch] = useState(false);
  const [results, setResults] = useState<BatchResult[] | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<Row | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState(false);
  const [retrying, setRetrying] = useState<Row | null>(null);
  const [approving, setApproving] = useState<Row | null>(null);

  const status = get("status");
  const min = yuanInputToFen(get("min"));
  const max = yuanInputToFen(get("max"));
  const input: Input = {
    page,
    pageSize,
    sort: (sort && SORTS.includes(sort.id) ? `${sort.id}.${sort.desc ? "desc" : "asc"}` : "createdAt.desc") as Input["sort"],
    status: (STATUSES as readonly string[]).includes(status) ? (status as Input["status"]) : undefined,
    from: DAY_RE.test(get("from")) ? get("from") : undefined,
    to: DAY_RE.test(get("to")) ? get("to") : undefined,
    member: get("member") || undefined,
    minFen: min ?? undefined,
    maxFen: max ?? undefined,
    flagged: get("risk") === "flagged" || undefined,
    blocked: get("payout") === "blocked" || undefined,
    failedAwaiting: get("payout") === "failedAwaiting" || undefined,
  };
  const list = useQuery({ ...trpc.merchantWithdrawal.list.queryOptions(input, { retry: false }), placeholderData: keepPreviousData });
  const rows = useMemo(() => list.data?.items ?? [], [list.data]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.merchantWithdrawal.pathKey() });
  const statusLabel = (s: string) => t.opt(`withdrawal.status.${s}`, s);

  // Frozen, or under risk review, the server refuses an approval (SPEC §8): the button says why and the batch leaves
  // the row out. A frozen member's is rejected (the money goes back to the balance), so that reason comes first.
  const awaitingMe = (r: Row) => r.status === "PENDING_REVIEW" && !r.approvedByMe;
  const approveBlocked = (r: Row): "frozen" | "risk" | null => (!awaitingMe(r) ? null : r.memberFrozen ? "frozen" : r.riskFlagged ? "risk" : null);
  const approvable = (r: Row) => awaitingMe(r) && approveBlocked(r) === null;
  const selectable = rows.filter(approvable);
  const chosen = rows.filter((r) => selected.has(r.id) && approvable(r));

  const approveMany = useMutation(
    trpc.merchantWithdrawal.approveMany.mutationOptions({
      onSuccess: (r) => {
        setResults(r);
        setSelected(new Set());
        setConfirmBatch(false);
        void refresh();
      },
      onError: (e) => setError(errorText(t, e)),
    }),
  );
  const approve = useMutation(
    trpc.merchantWithdrawal.approve.mutationOptions({
      onSuccess: (w) => {
        const no = w.payoutNo ?? `WD${w.id}`;
        setFlash(w.status === "PENDING_REVIEW" ? t("mw.flash.recorded", { no }) : t("mw.flash.approved", { no, status: statusLabel(w.status) }));
        setApproving(null);
        void refresh();
      },
      onError: (e) => {
        setApproving(null);
        setError(errorText(t, e));
      },
    }),
  );
  const reject = useMutation(
    trpc.merchantWithdrawal.reject.mutationOptions({
      onSuccess: () => {
        setFlash(t("mw.flash.rejected", { no: rejecting?.payoutNo ?? "" }));
        setRejecting(null);
        void refresh();
      },
      onError: (e) => setError(errorText(t, e)),
    }),
  );
  const retry = useMutation(
    trpc.merchantWithdrawal.retryPayout.mutationOptions({
      onSuccess: (r) => {
        const no = retrying?.payoutNo ?? "";
        // Held again but waiting: the day's withdrawals reached the two-approver threshold (SPEC §6).
        setFlash(r.status === "PENDING_REVIEW" ? t("mw.flash.retryNeedsApproval", { no }) : t("mw.flash.retried", { no, status: statusLabel(r.status) }));
        setRetrying(null);
        void refresh();
      },
      onError: (e) => {
        setRetrying(null);
        setError(errorText(t, e));
      },
    }),
  );
  const act = (fn: () => void) => {
    setFlash(null);
    setError(null);
    fn();
  };

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      {
        id: "select",
        header: () => (
          <input
            type="checkbox"
            aria-label={t("mw.selectAll")}
            disabled={selectable.length === 0}
            checked={selectable.length > 0 && selectable.every((r) => selected.has(r.id))}
            onChange={(e) => setSelected(e.target.checked ? new Set(selectable.map((r) => r.id)) : new Set())}
          />
        ),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) =>
          approvable(row.original) ? (
            <input
              type="checkbox"
              aria-label={`${t("mw.select")} ${row.original.payoutNo ?? row.original.id}`}
              checked={selected.has(row.original.id)}
              onChange={(e) => {
                const next = new Set(selected);
                if (e.target.checked) next.add(row.original.id);
                else next.delete(row.original.id);
                setSelected(next);
              }}
            />
          ) : null,
      },
      {
        id: "no",
        header: t("mw.col.no"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => (
          <span className="font-mono text-xs" data-testid="withdrawal-no" data-id={row.original.id}>
            {row.original.payoutNo ?? `WD${row.original.id}`}
          </span>
        ),
      },
      {
        id: "member",
        header: t("mw.col.member"),
        enableSorting: false,
        cell: ({ row }) => (
          <span>
            {canOpenMembers ? (
              <Link href={`/merchant/members/${row.original.memberId}`} title={t("mw.member.open")} className="underline decoration-neutral-300 underline-offset-2 hover:decoration-neutral-700" data-testid="withdrawal-member">
                {row.original.member.nickname ?? row.original.member.username}
              </Link>
            ) : (
              row.original.member.nickname ?? row.original.member.username
            )}
            <span className="ml-1 text-xs text-neutral-400">#{row.original.memberId}{row.original.member.phoneMasked ? ` ${row.original.member.phoneMasked}` : ""}</span>
          </span>
        ),
      },
      { id: "amountFen", header: t("mw.col.amount"), cell: ({ row }) => <MoneyCell fen={row.original.amountFen} /> },
      { id: "fee", header: t("mw.col.fee"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.feeFen} /> },
      { id: "net", header: t("mw.col.net"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.netFen} /> },
      {
        id: "status",
        header: t("mw.col.status"),
        enableSorting: false,
        cell: ({ row }) => (
          <span className="flex flex-col items-start gap-0.5">
            <StatusBadge label={statusLabel(row.original.status)} tone={WITHDRAWAL_TONE[row.original.status]} status={row.original.status} />
            {/* Approved, but the payout skips a frozen member: it waits here until staff reject it or the freeze is lifted. */}
            {row.original.payoutBlocked ? (
              <span title={t("mw.blocked.hint")} data-testid="withdrawal-blocked">
                <StatusBadge label={t("mw.blocked")} tone="danger" />
              </span>
            ) : null}
            {/* Pending, but the member was frozen since asking: it cannot be approved, only rejected. */}
            {row.original.memberFrozen ? (
              <span title={t("mw.frozen.hint")} data-testid="withdrawal-frozen">
                <StatusBadge label={t("mw.frozen")} tone="danger" />
              </span>
            ) : null}
            {row.original.riskFlagged ? (
              canSeeRisk ? (
                <Link href={`/merchant/risk/${row.original.memberId}`} title={t("mw.risk.link")} data-testid="withdrawal-risk" className="underline decoration-rose-300 underline-offset-2">
                  <StatusBadge label={t("mw.risk")} tone="danger" />
                </Link>
              ) : (
                <span title={t("mw.risk.hint")} data-testid="withdrawal-risk">
                  <StatusBadge label={t("mw.risk")} tone="danger" />
                </span>
              )
            ) : null}
          </span>
        ),
      },
      {
        // Beside the status it explains, two lines at most (the whole text in the tooltip): a long reason does not widen the table.
        id: "reason",
        header: t("mw.col.reason"),
        enableSorting: false,
        meta: { wrap: true, minWidth: "8rem" },
        cell: ({ row }) => {
          // A failed payout: its case in the reader's words, the provider's own text (for support) in the tooltip.
          const failure = row.original.failure;
          const reason = row.original.riskHeld ? t("mw.risk.held") : failure ? t(`mw.failure.${failure.code}`) : row.original.reason;
          const detail = failure?.raw ? t("mw.failure.detail", { raw: failure.raw }) : reason;
          const askedAgainAt = row.original.askedAgainAt;
          return reason ? (
            <span className="max-w-56 text-xs">
              <span className="line-clamp-2 text-rose-600 wrap-anywhere" title={detail ?? undefined} data-testid="withdrawal-reason" data-code={failure?.code}>
                {reason}
              </span>
              {/* The member has asked again since this failure: not on finance's to-do any more. */}
              {askedAgainAt ? (
                <span className="block text-neutral-500" data-testid="withdrawal-asked-again">
                  {t("mw.failure.askedAgain")} <DateTimeText at={askedAgainAt} timeZone={timeZone} />
                </span>
              ) : null}
            </span>
          ) : null;
        },
      },
      {
        id: "approvals",
        header: t("mw.col.approvals"),
        enableSorting: false,
        cell: ({ row }) => {
          // A rejection is one person's decision, not an approval count: "驳回：<who>".
          const rejecter = row.original.status === "REJECTED" ? row.original.approvals.findLast((a) => a.decision === "reject") : undefined;
          return rejecter ? (
            <span className="text-xs" data-testid="withdrawal-rejected-by">
              {t("mw.rejectedBy", { name: rejecter.staff.displayName })}
            </span>
          ) : row.original.approvalsNeeded === 0 ? (
            <span className="text-xs text-neutral-500">{t("mw.auto")}</span>
          ) : (
            <span className="text-xs" title={row.original.approvals.map((a) => `${a.staff.displayName}:${a.decision}`).join(", ")}>
              <span data-testid="withdrawal-approvals">{t("mw.approvals", { n: row.original.approvedCount, need: row.original.approvalsNeeded })}</span>
              {row.original.approvals.length ? <span className="ml-1 text-neutral-400">{row.original.approvals.map((a) => a.staff.displayName).join(t("input.list"))}</span> : null}
            </span>
          );
        },
      },
      { id: "createdAt", header: t("mw.col.createdAt"), cell: ({ row }) => <DateTimeText at={row.original.createdAt} timeZone={timeZone} /> },
      { id: "decidedAt", header: t("mw.col.decidedAt"), enableSorting: false, cell: ({ row }) => (row.original.decidedAt ? <DateTimeText at={row.original.decidedAt} timeZone={timeZone} /> : "—") },
      {
        id: "actions",
        header: t("mw.col.actions"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => {
          const r = row.original;
          return (
            <div className="flex flex-col items-start gap-1">
              {/* While this column is pinned over the others (a phone), it says what is approved: the amount and the payee. */}
              <span className="hidden max-w-[10rem] truncate text-xs group-data-[overflowing=true]/table:block" data-testid="withdrawal-action-summary">
                <span className="text-sm font-semibold text-neutral-900 tabular-nums">{formatYuanGrouped(r.amountFen)}</span>
                <span className="ml-1 text-neutral-500">{r.member.nickname ?? r.member.username}</span>
              </span>
              <span className="flex gap-2 whitespace-nowrap">
                {r.status === "PENDING_REVIEW" && r.approvedByMe ? <span className="text-xs text-neutral-400">{t("mw.approvedByMe")}</span> : null}
                {approvable(r) ? (
                  <button type="button" disabled={approve.isPending} className="rounded bg-neutral-900 px-2 py-1 text-xs text-white disabled:opacity-50" onClick={() => act(() => setApproving(r))}>
                    {t("mw.approve")}
                  </button>
                ) : null}
                {approveBlocked(r) ? (
                  <button
                    type="button"
                    disabled
                    title={t(approveBlocked(r) === "frozen" ? "mw.frozen.approveBlocked" : "mw.risk.approveBlocked")}
                    aria-describedby={`${approveBlocked(r)}-blocked-${r.id}`}
                    data-testid="withdrawal-approve-blocked"
                    data-blocked={approveBlocked(r)}
                    className="rounded bg-neutral-900 px-2 py-1 text-xs text-white disabled:opacity-40"
                  >
                    {t("mw.approve")}
                  </button>
                ) : null}
                {r.status === "PENDING_REVIEW" || r.status === "APPROVED" ? (
                  <button type="button" className="rounded border border-neutral-300 px-2 py-1 text-xs" onClick={() => act(() => (setReason(""), setReasonError(false), setRejecting(r)))}>
                    {t("mw.reject")}
                  </button>
                ) : null}
                {r.status === "FAILED" ? (
                  <button type="button" className="rounded border border-neutral-900 px-2 py-1 text-xs" onClick={() => act(() => setRetrying(r))}>
                    {t("mw.retry")}
                  </button>
                ) : null}
              </span>
              {/* Approved before the flag: 打款 waits for the risk review, which is where it is decided (or 驳回 here). */}
              {r.payoutHeld ? (
                <RiskNote testId="withdrawal-payout-held" memberId={r.memberId} canSeeRisk={canSeeRisk}>
                  {t("mw.risk.payoutHeld")}
                </RiskNote>
              ) : null}
              {approveBlocked(r) === "frozen" ? (
                <span id={`frozen-blocked-${r.id}`} className="max-w-56 text-xs whitespace-normal text-rose-600" data-testid="withdrawal-approve-blocked-reason">
                  {t("mw.frozen.approveBlocked")}
                </span>
              ) : null}
              {approveBlocked(r) === "risk" ? (
                <RiskNote id={`risk-blocked-${r.id}`} testId="withdrawal-approve-blocked-reason" memberId={r.memberId} canSeeRisk={canSeeRisk}>
                  {t("mw.risk.approveBlocked")}
                </RiskNote>
              ) : null}
            </div>
          );
        },
      },
    ],
    // approvable, approveBlocked and act are plain helpers over the listed state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, selected, selectable, approve.isPending, timeZone, canSeeRisk, canOpenMembers],
  );

  const totalChosen = chosen.reduce((s, r) => s + r.amountFen, 0);
  const summary = results
    ? { approved: results.filter((r) => r.outcome === "approved").length, recorded: results.filter((r) => r.outcome === "recorded").length, refused: results.filter((r) => r.outcome === "refused").length }
    : null;

  return (
    <div>
      <FilterBar
        errors={{
          to: reversedDates(get("from"), get("to")) ? t("m.filter.reversedDates") : undefined,
          min: notAnAmount(get("min")) ? t("m.filter.notAmount") : undefined,
          max: notAnAmount(get("max")) ? t("m.filter.notAmount") : reversedAmounts(get("min"), get("max")) ? t("m.filter.reversedAmounts") : undefined,
        }}
        fields={[
          { name: "status", label: t("mw.filter.status"), type: "select", options: [{ value: "", label: t("mw.filter.anyStatus") }, ...STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))] },
          { name: "from", label: t("mw.filter.from"), type: "date" },
          { name: "to", label: t("mw.filter.to"), type: "date" },
          { name: "member", label: t("mw.filter.member"), type: "text", placeholder: t("mw.filter.memberPh") },
          { name: "min", label: t("mw.filter.min"), type: "text" },
          { name: "max", label: t("mw.filter.max"), type: "text" },
          { name: "risk", label: t("mw.filter.risk"), type: "select", options: [{ value: "", label: t("mw.filter.anyRisk") }, { value: "flagged", label: t("mw.filter.flagged") }] },
          { name: "payout", label: t("mw.filter.payout"), type: "select", options: [{ value: "", label: t("mw.filter.anyPayout") }, { value: "blocked", label: t("mw.filter.payoutBlocked") }, { value: "failedAwaiting", label: t("mw.filter.payoutFailedAwaiting") }] },
        ]}
      >
        <ExportButton href="/merchant/withdrawals/export" />
      </FilterBar>
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <button
          type="button"
          data-testid="batch-approve"
          disabled={chosen.length === 0}
          className="rounded-md bg-neutral-900 px-4 py-1.5 text-sm text-white disabled:opacity-40"
          onClick={() => act(() => setConfirmBatch(true))}
        >
          {t("mw.batch.button", { n: chosen.length })}
        </button>
        {flash ? (
          <p role="status" className="rounded bg-emerald-50 px-3 py-1.5 text-sm text-emerald-700">
            {flash}
          </p>
        ) : null}
        {error || list.error ? (
          <p role="alert" className="rounded bg-rose-50 px-3 py-1.5 text-sm text-rose-700">
            {error ?? errorText(t, list.error)}
          </p>
        ) : null}
      </div>
      {results && summary ? (
        <section className="mb-3 rounded-lg border border-neutral-200 bg-white p-3 text-sm" data-testid="batch-results" aria-label={t("mw.batch.result")}>
          <div className="flex items-center justify-between">
            <h2 className="font-medium">{t("mw.batch.result")}</h2>
            <button type="button" className="text-xs text-neutral-500" onClick={() => setResults(null)} aria-label={t("m.close")}>
              ✕
            </button>
          </div>
          <p className="mt-1 text-neutral-600" data-testid="batch-summary">
            {t("mw.batch.summary", summary)}
          </p>
          <ul className="mt-2 divide-y divide-neutral-100">
            {results.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-3 py-1.5" data-testid="batch-result" data-outcome={r.outcome} data-id={r.id}>
                <span className="font-mono text-xs">{r.payoutNo ?? `#${r.id}`}</span>
                <StatusBadge label={t(`mw.outcome.${r.outcome}`)} tone={r.outcome === "approved" ? "success" : r.outcome === "recorded" ? "progress" : "neutral"} />
                {r.status ? <span className="text-xs text-neutral-500">{statusLabel(r.status)}</span> : null}
                {r.message ? <span className="text-xs text-rose-600">{errorText(t, { message: r.message, data: { domainCode: r.code } })}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <DataTable id="withdrawals" columns={columns} rows={rows} total={list.data?.total ?? 0} loading={list.isFetching} defaultSort="createdAt.desc" rowTestId="merchant-withdrawal" getRowId={(r) => String(r.id)} />

      <ConfirmDialog
        open={confirmBatch}
        title={t("mw.batch.title", { n: chosen.length })}
        body={t("mw.batch.body", { total: formatYuanGrouped(totalChosen) })}
        pending={approveMany.isPending}
        onConfirm={() => approveMany.mutate({ ids: chosen.map((r) => r.id) })}
        onCancel={() => setConfirmBatch(false)}
      />
      {/* The biggest money button on the desk: who, how much, and that the payout goes out at once (or waits for a second approver). */}
      <ConfirmDialog
        open={approving !== null}
        title={t("mw.approve.title", { no: approving ? (approving.payoutNo ?? `WD${approving.id}`) : "" })}
        body={approving ? <ApproveSummary row={approving} /> : null}
        confirmLabel={t("mw.approve.submit")}
        pending={approve.isPending}
        onConfirm={() => approving && approve.mutate({ id: approving.id })}
        onCancel={() => setApproving(null)}
      />
      <ConfirmDialog
        open={rejecting !== null}
        title={t("mw.reject.title", { no: rejecting?.payoutNo ?? "" })}
        confirmLabel={t("mw.reject.submit")}
        danger
        pending={reject.isPending}
        onConfirm={() => {
          if (!reason.trim()) return setReasonError(true);
          if (rejecting) reject.mutate({ id: rejecting.id, reason: reason.trim() });
        }}
        onCancel={() => setRejecting(null)}
      >
        <label className="mt-3 block text-sm">
          {t("mw.reject.reason")}
          <input value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} className="mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5" />
        </label>
        {reasonError ? (
          <p role="alert" className="mt-1 text-xs text-rose-600">
            {t("mw.reject.needReason")}
          </p>
        ) : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={retrying !== null}
        title={t("mw.retry.title", { no: retrying?.payoutNo ?? "" })}
        body={retrying ? <RetrySummary row={retrying} /> : null}
        pending={retry.isPending}
        onConfirm={() => retrying && retry.mutate({ id: retrying.id })}
        onCancel={() => setRetrying(null)}
      />
    </div>
  );
}

/** Why a row waits on the member's risk review, with the way to it for staff who may decide it. */
function RiskNote({ id, testId, memberId, canSeeRisk, children }: { id?: string; testId: string; memberId: number; canSeeRisk: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <span id={id} className="max-w-56 text-xs whitespace-normal text-rose-600" data-testid={testId}>
      {children}
      {canSeeRisk ? (
        <Link href={`/merchant/risk/${memberId}`} className="ml-1 underline" data-testid="withdrawal-risk-resolve">
          {t("mw.risk.resolve")}
        </Link>
      ) : null}
    </span>
  );
}

/** What 通过 decides: the payee, the amounts and what follows (paid out at once, or another approver first). */
export function ApproveSummary({ row }: { row: Row }) {
  const t = useT();
  const last = row.approvedCount + 1 >= row.approvalsNeeded;
  const net = formatYuanGrouped(row.netFen);
  return (
    <div data-testid="withdrawal-approve-summary">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt>{t("mw.col.member")}</dt>
        <dd className="text-neutral-900">
          {row.member.nickname ?? row.member.username}
          <span className="ml-1 text-xs text-neutral-500">#{row.memberId}{row.member.phoneMasked ? ` ${row.member.phoneMasked}` : ""}</span>
        </dd>
        <dt>{t("mw.col.amount")}</dt>
        <dd className="text-neutral-900 tabular-nums">{formatYuanGrouped(row.amountFen)}</dd>
        <dt>{t("mw.col.fee")}</dt>
        <dd className="tabular-nums">{formatYuanGrouped(row.feeFen)}</dd>
        <dt>{t("mw.col.net")}</dt>
        <dd className="font-semibold text-neutral-900 tabular-nums">{net}</dd>
        <dt>{t("mw.payee")}</dt>
        <dd className="text-neutral-900" data-testid="withdrawal-approve-payee">
          {row.payee.channel ? t(`mw.payee.channel.${row.payee.channel}`) : t("mw.payee.channel.none")}
          {row.payee.channel ? (
            row.payee.account ? (
              <span className="ml-1 tabular-nums">{row.payee.account}</span>
            ) : (
              <span className="ml-1 text-rose-600">{t("mw.payee.unbound")}</span>
            )
          ) : null}
        </dd>
        <dt>{t("mw.payee.realName")}</dt>
        <dd data-testid="withdrawal-approve-identity">
          {row.payee.realNameMasked ? <span className="mr-2 text-neutral-900">{row.payee.realNameMasked}</span> : null}
          <span className={row.payee.verified ? "text-emerald-700" : "text-rose-600"}>{t(row.payee.verified ? "mw.payee.verified" : "mw.payee.unverified")}</span>
        </dd>
      </dl>
      <p className="mt-3" data-testid="withdrawal-approve-next">
        {last ? t("mw.approve.payNow", { net }) : t("mw.approve.needsAnother", { n: row.approvedCount + 1, need: row.approvalsNeeded, net })}
      </p>
    </div>
  );
}

/** What 重新打款 repeats: the amounts, why the last payout failed, and whose move it is before a retry can succeed. */
export function RetrySummary({ row }: { row: Row }) {
  const t = useT();
  const failure = row.failure;
  return (
    <div data-testid="withdrawal-retry-summary">
      {failure ? (
        <p className="mb-2">
          <span className="mr-1 text-neutral-500">{t("mw.retry.reason")}</span>
          <span className="text-rose-700" title={failure.raw ? t("mw.failure.detail", { raw: failure.raw }) : undefined} data-testid="withdrawal-retry-reason">
            {t(`mw.failure.${failure.code}`)}
          </span>
        </p>
      ) : null}
      {failure?.side ? (
        <p className="mb-2 rounded bg-amber-50 px-2 py-1.5 text-amber-800" role="note" data-testid="withdrawal-retry-warning" data-side={failure.side}>
          {t(`mw.retry.side.${failure.side}`)}
        </p>
      ) : null}
      <p>{t("mw.retry.body", { amount: formatYuanGrouped(row.amountFen), fee: formatYuanGrouped(row.feeFen) })}</p>
    </div>
  );
}
