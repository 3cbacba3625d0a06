// The 店铺资料 form: what the merchant types, checked by the procedure's own schema (server/shop/schema.ts) in one
// pass, so every field that is wrong is reported at once, beside it and in the page's language.
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { issueText } from "@/components/merchant/issue-text";
import { SHOP_PROFILE_FIELDS, shopProfileSchema, type ShopProfileField, type ShopProfileValues } from "@/server/shop/schema";

export type ShopProfileFormValues = Record<ShopProfileField, string>;

/** The form's values of a saved profile (blank for what is not set). */
export function profileFormValues(p: Record<ShopProfileField, string | null>): ShopProfileFormValues {
  return Object.fromEntries(SHOP_PROFILE_FIELDS.map((f) => [f, p[f] ?? ""])) as ShopProfileFormValues;
}

/** A refused field's name in the server's refusals on an English page (lib/i18n/labels.ts refusalIssues). */
export function shopFieldName(t: Translator, path: string): string {
  return (SHOP_PROFILE_FIELDS as readonly string[]).includes(path) ? t(`m.shop.f.${path as ShopProfileField}`) : path;
}

/** The form's words for a refusal zod's code says too little about: a format, a missing name. */
function wording(t: Translator, field: ShopProfileField, issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === "custom" && (field === "servicePhone" || field === "serviceWechat" || field === "email")) return t(`m.shop.err.${field}`);
  if (issue.code === "too_small" && field === "name") return t("m.shop.err.nameRequired");
  return undefined;
}

export function shopProfileForm(t: Translator) {
  const strings = z.object(Object.fromEntries(SHOP_PROFILE_FIELDS.map((f) => [f, z.string()])) as Record<ShopProfileField, z.ZodString>);
  return strings.transform((v, ctx): ShopProfileValues => {
    const r = shopProfileSchema.safeParse(v);
    if (r.success) return r.data;
    for (const issue of r.error.issues) {
      const field = issue.path[0] as ShopProfileField;
      ctx.addIssue({ code: "custom", path: [field], message: issueText(t, issue, { wording: wording(t, field, issue) }) });
    }
    return z.NEVER;
  });
}
export type ShopProfileFormIn = z.input<ReturnType<typeof shopProfileForm>>;
export type ShopProfileFormOut = z.output<ReturnType<typeof shopProfileForm>>;
