// 我的 → 编辑资料 and the ?joined=1 banner: the database side of server/members/profile.ts.
import type { Ctx } from "../context";
import { refuse } from "../context";
import { lockLiveMember } from "./live";
import { avatarOf, checkDisplayName, publicNameOf } from "./profile";

/** 我的 → 编辑资料: the member changes their own display name. */
export async function saveDisplayName(ctx: Pick<Ctx, "tx">, memberId: number, raw: string) {
  const checked = checkDisplayName(raw);
  if (!checked.ok) refuse("INVALID_DISPLAY_NAME", checked.message);
  await lockLiveMember(ctx, memberId);
  return ctx.tx.member.update({ where: { id: memberId }, data: { nickname: checked.name }, select: { id: true, nickname: true } });
}

/**
 * 我的 → 编辑资料: the member's avatar becomes one of their own uploads (its square thumbnail), or with
 * `null` the generated glyph again. A picture another member uploaded is refused.
 */
export async function saveAvatar(ctx: Pick<Ctx, "tx">, memberId: number, uploadUrl: string | null) {
  await lockLiveMember(ctx, memberId);
  if (uploadUrl === null) return ctx.tx.member.update({ where: { id: memberId }, data: { avatarUrl: null }, select: { id: true, avatarUrl: true } });
  const upload = await ctx.tx.shopperUpload.findUnique({ where: { memberId_url: { memberId, url: uploadUrl } }, select: { thumbUrl: true } });
  if (!upload) refuse("INVALID_PHOTO", "图片无效，请重新上传");
  return ctx.tx.member.update({ where: { id: memberId }, data: { avatarUrl: upload.thumbUrl }, select: { id: true, avatarUrl: true } });
}

/**
 * How long after its sign-up a member is new to ?joined=1. "接受邀请" sends a visitor through sign-in and back at once, so
 * a member created minutes ago was created by that sign-in; an older one signed in to an account they already had.
 */
export const JOINED_NEW_MEMBER_MS = 10 * 60_000;

/**
 * What a member back from "接受邀请" (?joined=1) is told: a new member, their inviter or why there is none (SPEC §8);
 * a member from before (`existing`), that the invitation bound nothing (binding happens once, at sign-up: SPEC §2).
 */
export async function joinedView(ctx: Pick<Ctx, "tx">, memberId: number, now: Date) {
  const m = await ctx.tx.member.findUnique({ where: { id: memberId }, select: { createdAt: true, bindingRefusal: true, sponsor: { select: { id: true, nickname: true, avatarUrl: true } } } });
  if (!m) return null;
  if (now.getTime() - m.createdAt.getTime() > JOINED_NEW_MEMBER_MS) return { existing: true as const };
  return { existing: false as const, sponsor: m.sponsor ? { name: publicNameOf(m.sponsor), avatar: avatarOf(m.sponsor) } : null, bindingRefusal: m.sponsor ? null : m.bindingRefusal };
}
