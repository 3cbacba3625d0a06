// The back office's withdrawal queue (SPEC §6): the newest 100, with who asked and who approved.
import type { Db } from "../db";
import type { WithdrawalStatus } from "../db/generated/enums";

export async function withdrawalsForReview(db: Db, input: { status?: WithdrawalStatus }) {
  const rows = await db.withdrawal.findMany({
    where: input.status ? { status: input.status } : {},
    orderBy: { id: "desc" },
    take: 100,
    include: { approvals: { select: { staffId: true, decision: true, createdAt: true, staff: { select: { displayName: true, username: true } } } } },
  });
  const members = await db.member.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.memberId))] } },
    select: { id: true, username: true, nickname: true, phoneMasked: true },
  });
  const byId = new Map(members.map((m) => [m.id, m]));
  return rows.map((r) => ({ ...r, member: byId.get(r.memberId) ?? null }));
}

/** Batches for the finance CSV export, newest first (keyset on id), with who asked and who decided. */
export async function withdrawalsExportBatch(db: Db, input: { status?: WithdrawalStatus }, beforeId: number | null, take: number) {
  const rows = await db.withdrawal.findMany({
    where: { ...(input.status ? { status: input.status } : {}), ...(beforeId ? { id: { lt: beforeId } } : {}) },
    orderBy: { id: "desc" },
    take,
    include: { approvals: { select: { decision: true, staff: { select: { displayName: true } } } } },
  });
  const members = await db.member.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.memberId))] } }, select: { id: true, nickname: true, username: true, phoneMasked: true } });
  const byId = new Map(members.map((m) => [m.id, m]));
  return rows.map((r) => ({ ...r, member: byId.get(r.memberId) ?? null }));
}
