// 我的 → 编辑资料 and the ?joined=1 banner: the database side of server/members/profile.ts.
import type { Ctx } from "../context";
import { refuse } from "../context";
import { avatarOf, checkDisplayName, publicNameOf } from "./profile";

/** 我的 → 编辑资料: the member changes their own display name. */
export async function saveDisplayName(ctx: Pick<Ctx, "tx">, memberId: number, raw: string) {
  const checked = checkDisplayName(raw);
  if (!checked.ok) refuse("INVALID_DISPLAY_NAME", checked.message);
  return ctx.tx.member.update({ where: { id: memberId }, data: { nickname: checked.name }, select: { id: true, nickname: true } });
}

/** What a member who just signed up through a share link is told (?joined=1): their inviter, or why there is none. */
export async function joinedView(ctx: Pick<Ctx, "tx">, memberId: number) {
  const m = await ctx.tx.member.findUnique({ where: { id: memberId }, select: { bindingRefusal: true, sponsor: { select: { id: true, nickname: true, avatarUrl: true } } } });
  if (!m) return null;
  return { sponsor: m.sponsor ? { name: publicNameOf(m.sponsor), avatar: avatarOf(m.sponsor) } : null, bindingRefusal: m.sponsor ? null : m.bindingRefusal };
}
