// Explicit consent at sign-in (PIPL 第十四条): the login page's box, unticked by default, names the versions of
// 用户协议 and 隐私政策 the shopper read. Sending a code and signing in are refused without it, or when a document
// changed since the page was opened; each sign-in records what was accepted, on the member.
import type { Db, Tx } from "../db";
import { DomainError } from "../context";
import { currentLegalVersions } from "./documents";
import type { LegalVersions } from "./consent-token";

export { LEGAL_CONSENT_COOKIE, parseConsentToken } from "./consent-token";

export const CONSENT_MISSING_MESSAGE = "请先阅读并勾选同意《用户协议》和《隐私政策》";
export const CONSENT_OUTDATED_MESSAGE = "《用户协议》或《隐私政策》已更新，请刷新页面阅读后重新勾选同意";

export class ConsentRefused extends DomainError {
  constructor(message: string) {
    super("CONSENT_REQUIRED", message);
  }
}

/** The versions the shopper accepted, if they are the current ones; else a ConsentRefused saying why. */
export async function requireCurrentConsent(db: Db | Tx, accepted: LegalVersions | null | undefined): Promise<LegalVersions> {
  if (!accepted) throw new ConsentRefused(CONSENT_MISSING_MESSAGE);
  const current = await currentLegalVersions(db);
  if (accepted.terms !== current.terms || accepted.privacy !== current.privacy) throw new ConsentRefused(CONSENT_OUTDATED_MESSAGE);
  return current;
}

/** Records that the member accepted these versions at a sign-in through `channel`. */
export async function recordConsent(db: Db | Tx, memberId: number, versions: LegalVersions, channel: "sms" | "wechat", now: Date): Promise<void> {
  await db.legalConsent.create({ data: { memberId, termsVersion: versions.terms, privacyVersion: versions.privacy, channel, acceptedAt: now } });
}

/** Whether the member has accepted the current versions before (a WeChat sign-in then needs no new tick). */
export async function hasCurrentConsent(db: Db | Tx, memberId: number): Promise<boolean> {
  const current = await currentLegalVersions(db);
  return (await db.legalConsent.findFirst({ where: { memberId, termsVersion: current.terms, privacyVersion: current.privacy }, select: { id: true } })) !== null;
}
