"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";

type Saved = { id: number };

/** New shipping address (validated on the server; its message, by domain code in English, is shown under the form). */
export function AddressForm({ onSaved, onCancel, makeDefault = false }: { onSaved: (a: Saved) => void; onCancel?: () => void; makeDefault?: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: "", phone: "", region: "", detail: "", isDefault: makeDefault });
  const add = useMutation(
    trpc.address.add.mutationOptions({
      onSuccess: async (a) => {
        await queryClient.invalidateQueries({ queryKey: trpc.address.pathKey() });
        onSaved(a);
      },
    }),
  );
  const field = "w-full rounded-lg border border-neutral-200 px-3 py-2 text-sm outline-none focus:border-rose-400";
  return (
    <form
      className="space-y-2.5"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(form);
      }}
    >
      <input className={field} placeholder={t("address.namePlaceholder")} aria-label={t("address.name")} value={form.name} maxLength={20} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      <input
        className={field}
        placeholder={t("address.phone")}
        aria-label={t("address.phone")}
        inputMode="numeric"
        maxLength={11}
        value={form.phone}
        onChange={(e) => setForm({ ...form, phone: e.target.value.replace(/\D/g, "") })}
      />
      <input className={field} placeholder={t("address.regionPlaceholder")} aria-label={t("address.region")} value={form.region} onChange={(e) => setForm({ ...form, region: e.target.value })} />
      <textarea className={`${field} h-16 resize-none`} placeholder={t("address.detailPlaceholder")} aria-label={t("address.detail")} value={form.detail} onChange={(e) => setForm({ ...form, detail: e.target.value })} />
      <label className="flex items-center gap-2 text-xs text-neutral-600">
        <input type="checkbox" className="accent-rose-600" checked={form.isDefault} onChange={(e) => setForm({ ...form, isDefault: e.target.checked })} />
        {t("address.makeDefault")}
      </label>
      {add.error ? (
        <p role="alert" className="text-xs text-rose-600">
          {errorText(t, add.error)}
        </p>
      ) : null}
      <div className="flex gap-2 pt-1">
        {onCancel ? (
          <button type="button" onClick={onCancel} className="h-10 flex-1 rounded-full border border-neutral-200 text-sm text-neutral-600">
            {t("common.cancel")}
          </button>
        ) : null}
        <button type="submit" disabled={add.isPending} className="h-10 flex-1 rounded-full bg-rose-600 text-sm font-medium text-white disabled:opacity-50">
          {add.isPending ? t("address.saving") : t("address.save")}
        </button>
      </div>
    </form>
  );
}
