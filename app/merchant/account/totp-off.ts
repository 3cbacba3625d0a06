// Turning one's own TOTP off (staffAccount.disableTotp): the current password proves it is them (the session has
// already passed the code, so none is asked); owners and finance must keep it, and everyone while the shop requires it
// (server/staff/policy.ts), as the server refuses them.
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { mfaRequired, type StaffRole } from "@/server/staff/roles";

/** What the TOTP card offers: the control to turn it off, a note that the role (or the shop) requires it, or nothing while it is off. */
export function totpOffControl(role: StaffRole, totpOn: boolean, shopRequiresTotp = false): "form" | "required" | "shop-required" | null {
  if (!totpOn) return null;
  if (mfaRequired(role)) return "required";
  return mfaRequired(role, shopRequiresTotp) ? "shop-required" : "form";
}

/** The form's check, worded for the page (the password as typed: passwords are never trimmed). */
export function totpOffForm(t: Translator) {
  return z.object({ password: z.string().min(1, t("m.account.passwordRequired")) });
}
export type TotpOffFormValues = z.input<ReturnType<typeof totpOffForm>>;

/** Where a refusal is shown: a wrong password beside the password field, anything else (locked, role, sign-in again) under the form. */
export function totpOffRefusalField(domainCode: string | null | undefined): "password" | "root" {
  return domainCode === "WRONG_PASSWORD" ? "password" : "root";
}
