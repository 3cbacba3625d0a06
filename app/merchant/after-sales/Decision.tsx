"use client";

// Approve / reject one after-sales request (reject needs the reason the shopper will read).
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { rejectRefundInput, type RejectRefundForm } from "@/server/aftersales/schema";

export function DecisionButtons({ request }: { request: { id: number; orderNo: string } }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<"approve" | "reject" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm<RejectRefundForm>({ resolver: zodResolver(rejectRefundInput), defaultValues: { reason: "" } });
  const done = async () => {
    setOpen(null);
    setError(null);
    await queryClient.invalidateQueries({ queryKey: trpc.merchantAfterSales.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.merchantOrder.pathKey() });
  };
  const onError = (e: Parameters<typeof errorText>[1]) => setError(errorText(t, e));
  const approve = useMutation(trpc.merchantAfterSales.approve.mutationOptions({ onSuccess: done, onError }));
  const reject = useMutation(trpc.merchantAfterSales.reject.mutationOptions({ onSuccess: done, onError }));
  const submitReject = form.handleSubmit((v) => reject.mutate({ id: request.id, reason: v.reason }));
  return (
    <span className="flex gap-2 whitespace-nowrap">
      <button type="button" className="rounded bg-emerald-600 px-2 py-1 text-xs text-white" onClick={() => setOpen("approve")}>
        {t("as.approve")}
      </button>
      <button type="button" className="rounded border border-rose-300 px-2 py-1 text-xs text-rose-700" onClick={() => setOpen("reject")}>
        {t("as.reject")}
      </button>
      <ConfirmDialog
        open={open === "approve"}
        title={t("as.approve.title")}
        body={t("as.approve.body", { orderNo: request.orderNo })}
        confirmLabel={t("as.approve")}
        pending={approve.isPending}
        onConfirm={() => approve.mutate({ id: request.id })}
        onCancel={() => setOpen(null)}
      >
        {error && open === "approve" ? <p role="alert" className="mt-2 text-xs text-rose-600">{error}</p> : null}
      </ConfirmDialog>
      <ConfirmDialog open={open === "reject"} title={t("as.reject.title")} confirmLabel={t("as.reject.submit")} danger pending={reject.isPending} onConfirm={() => void submitReject()} onCancel={() => setOpen(null)}>
        <label className="mt-3 block text-sm">
          {t("as.reject.reason")}
          <textarea {...form.register("reason")} rows={3} maxLength={200} className="mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5" />
        </label>
        {form.formState.errors.reason ? <p className="text-xs text-rose-600">{form.formState.errors.reason.message}</p> : null}
        {error && open === "reject" ? <p role="alert" className="mt-2 text-xs text-rose-600">{error}</p> : null}
      </ConfirmDialog>
    </span>
  );
}
