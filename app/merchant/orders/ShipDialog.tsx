"use client";

// 发货 one order: carrier + tracking number (the same zod schema as the tRPC input).
import { useForm, type UseFormRegisterReturn } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { SHIP_CARRIERS, shipFormInput, type ShipForm } from "@/server/orders/shipping-schema";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import { FieldError, INVALID_CLASSES, invalidProps } from "@/components/merchant/FieldError";
import { carrierChoice } from "./[id]/timeline";

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
        <ShipFields
          carrier={form.register("carrier")}
          trackingNo={form.register("trackingNo")}
          errors={{ carrier: form.formState.errors.carrier ? t("mo.ship.chooseCarrier") : undefined, trackingNo: form.formState.errors.trackingNo?.message }}
        />
        {error ? (
          <p role="alert" className="text-xs text-rose-600">
            {error}
          </p>
        ) : null}
      </div>
    </ConfirmDialog>
  );
}

/** The two fields, each marked invalid and described by its message (read out as it appears) while refused. */
export function ShipFields({ carrier, trackingNo, errors }: { carrier: UseFormRegisterReturn<"carrier">; trackingNo: UseFormRegisterReturn<"trackingNo">; errors: { carrier?: string; trackingNo?: string } }) {
  const t = useT();
  return (
    <>
      <label className="block">
        {t("mo.ship.carrier")}
        <select {...carrier} {...invalidProps("ship-carrier", errors.carrier)} className={`mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 ${INVALID_CLASSES}`} defaultValue="">
          <option value="" disabled>
            {t("mo.ship.chooseCarrier")}
          </option>
          {SHIP_CARRIERS.map((c) => (
            <option key={c} value={c}>
              {carrierChoice(t, c)}
            </option>
          ))}
        </select>
      </label>
      <FieldError name="ship-carrier" message={errors.carrier} />
      <label className="block">
        {t("mo.ship.trackingNo")}
        <input {...trackingNo} {...invalidProps("ship-trackingNo", errors.trackingNo)} className={`mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 font-mono ${INVALID_CLASSES}`} autoComplete="off" />
      </label>
      <FieldError name="ship-trackingNo" message={errors.trackingNo} />
    </>
  );
}
