// Picture upload for a signed-in shopper (multipart field "file"), e.g. the photos of a refund
// request. Limited per member and hour, every picture counted (the same one again too, answered from its
// record without decoding); the request may then attach only the member's own uploads.
import { NextResponse } from "next/server";
import { getServerAuthSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { appNow } from "@/server/clock/app-clock";
import { getStorage } from "@/server/storage";
import { DECODES_BUSY, storedImageUrl, storeImage } from "@/server/storage/images";
import { findShopperUpload, recordShopperUpload, releaseUpload, reserveUpload } from "@/server/aftersales/uploads";
import { DomainError } from "@/server/context";
import { readImageUpload, uploadFailure, uploadRefusal } from "@/app/_lib/image-upload";
import { withErrorResponse } from "@/app/_lib/route-errors";
import { CROSS_SITE_MESSAGE, crossSiteRefusal } from "@/lib/security/origin";
import { configuredSiteOrigin } from "@/server/env";

export const dynamic = "force-dynamic";

export const POST = withErrorResponse("shopper upload", async (req: Request) => {
  // Another site's form would ride the shopper's cookies and spend their hourly budget, as tRPC mutations are refused.
  const crossSite = crossSiteRefusal(req.headers, configuredSiteOrigin());
  if (crossSite) {
    console.warn(`[security] cross-site shopper upload refused (${crossSite})`);
    return NextResponse.json({ error: CROSS_SITE_MESSAGE }, { status: 403 });
  }
  const session = await getServerAuthSession();
  if (!session?.user?.id) return uploadRefusal(req, 401, new DomainError("SIGN_IN_REQUIRED", "请先登录"));
  const memberId = session.user.id;
  const db = await getDb();
  let slot: number | null = null;
  try {
    slot = await reserveUpload(db, memberId, appNow());
    const bytes = await readImageUpload(req);
    if (bytes instanceof NextResponse) {
      await releaseUpload(db, slot);
      return bytes;
    }
    // From here every attempt keeps its slot, a refused or already uploaded picture too: the budget bounds the decoding.
    const known = await findShopperUpload(db, memberId, storedImageUrl(bytes));
    if (known) return NextResponse.json(known, { status: 201 });
    const stored = await storeImage(getStorage(), bytes);
    await recordShopperUpload(db, slot, stored);
    return NextResponse.json({ url: stored.url, thumbUrl: stored.thumbUrl }, { status: 201 });
  } catch (e) {
    // The decoders are all taken: nothing was decoded, so the slot goes back and a moment later the same upload goes through.
    const busy = e instanceof DomainError && e.code === DECODES_BUSY;
    if (slot !== null && (busy || !(e instanceof DomainError))) await releaseUpload(db, slot);
    return uploadFailure(req, e);
  }
});
