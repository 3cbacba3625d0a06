// A finished background export: only the staff member who asked, while their role allows that list.
import { getDb } from "@/server/db";
import { DomainError } from "@/server/context";
import { exportFile } from "@/server/exports/jobs";
import { attachmentHeader } from "@/server/exports/csv";
import { getStorage } from "@/server/storage";
import { currentStaffForRoute } from "../../../_components/route-auth";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

export const GET = withErrorResponse("export download", async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { staff, refused } = await currentStaffForRoute();
  if (refused) return refused;
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) return Response.json({ error: "导出文件不存在" }, { status: 404 });
  try {
    const file = await exportFile(await getDb(), getStorage(), staff, id);
    return new Response(new Uint8Array(file.body), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachmentHeader(file.fileName), "cache-control": "no-store", "content-length": String(file.body.length) },
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const status = e.code === "FORBIDDEN" ? 403 : e.code === "NOT_READY" ? 409 : 404;
    return Response.json({ error: e.message }, { status });
  }
});
