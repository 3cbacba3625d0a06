// Uploaded pictures. Keys are content-addressed, so a response never changes: a public picture
// (catalogue, avatars) is cached for a year. A shopper's upload (after-sales photos) is private: only
// its shopper and the staff who see refund requests get it, never kept by a shared cache; anyone else
// gets the 404 of a missing key (a content-addressed key must not tell that someone uploaded a file).
// Only image types we encoded ourselves are served, with nosniff and a sandboxing CSP.
import { cookies } from "next/headers";
import { getDb, type Db } from "@/server/db";
import { getServerAuthSession } from "@/server/auth";
import { getStorage, isValidKey } from "@/server/storage";
import { MEDIA_PREFIX } from "@/server/storage/urls";
import { shopperPictureViewers, staffMaySeeShopperPictures } from "@/server/aftersales/uploads";
import { STAFF_COOKIE, validateStaffSession } from "@/server/staff/sessions";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

async function maySee(db: Db, viewers: number[]): Promise<boolean> {
  const session = await getServerAuthSession();
  if (session?.user?.id && viewers.includes(session.user.id)) return true;
  const staff = await validateStaffSession(db, (await cookies()).get(STAFF_COOKIE)?.value ?? null, new Date());
  return !!staff?.ready && staffMaySeeShopperPictures(staff.role);
}

export const GET = withErrorResponse("media", async (_req: Request, { params }: { params: Promise<{ key: string[] }> }) => {
  const key = (await params).key.join("/");
  const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  if (!isValidKey(key)) return notFound();
  const obj = await getStorage().get(key);
  if (!obj) return notFound();
  const db = await getDb();
  const viewers = await shopperPictureViewers(db, MEDIA_PREFIX + key);
  if (viewers && !(await maySee(db, viewers))) return notFound();
  return new Response(new Uint8Array(obj.body), {
    headers: {
      "content-type": obj.contentType,
      "content-length": String(obj.body.length),
      "cache-control": viewers ? "private, no-store" : "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "content-disposition": "inline",
    },
  });
});
