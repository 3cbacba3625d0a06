// The shop's staff security policy (要求全体员工启用两步验证): one row the owner changes at /merchant/staff. While it is
// on, every role is one that must have TOTP (mfaRequired), so the existing enforcement applies to all: sign-in and
// validateStaffSession send an account without TOTP to enrol before any other page or procedure, and nobody may turn
// their own off. The owner turning it on is never locked out: owners must already have TOTP (MFA_REQUIRED_ROLES).
import type { Db, Tx } from "../db";
import type { Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { mfaRequired, type StaffRole } from "./roles";

const POLICY_ID = "default";

export interface StaffPolicy {
  requireTotp: boolean;
  /** When and by whom it was last changed; null while the default (off) applies. */
  updatedAt: Date | null;
  updatedById: number | null;
}

export const DEFAULT_STAFF_POLICY: StaffPolicy = { requireTotp: false, updatedAt: null, updatedById: null };

export async function getStaffPolicy(db: Db | Tx): Promise<StaffPolicy> {
  const row = await db.staffPolicy.findUnique({ where: { id: POLICY_ID } });
  if (!row) return DEFAULT_STAFF_POLICY;
  const { id: _id, ...policy } = row;
  return policy;
}

/** Why `role` must keep TOTP: its role, the shop's policy, or nothing (it may turn it off). The policy is read only when the role does not decide. */
export async function totpRequirement(db: Db | Tx, role: StaffRole): Promise<"role" | "shop" | null> {
  if (mfaRequired(role)) return "role";
  return mfaRequired(role, (await getStaffPolicy(db)).requireTotp) ? "shop" : null;
}

/** Whether the account must still enrol TOTP before using the back office. */
export async function mustEnrolTotp(db: Db | Tx, staff: { role: StaffRole; totpEnabledAt: Date | null }): Promise<boolean> {
  return !staff.totpEnabledAt && (await totpRequirement(db, staff.role)) !== null;
}

/**
 * Owner (the router's role): turns the requirement on or off; audited with before/after. Staff without TOTP are sent to
 * enrol at their next request (their sessions are kept: enrolling ends the others, as always).
 */
export async function setStaffTotpPolicy(ctx: Ctx, actor: StaffActor, requireTotp: boolean): Promise<StaffPolicy> {
  // One change at a time: the audit entry's "before" is what this change replaced.
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('StaffPolicy'))`;
  const before = await getStaffPolicy(ctx.tx);
  if (before.requireTotp === requireTotp) return before;
  const data = { requireTotp, updatedAt: ctx.now, updatedById: actor.staffId };
  const { id: _id, ...after } = await ctx.tx.staffPolicy.upsert({ where: { id: POLICY_ID }, create: { id: POLICY_ID, ...data }, update: data });
  // How many will be asked to enrol: the owner reads it in the audit log.
  const withoutTotp = requireTotp ? await ctx.tx.staffAccount.count({ where: { disabledAt: null, totpEnabledAt: null } }) : 0;
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: "settings.staff_totp_changed",
    target: "shop:staff-security",
    before: { requireStaffTotp: before.requireTotp },
    after: { requireStaffTotp: requireTotp },
    ...(requireTotp ? { data: { staffWithoutTotp: withoutTotp } } : {}),
    requestId: actor.requestId,
    now: ctx.now,
  });
  return after;
}
