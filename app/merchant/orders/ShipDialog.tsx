"use client";

// 发货 one order: carrier + tracking number (the same zod schema as the tRPC input).
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { SHIP_CARRIERS, shipFormInput, type ShipForm } from "@/server/orders/shipping-schema";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";

const CARRIER_LABEL: Record<(typeof SHIP_CARRIERS)[number], string> = {
  SF: "顺丰速运 SF", ZTO: "中通快递 ZTO", YTO: "圆通速递 YTO", YD: "韵达快递 YD", STO: "申通快递 STO", JD: "京东物流 JD", EMS: "中国邮政 EMS", JT: "极兔速递 JT", DBL: "德邦快递 DBL",
};

export function ShipDialog({ order, onClose }: { order: { id: number; orderNo: string }; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ShipForm>({ resolver: zodResolver(shipFormInput), defaultValues: { trackingNo: "" } });
  const ship = useMutation(
    trpc.merchantOrder.shipWithTracking.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.merchantOrder.pathKey() });
        onClose();
      },
      onError: (e) => setError(errorText(t, e)),
    }),
  );
  const submit = form.handleSubmit((v) => ship.mutate({ id: order.id, ...v }));
  return (
    <ConfirmDialog open title={t("mo.ship.title", { orderNo: order.orderNo })} confirmLabel={t("mo.ship.submit")} pending={ship.isPending} onConfirm={() => void submit()} onCancel={onClose}>
      <div className="mt-3 space-y-3 text-sm">
        <label className="block">
          {t("mo.ship.carrier")}
          <select {...form.register("carrier")} className="mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5" defaultValue="">
            <option value="" disabled>
              {t("mo.ship.chooseCarrier")}
            </option>
            {SHIP_CARRIERS.map((c) => (
              <option key={c} value={c}>
                {CARRIER_LABEL[c]}
              </option>
            ))}
          </select>
        </label>
        {form.formState.errors.carrier ? <p className="text-xs text-rose-600">{t("mo.ship.chooseCarrier")}</p> : null}
        <label className="block">
          {t("mo.ship.trackingNo")}
          <input {...form.register("trackingNo")} className="mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 font-mono" autoComplete="off" />
        </label>
        {form.formState.errors.trackingNo ? <p className="text-xs text-rose-600">{form.formState.errors.trackingNo.message}</p> : null}
        {error ? (
          <p role="alert" className="text-xs text-rose-600">
            {error}
          </p>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}
