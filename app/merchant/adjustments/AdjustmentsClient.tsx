"use client";

// 手工调账: the list (filters in the URL) with 批准 / 驳回 for a second person, and the form that
// requests an adjustment (amount typed in 元, carried in fen; the same zod schema as the procedure).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useRef, useState } from "react";
import { DataTable } from "@/components/merchant/DataTable";
import { FilterBar } from "@/components/merchant/FilterBar";
import { MoneyCell } from "@/components/merchant/MoneyCell";
import { StatusBadge, type Tone } from "@/components/merchant/StatusBadge";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { FieldError, INVALID_CLASSES, invalidProps, useFocusFirstInvalid } from "@/components/merchant/FieldError";
import { ExportButton } from "@/components/merchant/ExportButton";
import { useTableUrl } from "@/components/merchant/useUrlState";
import { formatYuanGrouped } from "@/components/money";
import { useT } from "@/lib/i18n/client";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { errorText } from "@/lib/i18n/labels";
import { ADJUSTABLE_BUCKETS, ADJUSTMENT_STATUSES, newAdjustmentRequestKey } from "@/server/wallet/schemas";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { adjustmentForm, type AdjustmentFormIn, type AdjustmentFormOut } from "./form";

type Row = RouterOutputs["merchantAdjustment"]["list"]["items"][number];
const TONE: Record<Row["status"], Tone> = { PENDING_APPROVAL: "progress", APPLIED: "success", REJECTED: "neutral" };

