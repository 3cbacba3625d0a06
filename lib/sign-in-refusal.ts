// A refused SMS sign-in as next-auth carries it to the login page: only the thrown error's message survives (it comes back
// as signIn()'s `error`), so the message holds the refusal's code and its Chinese text, and the page words it per locale.
import type { Translator } from "@/lib/i18n/core";

/** The authorize error message of a refusal with `code` (an OtpError or consent code, error.<CODE> in the catalogues). */
export function signInRefusal(code: string, message: string): string {
  return `${code}:${message}`;
}

/** The refusal in signIn()'s `error`, or null for any other error (next-auth's own, or a plain sentence). */
export function parseSignInRefusal(error: string | null | undefined): { code: string; message: string } | null {
  const m = /^([A-Z][A-Z_]*):([\s\S]*)$/.exec(error ?? "");
  return m ? { code: m[1]!, message: m[2]! } : null;
}

/** signIn()'s error for people: a refusal as the send button's (zh the server's text, else error.<CODE>), else as it came. */
export function signInErrorText(t: Translator, error: string | null | undefined): string {
  const refusal = parseSignInRefusal(error);
  if (refusal) return t.locale === "zh-CN" ? refusal.message : t.opt(`error.${refusal.code}`, t("login.failed"));
  return error && error !== "CredentialsSignin" ? error : t("login.failed");
}
