// The friend whose share link a visitor followed, as the login page names them: the fm_ref cookie the sign-up would
// bind (server/auth/options.ts), only while that binding would still happen.
import type { Db } from "../db";
import { parseRefCookie } from "../auth/request";
import { publicNameOf } from "../members/profile";

/**
 * The masked public name (as the landing page shows it) of the member whose link the fm_ref cookie holds, when
 * that link would still bind at sign-up: within the attribution window, its member neither frozen nor deleted.
 */
export async function pendingInviter(db: Db, refCookie: string | undefined, attributionDays: number, nowMs = Date.now()): Promise<string | null> {
  const ref = parseRefCookie(refCookie, nowMs, attributionDays);
  if (!ref) return null;
  const m = await db.member.findUnique({ where: { referralCode: ref.code }, select: { id: true, nickname: true, frozen: true, deletedAt: true } });
  return m && !m.frozen && !m.deletedAt ? publicNameOf(m) : null;
}
