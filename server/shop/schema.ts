// The 店铺资料 form's schema, shared by the back-office form (client bundle: no database or node imports here), the
// tRPC input and the domain's own check (server/shop/profile.ts). Its output is its valid input too (blank → null,
// spaces out of numbers), so the domain can check again what the procedure already parsed.
import { z } from "@/lib/zod-client";
import { text } from "@/server/validation";

export const SHOP_PROFILE_FIELDS = ["name", "nameEn", "operatorName", "servicePhone", "serviceWechat", "email", "serviceHours", "address"] as const;
export type ShopProfileField = (typeof SHOP_PROFILE_FIELDS)[number];

/** The fields written in words: the compliance guard reads them as it reads campaign texts. */
export const SHOP_PROFILE_TEXT_FIELDS = ["name", "nameEn", "operatorName", "serviceHours", "address"] as const satisfies readonly ShopProfileField[];

/** Each field's name in the server's Chinese refusals. */
export const SHOP_PROFILE_LABEL: Record<ShopProfileField, string> = {
  name: "店铺名称",
  nameEn: "英文名称",
  operatorName: "经营主体",
  servicePhone: "客服电话",
  serviceWechat: "客服微信",
  email: "电子邮箱",
  serviceHours: "服务时间",
  address: "通信地址",
};

/** Longest value of each field, in characters. */
export const SHOP_PROFILE_MAX: Record<ShopProfileField, number> = {
  name: 30,
  nameEn: 60,
  operatorName: 60,
  servicePhone: 30,
  serviceWechat: 20,
  email: 100,
  serviceHours: 60,
  address: 120,
};

const MOBILE = /^1[3-9]\d{9}$/;
// Area code 0xx or 0xxx, a local number of 7–8 digits (never starting with 0 or 1), an optional extension.
const LANDLINE = /^(0\d{2,3})-?([2-9]\d{6,7})(?:-(\d{1,6}))?$/;
// 400 / 800 service numbers: 10 digits.
const SERVICE_NUMBER = /^([48]00)-?(\d{3})-?(\d{4})$/;
// WeChat's own rule for a 微信号: 6–20 characters, a letter first, then letters, digits, _ or -.
const WECHAT_ID = /^[a-zA-Z][-_a-zA-Z0-9]{5,19}$/;
const EMAIL = z.email();

export function isServicePhone(v: string): boolean {
  return MOBILE.test(v) || LANDLINE.test(v) || SERVICE_NUMBER.test(v);
}

/** The tel: link of a valid service phone: digits only, an extension dialled after a pause. */
export function telHref(phone: string): string {
  const landline = LANDLINE.exec(phone);
  if (landline) return `tel:${landline[1]}${landline[2]}${landline[3] ? `,${landline[3]}` : ""}`;
  return `tel:${phone.replace(/\D/g, "")}`;
}

export const SHOP_PROFILE_MESSAGES = {
  nameRequired: "请填写店铺名称",
  servicePhone: "请填写正确的客服电话：手机号、带区号的固定电话（如 0571-88886666）或 400/800 电话",
  serviceWechat: "请填写正确的微信号：6–20 位，以字母开头，可含字母、数字、下划线和减号；也可填手机号",
  email: "请填写正确的电子邮箱，如 service@example.com",
} as const;

const tooLong = (field: ShopProfileField) => `${SHOP_PROFILE_LABEL[field]}最多 ${SHOP_PROFILE_MAX[field]} 个字`;

/** An optional field: trimmed, blank is null; `rule` (a format) is checked on what is not blank. */
function optional(field: ShopProfileField, rule?: { test: (v: string) => boolean; name: string; message: string }, clean: (v: string) => string = (v) => v) {
  const value = text(SHOP_PROFILE_MAX[field], tooLong(field))
    .trim()
    .nullable()
    .transform((v) => (v ? clean(v) : null));
  return rule ? value.refine((v) => v === null || rule.test(v), { message: rule.message, params: { rule: rule.name } }) : value;
}

const noSpaces = (v: string) => v.replace(/\s+/g, "");

export const shopProfileSchema = z.strictObject({
  name: text(SHOP_PROFILE_MAX.name, tooLong("name")).trim().min(1, SHOP_PROFILE_MESSAGES.nameRequired),
  nameEn: optional("nameEn"),
  operatorName: optional("operatorName"),
  servicePhone: optional("servicePhone", { test: isServicePhone, name: "shopPhone", message: SHOP_PROFILE_MESSAGES.servicePhone }, noSpaces),
  serviceWechat: optional("serviceWechat", { test: (v) => WECHAT_ID.test(v) || MOBILE.test(v), name: "shopWechat", message: SHOP_PROFILE_MESSAGES.serviceWechat }),
  email: optional("email", { test: (v) => EMAIL.safeParse(v).success, name: "shopEmail", message: SHOP_PROFILE_MESSAGES.email }),
  serviceHours: optional("serviceHours"),
  address: optional("address"),
});
export type ShopProfileInput = z.input<typeof shopProfileSchema>;
export type ShopProfileValues = z.output<typeof shopProfileSchema>;

/** What the form saves: the values and the profile's `updatedAt` it was opened on (null: never saved), the stale-save check. */
export const shopProfileSaveSchema = shopProfileSchema.extend({ baseUpdatedAt: z.date().nullable() });
