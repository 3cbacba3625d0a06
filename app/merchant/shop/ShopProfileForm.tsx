"use client";

// 店铺资料: read by every member of staff, edited by the owner (the procedure's own schema checks the form, app/merchant/shop/form.ts);
// the server's refusals (the compliance guard) beside their fields; a save over someone else's newer one is refused, with a reload.
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { useTRPC, type RouterOutputs } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText, refusalIssues } from "@/lib/i18n/labels";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { FieldError, INVALID_CLASSES, invalidProps, useFocusFirstInvalid } from "@/components/merchant/FieldError";
import { SubmitRow } from "@/components/merchant/SubmitRow";
import { SHOP_PROFILE_FIELDS, SHOP_PROFILE_MAX, type ShopProfileField } from "@/server/shop/schema";
import { profileFormValues, shopFieldName, shopProfileForm, type ShopProfileFormIn, type ShopProfileFormOut } from "./form";

const SECTIONS: { title: "m.shop.section.shop" | "m.shop.section.contact"; fields: ShopProfileField[] }[] = [
  { title: "m.shop.section.shop", fields: ["name", "nameEn", "operatorName"] },
  { title: "m.shop.section.contact", fields: ["servicePhone", "serviceWechat", "email", "serviceHours", "address"] },
];
const HELP: Partial<Record<ShopProfileField, "m.shop.help.nameEn" | "m.shop.help.operatorName" | "m.shop.help.servicePhone" | "m.shop.help.serviceHours">> = {
  nameEn: "m.shop.help.nameEn",
  operatorName: "m.shop.help.operatorName",
  servicePhone: "m.shop.help.servicePhone",
  serviceHours: "m.shop.help.serviceHours",
};
const INPUT_MODE: Partial<Record<ShopProfileField, "tel" | "email">> = { servicePhone: "tel", email: "email" };

export function ShopProfileForm({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const profile = useQuery(trpc.merchantShop.profile.queryOptions());
  return profile.data ? <ProfileForm profile={profile.data} canEdit={canEdit} /> : null;
}

function ProfileForm({ profile, canEdit }: { profile: RouterOutputs["merchantShop"]["profile"]; canEdit: boolean }) {
  const t = useT();
  const timeZone = useTimeZone();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [refusals, setRefusals] = useState(0);
  // The values the page opened with, also as the inputs' HTML values (the first render shows them before the script runs);
  // a later refetch never overwrites what the owner is typing.
  const [initial] = useState(() => profileFormValues(profile));
  // The version these values were loaded from: a refetch after another owner's save must not move it (it would overwrite theirs).
  const [base, setBase] = useState(profile.updatedAt);
  const [stale, setStale] = useState(false);
  const schema = useMemo(() => shopProfileForm(t), [t]);
  const form = useForm<ShopProfileFormIn, unknown, ShopProfileFormOut>({ resolver: zodResolver(schema), defaultValues: initial });
  const save = useMutation(
    trpc.merchantShop.save.mutationOptions({
      onSuccess: async (r) => {
        // The values as saved (blank as blank, numbers without spaces).
        form.reset(profileFormValues(r.profile));
        setBase(r.profile.updatedAt);
        // A default 用户协议 / 隐私政策 naming what changed got a new version: shoppers agree again at their next sign-in.
        const docs = new Intl.ListFormat(t.locale, { type: "conjunction" }).format(r.legal.map((l) => t("m.shop.legalVersion", { doc: t(`m.legal.kind.${l.kind}`), version: l.version })));
        setMessage(r.legal.length ? t("m.shop.savedLegal", { docs }) : t(r.changed ? "m.shop.saved" : "m.shop.unchanged"));
        await queryClient.invalidateQueries({ queryKey: trpc.merchantShop.profile.queryKey() });
      },
      onError: (e) => {
        setStale(e.data?.code === "CONFLICT");
        const issues = refusalIssues(t, e, shopFieldName);
        for (const i of issues) form.setError((SHOP_PROFILE_FIELDS as readonly string[]).includes(i.path) ? (i.path as ShopProfileField) : "root", { type: "server", message: i.text });
        if (issues.length) setRefusals((n) => n + 1);
        setMessage(issues.length ? t("m.shop.refused") : errorText(t, e));
      },
    }),
  );
  useFocusFirstInvalid(formRef, form.formState.submitCount + refusals);
  const control = `mt-1 block w-full rounded-md border border-neutral-300 px-2 py-1.5 text-sm disabled:bg-neutral-50 disabled:text-neutral-700 ${INVALID_CLASSES}`;
  return (
    <form
      method="post"
      ref={formRef}
      noValidate
      className="max-w-2xl space-y-4 rounded-lg border border-neutral-200 bg-white p-4 text-sm"
      data-testid="shop-profile-form"
      onSubmit={form.handleSubmit((v) => {
        setMessage(null);
        save.mutate({ ...v, baseUpdatedAt: base });
      })}
    >
      {canEdit ? null : <p className="rounded bg-neutral-50 p-2 text-xs text-neutral-600">{t("m.shop.readOnly")}</p>}
      <fieldset disabled={!canEdit} className="space-y-4">
        {SECTIONS.map((section) => (
          <fieldset key={section.title} className="space-y-3">
            <legend className="mb-2 font-medium text-neutral-900">{t(section.title)}</legend>
            {section.fields.map((name) => {
              const error = form.formState.errors[name]?.message;
              const help = HELP[name];
              const id = `shop-${name}`;
              // The hint stays out of the field's name: it describes the field, as the refusal does.
              const describedBy = [help ? `${id}-help` : null, invalidProps(name, error)["aria-describedby"]].filter(Boolean).join(" ") || undefined;
              return (
                <div key={name}>
                  <label htmlFor={id} className="block text-xs text-neutral-600">
                    {t(`m.shop.f.${name}`)}
                  </label>
                  <input id={id} {...form.register(name)} defaultValue={initial[name]} maxLength={SHOP_PROFILE_MAX[name]} inputMode={INPUT_MODE[name]} className={control} {...invalidProps(name, error)} aria-describedby={describedBy} />
                  {help ? (
                    <p id={`${id}-help`} className="mt-1 text-xs text-neutral-500">
                      {t(help)}
                    </p>
                  ) : null}
                  <FieldError name={name} message={error} />
                </div>
              );
            })}
          </fieldset>
        ))}
      </fieldset>
      <FieldError name="root" message={form.formState.errors.root?.message} />
      {canEdit ? <SubmitRow label={t("m.shop.save")} pending={save.isPending} message={message} testId="shop-profile-message" /> : null}
      {stale ? (
        <button type="button" onClick={() => window.location.reload()} className="text-sm font-medium text-rose-700 underline" data-testid="shop-profile-reload">
          {t("m.shop.reload")}
        </button>
      ) : null}
      {profile.updatedAt ? <p className="text-xs text-neutral-500">{t("m.shop.updatedAt", { date: formatDateTime(profile.updatedAt, { timeZone }) })}</p> : null}
    </form>
  );
}
