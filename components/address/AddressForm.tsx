"use client";

import { useForm, useWatch } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import type { Translator } from "@/lib/i18n/core";
import { errorText } from "@/lib/i18n/labels";
import { isMainlandMobile } from "@/server/members/phone";
import { RegionPicker } from "./RegionPicker";
import { addressFormSchema, type AddressFormValues } from "./address-form-schema";

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
 * its division code), the phone checked as a mainland mobile here and again on the server. Saving checks
 * every field (address-form-schema.ts) and says under each one what is missing.
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
  const form = useForm<AddressFormValues>({
    resolver: zodResolver(addressFormSchema),
    defaultValues: {
      name: initial?.name ?? "",
      phone: initial?.phone ?? "",
      region: initial?.region ?? "",
      areaCode: initial?.areaCode ?? null,
      detail: initial?.detail ?? "",
      isDefault: initial?.isDefault ?? makeDefault,
    },
  });
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
  const errors = form.formState.errors;
  const phone = useWatch({ control: form.control, name: "phone" });
  const region = useWatch({ control: form.control, name: "region" });
  // The number is also checked as soon as 11 digits are typed (not on blur: a message appearing then would move the form under the finger).
  const phoneMessage = errors.phone?.message ?? (phone.length >= 11 && !isMainlandMobile(phone) ? "address.phoneInvalid" : undefined);
  // Registered in the form's order: a save with errors focuses the first invalid field, and react-hook-form goes by registration order.
  const nameField = form.register("name");
  const phoneField = form.register("phone");
  const field = "w-full rounded-lg border border-neutral-200 px-3 py-2 text-sm outline-none focus:border-rose-400";
  const bad = (message: string | undefined) => (message ? "border-rose-400" : "");
  const submit = form.handleSubmit((v) => {
    // A picked division sends its code; an old free-text region is kept as it was.
    const body = { name: v.name, phone: v.phone, detail: v.detail, isDefault: v.isDefault, ...(v.areaCode ? { areaCode: v.areaCode } : { region: v.region }) };
    if (initial) update.mutate({ id: initial.id, ...body });
    else add.mutate(body);
  });
  return (
    <form method="post" className="space-y-2.5" noValidate onSubmit={(e) => void submit(e)}>
      <input
        {...nameField}
        className={`${field} ${bad(errors.name?.message)}`}
        placeholder={t("address.namePlaceholder")}
        aria-label={t("address.name")}
        aria-invalid={!!errors.name}
        aria-describedby={errors.name ? "address-name-error" : undefined}
        maxLength={20}
      />
      <FieldError id="address-name-error" testId="name-error" message={errors.name?.message} t={t} />
      <input
        {...phoneField}
        className={`${field} ${bad(phoneMessage)}`}
        placeholder={t("address.phone")}
        aria-label={t("address.phone")}
        aria-invalid={!!phoneMessage}
        aria-describedby={phoneMessage ? "address-phone-error" : undefined}
        inputMode="numeric"
        maxLength={11}
        onChange={(e) => {
          e.target.value = e.target.value.replace(/\D/g, "");
          void phoneField.onChange(e);
        }}
      />
      <FieldError id="address-phone-error" testId="phone-error" message={phoneMessage} t={t} />
      <RegionPicker
        value={region}
        label={t("address.region")}
        error={errors.region?.message ? "address-region-error" : undefined}
        onChange={(areaCode, text) => {
          form.setValue("areaCode", areaCode);
          form.setValue("region", text, { shouldValidate: form.formState.isSubmitted });
        }}
      />
      <FieldError id="address-region-error" testId="region-error" message={errors.region?.message} t={t} />
      <textarea
        {...form.register("detail")}
        className={`${field} h-16 resize-none ${bad(errors.detail?.message)}`}
        placeholder={t("address.detailPlaceholder")}
        aria-label={t("address.detail")}
        aria-invalid={!!errors.detail}
        aria-describedby={errors.detail ? "address-detail-error" : undefined}
        maxLength={120}
      />
      <FieldError id="address-detail-error" testId="detail-error" message={errors.detail?.message} t={t} />
      <label className="flex items-center gap-2 text-xs text-neutral-600">
        <input type="checkbox" className="accent-rose-600" {...form.register("isDefault")} />
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

/** A field's message (a message key from the schema), right under it. */
function FieldError({ id, testId, message, t }: { id: string; testId: string; message: string | undefined; t: Translator }) {
  if (!message) return null;
  return (
    <p id={id} className="text-xs text-rose-600" data-testid={testId}>
      {t.has(message) ? t(message) : message}
    </p>
  );
}
