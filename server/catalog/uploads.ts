// Staff pictures (catalogue uploads): a budget per member of staff and hour, every picture read counted.
// An audit entry per upload is the count.
import type { Db } from "../db";
import { refuse } from "../context";
import { audit } from "../audit";
import { HOUR } from "../clock/time";

// Generous for a day of catalogue work, yet a leaked session cannot keep the decoders busy without end.
export const MAX_STAFF_UPLOADS_PER_HOUR = 300;
const UPLOAD_ACTION = "catalog.image.upload";

/** Counts the upload against the staff member's hour before it is decoded, or refuses; one member's uploads count in turn, so uploads at once cannot all pass. */
export async function reserveStaffUpload(db: Db, staffId: number, requestId: string, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('StaffUpload'), ${staffId}::int)`;
    const recent = await tx.auditLog.count({ where: { actorType: "staff", actorId: staffId, action: UPLOAD_ACTION, createdAt: { gt: new Date(now.getTime() - HOUR) } } });
    if (recent >= MAX_STAFF_UPLOADS_PER_HOUR) refuse("TOO_MANY_UPLOADS", "上传太频繁，请稍后再试");
    await audit(tx, { actor: { type: "staff", id: staffId }, action: UPLOAD_ACTION, target: `staff:${staffId}`, requestId, now });
  });
}
