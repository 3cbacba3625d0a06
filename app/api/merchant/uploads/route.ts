// Picture upload for the merchant catalogue (multipart field "file"). Staff only; the picture is
// checked and re-encoded by server/storage/images (type by content, size limit, thumbnail). Limited per
// member of staff and hour (server/catalog/uploads.ts).
import { NextResponse } from "next/server";
import { getDb } from "@/server/db";
import { getStorage } from "@/server/storage";
import { storeImage } from "@/server/storage/images";
import { reserveStaffUpload } from "@/server/catalog/uploads";
import { appNow } from "@/server/clock/app-clock";
import { requestIdFrom } from "@/server/api/internal-errors";
import { staffForRoute } from "@/app/merchant/_components/route-auth";
import { readImageUpload, uploadFailure } from "@/app/_lib/image-upload";
import { withErrorResponse } from "@/app/_lib/route-errors";
import { CROSS_SITE_MESSAGE, crossSiteRefusal } from "@/lib/security/origin";
import { configuredSiteOrigin } from "@/server/env";

export const dynamic = "force-dynamic";

export const POST = withErrorResponse("upload", async (req: Request) => {
  // Another site's form would ride the staff cookie, as tRPC mutations are refused.
  const crossSite = crossSiteRefusal(req.headers, configuredSiteOrigin());
  if (crossSite) {
    console.warn(`[security] cross-site merchant upload refused (${crossSite})`);
    return NextResponse.json({ error: CROSS_SITE_MESSAGE }, { status: 403 });
  }
  const { staff, refused } = await staffForRoute("products");
  if (refused) return refused;
  const bytes = await readImageUpload(req);
  if (bytes instanceof NextResponse) return bytes;
  try {
    await reserveStaffUpload(await getDb(), staff.staffId, requestIdFrom(req.headers), appNow());
    return NextResponse.json(await storeImage(getStorage(), bytes), { status: 201 });
  } catch (e) {
    return uploadFailure(req, e);
  }
});
