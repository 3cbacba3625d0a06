import "server-only";
import { cache } from "react";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { normaliseCode } from "@/server/referral";
import { VisitBuffer } from "@/server/referral/visit-buffer";
import { onLandingView } from "@/server/page-cache";
import { avatarOf, publicNameOf } from "@/server/members/profile";

/** What a landing page shows about a share link; null for an unknown or malformed code. */
export const loadInvite = cache(async (routeCode: string) => {
  // Next has already decoded the route param: a second decode would throw on a "%" (/r/%25 answered 500).
  const code = normaliseCode(routeCode);
  if (!code) return null;
  const db = await getDb();
  const member = await db.member.findUnique({
    where: { referralCode: code },
    select: { id: true, nickname: true, avatarUrl: true, frozen: true },
  });
  if (!member || member.frozen) return null;
  const config = await loadConfig(db);
  return {
    code,
    memberId: member.id,
    inviter: publicNameOf(member),
    avatar: avatarOf(member),
    /** The offer as anyone the link reaches is told it (share previews, the Open Graph picture): the rules in force. */
    rebate: config.rebate,
    /** The merchant's campaign texts (/merchant/rules), checked by the compliance guard when saved. */
    campaign: config.campaign,
  };
});

/** The signed-in member forwarding a share link: their own code and name go on the share card (null: gone, or frozen). */
export async function loadSharer(memberId: number) {
  const me = await (await getDb()).member.findUnique({ where: { id: memberId }, select: { id: true, referralCode: true, nickname: true, frozen: true } });
  return me && !me.frozen ? me : null;
}

const g = globalThis as unknown as { __fmVisits?: VisitBuffer };
const visits = (g.__fmVisits ??= new VisitBuffer(getDb));
// Views served from the page cache are counted by proxy.ts through this (a frozen or unknown code counts none).
onLandingView((code, visitorId, newFromNetwork) => recordVisit(code, visitorId, newFromNetwork));

/** Queues the visit for the next batch unless it repeats one (server/referral/visit-buffer.ts); never fails or holds up the page. */
export function recordVisit(code: string, visitorId: string | null, newFromNetwork: string | null) {
  visits.add({ code, visitorId, at: new Date() }, newFromNetwork);
}

// The offer text lives in lib/i18n/labels.ts (landingOfferText), in the visitor's language.
