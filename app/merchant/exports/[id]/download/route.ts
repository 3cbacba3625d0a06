// A finished background export: only the staff member who asked, while their role allows that list.
import { getDb } from "@/server/db";
import { DomainError } from "@/server/context";
import { openExportFile } from "@/server/exports/jobs";
import { attachmentHeader } from "@/server/exports/csv";
import { getStorage } from "@/server/storage";
import { currentStaffForRoute } from "../../../_components/route-auth";
import { refusalResponse, withErrorResponse } from "@/app/_lib/route-errors";
import { rowIdParam } from "@/server/validation";
import { appNow } from "@/server/clock/app-clock";
import { requestIdFrom } from "@/server/api/internal-errors";

export const dynamic = "force-dynamic";

export const GET = withErrorResponse("export download", async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { staff, refused } = await currentStaffForRoute();
  if (refused) return refused;
  const id = rowIdParam((await params).id);
  if (id === null) return refusalResponse(req, 404, new DomainError("NOT_FOUND", "导出文件不存在"));
  try {
    // The download's audit entry carries the request id and the app's clock, as every staff action's does.
    const file = await openExportFile(await getDb(), getStorage(), { ...staff, requestId: requestIdFrom(req.headers) }, id, appNow());
    // Streamed from storage: an export of a million rows (~150 MB) is never whole in memory.
    return new Response(file.body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": attachmentHeader(file.fileName),
        "cache-control": "no-store",
        ...(file.size === null ? {} : { "content-length": String(file.size) }),
      },
    });
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const status = e.code === "FORBIDDEN" ? 403 : e.code === "NOT_READY" ? 409 : 404;
    return refusalResponse(req, status, e);
  }
});