export function AdjustmentsClient({ approvalAboveFen }: { approvalAboveFen: number }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { page, pageSize, get } = useTableUrl();
  const [creating, setCreating] = useState(false);
  const [approving, setApproving] = useState<Row | null>(null);
  const [rejecting, setRejecting] = useState<Row | null>(null);
  const [note, setNote] = useState("");
  const [flash, setFlash] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const status = get("status");
  const list = useQuery({
    ...trpc.merchantAdjustment.list.queryOptions(
      { page, pageSize, status: (ADJUSTMENT_STATUSES as readonly string[]).includes(status) ? (status as Row["status"]) : undefined, member: get("member") || undefined },
      { retry: false },
    ),
    placeholderData: keepPreviousData,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.merchantAdjustment.pathKey() });
  const bucketLabel = (b: string) => t.opt(`bucket.${b}`, b);
  const onError = (e: Parameters<typeof errorText>[1]) => setError(errorText(t, e));

  const formSchema = useMemo(() => adjustmentForm(t), [t]);
  const form = useForm<AdjustmentFormIn, unknown, AdjustmentFormOut>({
    resolver: zodResolver(formSchema),
    defaultValues: { member: "", bucket: "available", direction: "credit", amount: "", reason: "" },
    shouldFocusError: false,
  });
  const formBody = useRef<HTMLDivElement>(null);
  useFocusFirstInvalid(formBody, form.formState.submitCount);
  // One key per submission, kept across its retries (a lost answer, a second click) so the server makes it once; a new one after it is recorded.
  const [requestKey, setRequestKey] = useState(newAdjustmentRequestKey);
  const request = useMutation(
    trpc.merchantAdjustment.request.mutationOptions({
      onSuccess: (a) => {
        setRequestKey(newAdjustmentRequestKey());
        setFlash(a.status === "APPLIED" ? t("ma.flash.applied", { id: a.id }) : t("ma.flash.pending", { id: a.id }));
        setCreating(false);
        form.reset();
        void refresh();
      },
      onError: (e) => {
        // The key already made an adjustment with other details: the list shows it, and a submission after checking it is a new one.
        if (e.data?.domainCode === "ADJUSTMENT_KEY_REUSED") {
          setRequestKey(newAdjustmentRequestKey());
          void refresh();
        }
        onError(e);
      },
    }),
  );
  const approve = useMutation(
    trpc.merchantAdjustment.approve.mutationOptions({
      onSuccess: (a) => {
        setFlash(t("ma.flash.applied", { id: a.id }));
        setApproving(null);
        void refresh();
      },
      onError: (e) => {
        setApproving(null);
        onError(e);
      },
    }),
  );
  const reject = useMutation(
    trpc.merchantAdjustment.reject.mutationOptions({
      onSuccess: (a) => {
        setFlash(t("ma.flash.rejected", { id: a.id }));
        setRejecting(null);
        void refresh();
      },
      onError: (e) => {
        setRejecting(null);
        onError(e);
      },
    }),
  );
  const clear = () => {
    setFlash(null);
    setError(null);
  };

  const columns = useMemo<ColumnDef<Row, unknown>[]>(
    () => [
      { id: "id", header: t("ma.col.id"), enableSorting: false, enableHiding: false, cell: ({ row }) => <span className="font-mono text-xs">#{row.original.id}</span> },
      {
        id: "member",
        header: t("ma.col.member"),
        enableSorting: false,
        cell: ({ row }) => (
          <span className="whitespace-nowrap">
            {row.original.member.nickname ?? row.original.member.username}
            <span className="ml-1 text-xs text-neutral-400">#{row.original.memberId}{row.original.member.phoneMasked ? ` ${row.original.member.phoneMasked}` : ""}</span>
          </span>
        ),
      },
      { id: "bucket", header: t("ma.col.bucket"), enableSorting: false, meta: { nowrap: true }, cell: ({ row }) => bucketLabel(row.original.bucket) },
      { id: "amount", header: t("ma.col.amount"), enableSorting: false, cell: ({ row }) => <MoneyCell fen={row.original.amountFen} /> },
      { id: "reason", header: t("ma.col.reason"), enableSorting: false, meta: { wrap: true, minWidth: "10rem" }, cell: ({ row }) => <span className="line-clamp-2 max-w-xs">{row.original.reason}</span> },
      {
        id: "status",
        header: t("ma.col.status"),
        enableSorting: false,
        cell: ({ row }) => <StatusBadge label={t(`ma.status.${row.original.status}`)} tone={TONE[row.original.status]} status={row.original.status} />,
      },
      { id: "requestedBy", header: t("ma.col.requestedBy"), enableSorting: false, meta: { nowrap: true }, cell: ({ row }) => row.original.requestedBy.displayName },
      { id: "decidedBy", header: t("ma.col.decidedBy"), enableSorting: false, meta: { nowrap: true }, cell: ({ row }) => row.original.decidedBy?.displayName ?? "—" },
      { id: "requestedAt", header: t("ma.col.requestedAt"), enableSorting: false, cell: ({ row }) => <span className="whitespace-nowrap tabular-nums">{formatDateTime(row.original.requestedAt, { timeZone })}</span> },
      {
        id: "actions",
        header: t("ma.col.actions"),
        enableSorting: false,
        enableHiding: false,
        cell: ({ row }) => {
          const r = row.original;
          if (r.status !== "PENDING_APPROVAL") return null;
          return (
            <span className="flex gap-2 whitespace-nowrap">
              {r.canDecide ? (
                <button type="button" className="rounded bg-neutral-900 px-2 py-1 text-xs text-white" onClick={() => (clear(), setApproving(r))}>
                  {t("ma.approve")}
                </button>
              ) : (
                <span className="text-xs text-neutral-400">{t("ma.ownRequest")}</span>
              )}
              <button type="button" className="rounded border border-neutral-300 px-2 py-1 text-xs" onClick={() => (clear(), setNote(""), setRejecting(r))}>
                {t("ma.reject")}
              </button>
            </span>
          );
        },
      },
    ],
    // bucketLabel and clear are plain helpers over t and setters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [t, timeZone],
  );

  const errs = form.formState.errors;
  const fieldCls = `mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 ${INVALID_CLASSES}`;
  return (
    <div>
      <FilterBar
        fields={[
          { name: "status", label: t("ma.filter.status"), type: "select", options: [{ value: "", label: t("ma.filter.anyStatus") }, ...ADJUSTMENT_STATUSES.map((s) => ({ value: s, label: t(`ma.status.${s}`) }))] },
          { name: "member", label: t("ma.filter.member"), type: "text", placeholder: t("mw.filter.memberPh") },
        ]}
      >
        <ExportButton href="/merchant/adjustments/export" />
        <button type="button" className="rounded-md bg-neutral-900 px-4 py-1.5 text-sm text-white" onClick={() => (clear(), setCreating(true))}>
          {t("ma.new")}
        </button>
      </FilterBar>
      {flash ? (
        <p role="status" className="mb-3 rounded bg-emerald-50 px-3 py-1.5 text-sm text-emerald-700">
          {flash}
        </p>
      ) : null}
      {error || list.error ? (
        <p role="alert" className="mb-3 rounded bg-rose-50 px-3 py-1.5 text-sm text-rose-700">
          {error ?? errorText(t, list.error)}
        </p>
      ) : null}
      <DataTable id="adjustments" columns={columns} rows={list.data?.items ?? []} total={list.data?.total ?? 0} loading={list.isFetching} rowTestId="adjustment-row" getRowId={(r) => String(r.id)} />

      <ConfirmDialog open={creating} title={t("ma.new")} confirmLabel={t("ma.form.submit")} pending={request.isPending} onConfirm={() => void form.handleSubmit((v) => request.mutate({ ...v, requestKey }))()} onCancel={() => setCreating(false)}>
        <div ref={formBody} className="mt-3 space-y-3 text-sm">
          <label className="block">
            {t("ma.form.member")}
            <input {...form.register("member")} className={fieldCls} autoComplete="off" {...invalidProps("member", errs.member?.message)} />
            <FieldError name="member" message={errs.member?.message} />
          </label>
          <div className="flex gap-3">
            <label className="block flex-1">
              {t("ma.form.bucket")}
              <select {...form.register("bucket")} className={fieldCls}>
                {ADJUSTABLE_BUCKETS.map((b) => (
                  <option key={b} value={b}>
                    {bucketLabel(b)}
                  </option>
                ))}
              </select>
            </label>
            <label className="block flex-1">
              {t("ma.form.direction")}
              <select {...form.register("direction")} className={fieldCls}>
                <option value="credit">{t("ma.form.credit")}</option>
                <option value="debit">{t("ma.form.debit")}</option>
              </select>
            </label>
          </div>
          <label className="block">
            {t("ma.form.amount")}
            <input {...form.register("amount")} inputMode="decimal" className={fieldCls} {...invalidProps("amount", errs.amount?.message)} />
            <FieldError name="amount" message={errs.amount?.message} />
          </label>
          <label className="block">
            {t("ma.form.reason")}
            <textarea {...form.register("reason")} rows={2} maxLength={200} className={fieldCls} {...invalidProps("reason", errs.reason?.message)} />
            <FieldError name="reason" message={errs.reason?.message} />
          </label>
          <p className="text-xs text-neutral-500">{t("ma.form.needsApproval", { amount: formatYuanGrouped(approvalAboveFen) })}</p>
        </div>
      </ConfirmDialog>
      <ConfirmDialog
        open={approving !== null}
        title={t("ma.approve.title", { id: approving?.id ?? "" })}
        body={
          approving
            ? t("ma.approve.body", {
                member: approving.member.nickname ?? approving.member.username,
                bucket: bucketLabel(approving.bucket),
                direction: approving.amountFen > 0 ? t("ma.form.credit") : t("ma.form.debit"),
                amount: formatYuanGrouped(Math.abs(approving.amountFen)),
                reason: approving.reason,
              })
            : null
        }
        confirmLabel={t("ma.approve")}
        pending={approve.isPending}
        onConfirm={() => approving && approve.mutate({ id: approving.id })}
        onCancel={() => setApproving(null)}
      />
      <ConfirmDialog
        open={rejecting !== null}
        title={t("ma.reject.title", { id: rejecting?.id ?? "" })}
        confirmLabel={t("ma.reject")}
        danger
        pending={reject.isPending}
        onConfirm={() => rejecting && note.trim() && reject.mutate({ id: rejecting.id, note: note.trim() })}
        onCancel={() => setRejecting(null)}
      >
        <label className="mt-3 block text-sm">
          {t("ma.reject.note")}
          <input value={note} maxLength={200} onChange={(e) => setNote(e.target.value)} className={fieldCls} />
        </label>
      </ConfirmDialog>
    </div>
  );
}
