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

export function offerText(rebate: { n: number; percent: number; windowDays: number; enabled: boolean }) {
  if (!rebate.enabled) return "正品好物，分享还能赚佣金。";
  const back = rebate.percent === 100 ? "全额返现" : `返还 ${rebate.percent}%`;
  return `推三返一：下单后 ${rebate.windowDays} 天内邀请 ${rebate.n} 位好友完成首单，你的订单${back}。`;
}
