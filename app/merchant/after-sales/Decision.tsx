"use client";

// Approve / reject one after-sales request (reject needs the reason the shopper will read).
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useReducer } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { rejectRefundInput, type RejectRefundForm } from "@/server/aftersales/schema";
import { closedDecision, decisionStep } from "./decision-state";
import { approveRefundText } from "./approve-text";

export function DecisionButtons({ request }: { request: { id: number; orderNo: string; totalFen?: number; creditFen?: number } }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, dispatch] = useReducer(decisionStep, closedDecision);
  const form = useForm<RejectRefundForm>({ resolver: zodResolver(rejectRefundInput), defaultValues: { reason: "" } });
  const refetch = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.merchantAfterSales.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.merchantOrder.pathKey() });
  };
  const done = async () => {
    dispatch({ type: "close" });
    await refetch();
  };
  // Refetched once the operator has read why: refetching at once would unmount this row's dialog and its message.
  const close = () => {
    if (state.stale) void refetch();
    dispatch({ type: "close" });
  };
  const onError = (e: Parameters<typeof errorText>[1]) => dispatch({ type: "refused", text: errorText(t, e), code: e?.data?.domainCode });
  const approve = useMutation(trpc.merchantAfterSales.approve.mutationOptions({ onSuccess: done, onError }));
  const reject = useMutation(trpc.merchantAfterSales.reject.mutationOptions({ onSuccess: done, onError }));
  const submitReject = form.handleSubmit((v) => reject.mutate({ id: request.id, reason: v.reason }));
  const error = state.error ? <p role="alert" className="mt-2 text-xs text-rose-600">{state.error}</p> : null;
  return (
    <span className="flex gap-2 whitespace-nowrap">
      <button type="button" className="rounded bg-emerald-600 px-2 py-1 text-xs text-white" onClick={() => dispatch({ type: "open", dialog: "approve" })}>
        {t("as.approve")}
      </button>
      <button type="button" className="rounded border border-rose-300 px-2 py-1 text-xs text-rose-700" onClick={() => dispatch({ type: "open", dialog: "reject" })}>
        {t("as.reject")}
      </button>
      <ConfirmDialog
        open={state.open === "approve"}
        title={t("as.approve.title")}
        body={approveRefundText(t, request)}
        confirmLabel={t("as.approve")}
        pending={approve.isPending || state.stale}
        onConfirm={() => approve.mutate({ id: request.id })}
        onCancel={close}
      >
        {state.open === "approve" ? error : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={state.open === "reject"}
        title={t("as.reject.title")}
        confirmLabel={t("as.reject.submit")}
        danger
        pending={reject.isPending || state.stale}
        onConfirm={() => void submitReject()}
        onCancel={close}
      >
        <label className="mt-3 block text-sm">
          {t("as.reject.reason")}
          <textarea {...form.register("reason")} rows={3} maxLength={200} className="mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5" />
        </label>
        {form.formState.errors.reason ? <p className="text-xs text-rose-600">{form.formState.errors.reason.message}</p> : null}
        {state.open === "reject" ? error : null}
      </ConfirmDialog>
    </span>
  );
}
