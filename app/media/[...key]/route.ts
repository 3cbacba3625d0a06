// Uploaded pictures. Keys are content-addressed, so a response never changes: cached for a year.
// Only image types we encoded ourselves are served, with nosniff and a sandboxing CSP.
import { getStorage, isValidKey } from "@/server/storage";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

export const GET = withErrorResponse("media", async (_req: Request, { params }: { params: Promise<{ key: string[] }> }) => {
  const key = (await params).key.join("/");
  const notFound = () => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  if (!isValidKey(key)) return notFound();
  const obj = await getStorage().get(key);
  if (!obj) return notFound();
  return new Response(new Uint8Array(obj.body), {
    headers: {
      "content-type": obj.contentType,
      "content-length": String(obj.body.length),
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "content-disposition": "inline",
    },
  });
});
