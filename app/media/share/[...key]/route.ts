// JPEG copies of product pictures for link previews (app/media/share/share-jpeg.ts); public, like the catalogue's pictures.
import path from "node:path";
import { getDb } from "@/server/db";
import { getStorage } from "@/server/storage";
import { withErrorResponse } from "@/app/_lib/route-errors";
import { shareJpegResponse } from "../share-jpeg";

export const dynamic = "force-dynamic";

export const GET = withErrorResponse("media-share", async (_req: Request, { params }: { params: Promise<{ key: string[] }> }) =>
  // public/ is read at run time from the app's folder: nothing for the bundler to trace.
  shareJpegResponse((await params).key.join("/"), { db: await getDb(), storage: getStorage(), publicDir: path.join(/* turbopackIgnore: true */ process.cwd(), "public") }),
);
