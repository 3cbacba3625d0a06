import "server-only";
import { cache } from "react";
import { getDb } from "@/server/db";
import { inTx, loadConfig } from "@/server/context";
import { normaliseCode, recordReferralVisit } from "@/server/referral";
import { maskName } from "@/app/_lib/mask";

/** What a landing page shows about a share link; null for an unknown or malformed code. */
export const loadInvite = cache(async (rawCode: string) => {
  const code = normaliseCode(decodeURIComponent(rawCode));
  if (!code) return null;
  const db = await getDb();
  const member = await db.member.findUnique({
    where: { referralCode: code },
    select: { id: true, nickname: true, phoneMasked: true, frozen: true },
  });
  if (!member || member.frozen) return null;
  const config = await loadConfig(db);
  return {
    code,
    memberId: member.id,
    inviter: maskName(member.nickname ?? member.phoneMasked ?? "好友"),
    rebate: config.rebate,
    /** The merchant's campaign texts (/merchant/rules), checked by the compliance guard when saved. */
    campaign: config.campaign,
  };
});

/** Records the visit; never fails the page. */
export async function recordVisit(code: string, visitorId: string | null) {
  try {
    const db = await getDb();
    await inTx(db, {}, (ctx) => recordReferralVisit(ctx, code, visitorId));
  } catch (err) {
    console.error("referral visit not recorded:", err instanceof Error ? err.name : "unknown error");
  }
}

// The offer text lives in lib/i18n/labels.ts (landingOfferText), in the visitor's language.
