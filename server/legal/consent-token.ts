// How a shopper's consent travels from the login page (pure: the browser imports it too): "<terms>.<privacy>",
// the versions of 用户协议 and 隐私政策 the box was ticked for, in the SMS sign-in's hidden field and in a short
// cookie that the WeChat sign-in after it reads.
export interface LegalVersions {
  terms: number;
  privacy: number;
}

export const LEGAL_CONSENT_COOKIE = "fm_consent";
/** Long enough for WeChat's authorisation round trip. */
export const LEGAL_CONSENT_MAX_AGE_S = 15 * 60;

/** "3.2" → { terms: 3, privacy: 2 }; anything else → null. */
export function parseConsentToken(value: string | null | undefined): LegalVersions | null {
  const m = /^([1-9]\d{0,8})\.([1-9]\d{0,8})$/.exec(value ?? "");
  return m ? { terms: Number(m[1]), privacy: Number(m[2]) } : null;
}

export function consentToken(v: LegalVersions): string {
  return `${v.terms}.${v.privacy}`;
}
