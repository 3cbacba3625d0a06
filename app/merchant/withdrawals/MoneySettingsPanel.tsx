"use client";

// 提现手续费与调账审批: read by finance, edited by the owner (the same zod schema as the procedure;
// amounts typed in 元, carried in fen; refusals beside their fields, app/merchant/withdrawals/form.ts).
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { formatBps, formatFen, formatYuanGrouped } from "@/components/money";
import { FieldError, INVALID_CLASSES, invalidProps } from "@/components/merchant/FieldError";
import { moneySettingsForm, type MoneySettingsFormIn, type MoneySettingsFormOut } from "./form";

export function MoneySettingsPanel({ canEdit }: { canEdit: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.merchantWithdrawal.settings.queryOptions());
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const formSchema = useMemo(() => moneySettingsForm(t), [t]);
  const form = useForm<MoneySettingsFormIn, unknown, MoneySettingsFormOut>({ resolver: zodResolver(formSchema) });
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
  const field = `mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 text-sm ${INVALID_CLASSES}`;
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
          {(
            [
              ["feeBps", t("mw.settings.bps"), "numeric"],
              ["feeMin", t("mw.settings.min"), "decimal"],
              ["approvalAbove", t("mw.settings.approvalAbove"), "decimal"],
            ] as const
          ).map(([name, label, inputMode]) => {
            const error = form.formState.errors[name]?.message;
            return (
              <label key={name} className="block text-xs text-neutral-600">
                {label}
                <input {...form.register(name)} inputMode={inputMode} className={field} {...invalidProps(name, error)} />
                <FieldError name={name} message={error} />
              </label>
            );
          })}
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
          <li data-testid="fee-setting">{s.feeBps === 0 && s.feeMinFen === 0 ? t("mw.settings.noFee") : t("mw.settings.fee", { bps: formatBps(s.feeBps).replace("%", ""), min: formatYuanGrouped(s.feeMinFen) })}</li>
          <li>{t("mw.settings.threshold", { amount: formatYuanGrouped(s.adjustmentApprovalAboveFen) })}</li>
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
