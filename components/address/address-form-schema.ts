// The shipping-address form's own checks (the server checks again: server/members/addresses.ts). Each
// message is a message key, translated where it shows, under its field.
import { z } from "@/lib/zod-client";
import { ADDRESS_LIMITS, charCount } from "@/server/members/address-limits";
import { isMainlandMobile } from "@/server/members/phone";

export const addressFormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "address.nameRequired")
    .refine((v) => charCount(v) <= ADDRESS_LIMITS.name, "address.nameTooLong"),
  phone: z.string().refine(isMainlandMobile, "address.phoneInvalid"),
  /** The picked division's text (or an old free-text region); areaCode is the picked division's code. */
  region: z.string().trim().min(1, "address.regionRequired"),
  areaCode: z.string().nullable(),
  detail: z
    .string()
    .trim()
    .min(1, "address.detailRequired")
    .refine((v) => charCount(v) <= ADDRESS_LIMITS.detail, "address.detailTooLong"),
  isDefault: z.boolean(),
});

export type AddressFormValues = z.infer<typeof addressFormSchema>;
