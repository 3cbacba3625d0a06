// The shop home header's share link. "分享赚钱" promises a commission, so only a member who earns one by sharing now sees
// it (SPEC §4 分销资格: shareStanding's `earn`, what the product page's 分享赚 follows). A visitor, who has no share link
// until signed in, is asked to sign in to share; any other member (not yet or no longer a distributor, frozen,
// commissions off) is offered to invite friends, which the promotion centre explains (推三返一, how to qualify).
import type { Db } from "@/server/db";
import type { MallConfig } from "@/server/config/schema";
import { OFFER_VIEWER_SELECT, offerViewerOf, shareStanding } from "@/server/promotion/product-offer";

export type HomeShareLink = { label: "home.shareEarn" | "home.signInToShare" | "home.inviteFriends"; href: string };

const SIGN_IN_TO_SHARE: HomeShareLink = { label: "home.signInToShare", href: "/login?callbackUrl=%2Fpromote" };

/** `viewerId`: the signed-in member, null for a visitor. */
export async function homeShareLink(db: Db, config: MallConfig, viewerId: number | null, now: Date): Promise<HomeShareLink> {
  if (viewerId === null) return SIGN_IN_TO_SHARE;
  const m = await db.member.findUnique({ where: { id: viewerId }, select: OFFER_VIEWER_SELECT });
  // A session whose member is gone (deleted account) is a visitor.
  if (!m) return SIGN_IN_TO_SHARE;
  const standing = shareStanding(config, offerViewerOf(config, m, now));
  return { label: standing?.kind === "earn" ? "home.shareEarn" : "home.inviteFriends", href: "/promote" };
}
