"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { isMainlandMobile } from "@/server/members/phone";
import { RegionPicker } from "./RegionPicker";

type Saved = { id: number };
export interface EditableAddress {
  id: number;
  name: string;
  phone: string;
  region: string;
  areaCode: string | null;
  detail: string;
  isDefault: boolean;
}

/**
 * A shipping address, new or edited: 省/市/区 from the picker (the server derives the region text from
 * its division code), the phone checked as a mainland mobile here and again on the server.
 */
export function AddressForm({
  onSaved,
  onCancel,
  makeDefault = false,
  initial,
}: {
  onSaved: (a: Saved) => void;
  onCancel?: () => void;
  makeDefault?: boolean;
  initial?: EditableAddress;
}) {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    name: initial?.name ?? "",
    phone: initial?.phone ?? "",
    region: initial?.region ?? "",
    areaCode: initial?.areaCode ?? null,
    detail: initial?.detail ?? "",
    isDefault: initial?.isDefault ?? makeDefault,
  });
  // Checked once 11 digits are typed or on saving (not on blur: a message appearing then would move the form under the finger).
  const [phoneTouched, setPhoneTouched] = useState(false);
  const done = {
    onSuccess: async (a: Saved) => {
      await queryClient.invalidateQueries({ queryKey: trpc.address.pathKey() });
      onSaved(a);
    },
  };
  const add = useMutation(trpc.address.add.mutationOptions(done));
  const update = useMutation(trpc.address.update.mutationOptions(done));
  const saving = add.isPending || update.isPending;
  const error = add.error ?? update.error;
  const phoneBad = (phoneTouched || form.phone.length >= 11) && form.phone !== "" && !isMainlandMobile(form.phone);
  const field = "w-full rounded-lg border border-neutral-200 px-3 py-2 text-sm outline-none focus:border-rose-400";
  return (
    <form method="post"
      className="space-y-2.5"
      onSubmit={(e) => {
        e.preventDefault();
        setPhoneTouched(true);
        if (!isMainlandMobile(form.phone)) return;
        // A picked division sends its code; an old free-text region is kept as it was.
        const body = { name: form.name, phone: form.phone, detail: form.detail, isDefault: form.isDefault, ...(form.areaCode ? { areaCode: form.areaCode } : { region: form.region }) };
        if (initial) update.mutate({ id: initial.id, ...body });
        else add.mutate(body);
      }}
    >
      <input className={field} placeholder={t("address.namePlaceholder")} aria-label={t("address.name")} value={form.name} maxLength={20} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      <input
        className={`${field} ${phoneBad ? "border-rose-400" : ""}`}
        placeholder={t("address.phone")}
        aria-label={t("address.phone")}
        aria-invalid={phoneBad}
        inputMode="numeric"
        maxLength={11}
        value={form.phone}
        onChange={(e) => setForm({ ...form, phone: e.target.value.replace(/\D/g, "") })}
      />
      {phoneBad ? (
        <p className="text-xs text-rose-600" data-testid="phone-error">
          {t("address.phoneInvalid")}
        </p>
      ) : null}
      <RegionPicker value={form.region} label={t("address.region")} onChange={(areaCode, region) => setForm({ ...form, areaCode, region })} />
      <textarea className={`${field} h-16 resize-none`} placeholder={t("address.detailPlaceholder")} aria-label={t("address.detail")} value={form.detail} onChange={(e) => setForm({ ...form, detail: e.target.value })} />
      <label className="flex items-center gap-2 text-xs text-neutral-600">
        <input type="checkbox" className="accent-rose-600" checked={form.isDefault} onChange={(e) => setForm({ ...form, isDefault: e.target.checked })} />
        {t("address.makeDefault")}
      </label>
      {error ? (
        <p role="alert" className="text-xs text-rose-600">
          {errorText(t, error)}
        </p>
      ) : null}
      <div className="flex gap-2 pt-1">
        {onCancel ? (
          <button type="button" onClick={onCancel} className="h-10 flex-1 rounded-full border border-neutral-200 text-sm text-neutral-600">
            {t("common.cancel")}
          </button>
        ) : null}
        <button type="submit" disabled={saving} className="h-10 flex-1 rounded-full bg-rose-600 text-sm font-medium text-white disabled:opacity-50">
          {saving ? t("address.saving") : t("address.save")}
        </button>
      </div>
    </form>
  );
}
