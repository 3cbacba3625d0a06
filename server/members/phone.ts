// Mainland China mobile numbers, shared by the address rules and the shop's forms (no server imports).
export const MAINLAND_MOBILE_RE = /^1[3-9]\d{9}$/;

/** Spaces and dashes removed ("138 0013 8000", "138-0013-8000" are typed that way). */
export const normalizePhone = (raw: string) => raw.replace(/[\s-]/g, "");

/** A mainland mobile number: 11 digits, 1 then 3–9. */
export function isMainlandMobile(raw: string): boolean {
  return MAINLAND_MOBILE_RE.test(normalizePhone(raw));
}
