"use client";

// 提现手续费与调账审批: read by finance, edited by the owner (the same zod schema as the procedure;
// amounts typed in 元, carried in fen).
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { z } from "@/lib/zod-client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { formatBps, formatFen, formatYuan } from "@/components/money";
import { yuanInputToFen } from "@/server/money";
import { moneySettingsSchema } from "@/server/wallet/schemas";

const yuan = z.string().trim().transform((v, c) => {
  const fen = yuanInputToFen(v);
  if (fen === null) {
    c.addIssue({ code: "custom", message: "请输入正确的金额，如 1 或 1.50" });
    return z.NEVER;
  }
  return fen;
});
const formSchema = z
  .object({ feeBps: z.coerce.number<string>().int().min(0).max(10000), feeMin: yuan, approvalAbove: yuan })
  .transform((v) => ({ feeBps: v.feeBps, feeMinFen: v.feeMin, adjustmentApprovalAboveFen: v.approvalAbove }))
  .pipe(moneySettingsSchema);
type FormIn = z.input<typeof formSchema>;
type FormOut = z.output<typeof formSchema>;

export function MoneySettingsPanel({ canEdit }: { canEdit: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.merchantWithdrawal.settings.queryOptions());
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<FormIn, unknown, FormOut>({ resolver: zodResolver(formSchema) });
  const save = useMutation(
    trpc.merchantWithdrawal.updateSettings.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.merchantWithdrawal.settings.queryKey() });
        setEditing(false);
        setMessage(t("mw.settings.saved"));
      },
      onError: (e) => setMessage(errorText(t, e)),
    }),
  );
  const s = settings.data;
  if (!s) return null;
  const startEdit = () => {
    form.reset({ feeBps: String(s.feeBps), feeMin: formatFen(s.feeMinFen), approvalAbove: formatFen(s.adjustmentApprovalAboveFen) });
    setMessage(null);
    setEditing(true);
  };
  const field = "mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 text-sm";
  return (
    <section className="rounded-lg border border-neutral-200 bg-white p-4 text-sm" data-testid="money-settings">
      <div className="flex items-center justify-between">
        <h2 className="font-medium">{t("mw.settings.title")}</h2>
        {canEdit && !editing ? (
          <button type="button" className="rounded border border-neutral-300 px-2 py-1 text-xs" onClick={startEdit}>
            {t("mw.settings.edit")}
          </button>
        ) : null}
      </div>
      {editing ? (
        <form method="post" className="mt-3 space-y-2" onSubmit={form.handleSubmit((v) => save.mutate(v))}>
          <label className="block text-xs text-neutral-600">
            {t("mw.settings.bps")}
            <input {...form.register("feeBps")} inputMode="numeric" className={field} />
          </label>
          <label className="block text-xs text-neutral-600">
            {t("mw.settings.min")}
            <input {...form.register("feeMin")} inputMode="decimal" className={field} />
          </label>
          <label className="block text-xs text-neutral-600">
            {t("mw.settings.approvalAbove")}
            <input {...form.register("approvalAbove")} inputMode="decimal" className={field} />
          </label>
          {Object.values(form.formState.errors).map((e, i) => (
            <p key={i} className="text-xs text-rose-600">
              {e?.message ? String(e.message) : null}
            </p>
          ))}
          <div className="flex justify-end gap-2">
            <button type="button" className="rounded-md border border-neutral-300 px-3 py-1 text-xs" onClick={() => setEditing(false)}>
              {t("m.confirm.cancel")}
            </button>
            <button type="submit" disabled={save.isPending} className="rounded-md bg-neutral-900 px-3 py-1 text-xs text-white disabled:opacity-50">
              {t("mw.settings.save")}
            </button>
          </div>
        </form>
      ) : (
        <ul className="mt-2 space-y-1 text-neutral-700">
          <li data-testid="fee-setting">{s.feeBps === 0 && s.feeMinFen === 0 ? t("mw.settings.noFee") : t("mw.settings.fee", { bps: formatBps(s.feeBps).replace("%", ""), min: formatYuan(s.feeMinFen) })}</li>
          <li>{t("mw.settings.threshold", { amount: formatYuan(s.adjustmentApprovalAboveFen) })}</li>
        </ul>
      )}
      <p className="mt-2 text-xs text-neutral-400">{t("mw.settings.why")}</p>
      {message ? (
        <p role="status" className="mt-1 text-xs text-emerald-700">
          {message}
        </p>
      ) : null}
    </section>
  );
}
