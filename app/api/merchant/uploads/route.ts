// Picture upload for the merchant catalogue (multipart field "file"). Staff only; the picture is
// checked and re-encoded by server/storage/images (type by content, size limit, thumbnail).
import { NextResponse } from "next/server";
import { cookies } from "next/headers";
import { STAFF_COOKIE } from "@/server/staff/sessions";
import { getDb } from "@/server/db";
import { getStorage } from "@/server/storage";
import { storeImage } from "@/server/storage/images";
import { canEditCatalog } from "@/server/catalog/access";
import { readImageUpload, uploadFailure } from "@/app/_lib/image-upload";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

export const POST = withErrorResponse("upload", async (req: Request) => {
  const token = (await cookies()).get(STAFF_COOKIE)?.value ?? null;
  if (!token) return NextResponse.json({ error: "请先登录商家后台" }, { status: 401 });
  if (!(await canEditCatalog(await getDb(), token, new Date()))) return NextResponse.json({ error: "无权访问" }, { status: 403 });
  const bytes = await readImageUpload(req);
  if (bytes instanceof NextResponse) return bytes;
  try {
    return NextResponse.json(await storeImage(getStorage(), bytes), { status: 201 });
  } catch (e) {
    return uploadFailure(e);
  }
});
