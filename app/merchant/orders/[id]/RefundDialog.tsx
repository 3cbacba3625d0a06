"use client";

// 退款 one order from its detail page: states what goes back and what is cancelled, then merchantOrder.refund.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { formatYuanGrouped } from "@/components/money";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";

export function RefundDialog({ order, onClose }: { order: { id: number; orderNo: string; payableFen: number; creditUsedFen: number }; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const refund = useMutation(
    trpc.merchantOrder.refund.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.merchantOrder.pathKey() });
        onClose();
      },
      onError: (e) => setError(errorText(t, e)),
    }),
  );
  return (
    <ConfirmDialog
      open
      title={t("mo.refund.title", { orderNo: order.orderNo })}
      confirmLabel={t("mo.refund.submit")}
      danger
      pending={refund.isPending}
      onConfirm={() => refund.mutate({ id: order.id })}
      onCancel={onClose}
    >
      <div className="mt-2 space-y-2 text-sm text-neutral-600" data-testid="refund-dialog-body">
        <p>{t("mo.refund.payable", { amount: formatYuanGrouped(order.payableFen) })}</p>
        {order.creditUsedFen > 0 ? <p>{t("mo.refund.credit", { amount: formatYuanGrouped(order.creditUsedFen) })}</p> : null}
        <p>{t("mo.refund.cancels")}</p>
        {error ? (
          <p role="alert" className="text-xs text-rose-600">
            {error}
          </p>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}
