// Picture upload for the merchant catalogue (multipart field "file"). Staff only; the picture is
// checked and re-encoded by server/storage/images (type by content, size limit, thumbnail). Limited per
// member of staff and hour, every picture read counted: an audit entry per upload is the count.
import { NextResponse } from "next/server";
import { getDb, type Db } from "@/server/db";
import { getStorage } from "@/server/storage";
import { storeImage } from "@/server/storage/images";
import { refuse } from "@/server/context";
import { audit } from "@/server/audit";
import { HOUR } from "@/server/clock/time";
import { appNow } from "@/server/clock/app-clock";
import { requestIdFrom } from "@/server/api/internal-errors";
import { staffForRoute } from "@/app/merchant/_components/route-auth";
import { readImageUpload, uploadFailure } from "@/app/_lib/image-upload";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

// Generous for a day of catalogue work, yet a leaked session cannot keep the decoders busy without end.
const MAX_STAFF_UPLOADS_PER_HOUR = 300;
const UPLOAD_ACTION = "catalog.image.upload";

/** Counts the upload against the staff member's hour before it is decoded, or refuses; one member's uploads count in turn, so uploads at once cannot all pass. */
async function reserveStaffUpload(db: Db, staffId: number, requestId: string, now: Date): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('StaffUpload'), ${staffId}::int)`;
    const recent = await tx.auditLog.count({ where: { actorType: "staff", actorId: staffId, action: UPLOAD_ACTION, createdAt: { gt: new Date(now.getTime() - HOUR) } } });
    if (recent >= MAX_STAFF_UPLOADS_PER_HOUR) refuse("TOO_MANY_UPLOADS", "上传太频繁，请稍后再试");
    await audit(tx, { actor: { type: "staff", id: staffId }, action: UPLOAD_ACTION, target: `staff:${staffId}`, requestId, now });
  });
}

export const POST = withErrorResponse("upload", async (req: Request) => {
  const { staff, refused } = await staffForRoute("products");
  if (refused) return refused;
  const bytes = await readImageUpload(req);
  if (bytes instanceof NextResponse) return bytes;
  try {
    await reserveStaffUpload(await getDb(), staff.staffId, requestIdFrom(req.headers), appNow());
    return NextResponse.json(await storeImage(getStorage(), bytes), { status: 201 });
  } catch (e) {
    return uploadFailure(e);
  }
});
