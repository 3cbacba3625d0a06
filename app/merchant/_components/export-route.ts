// A list's CSV download (issue 9): the staff check of the list's area, the page's filters, then either
// the file streamed at once (UTF-8 BOM, 元 with two decimals) or, above the synchronous limit, a
// background job and a redirect to /merchant/exports where its progress and download link show. Both are audited.
// The file (name, headers, values) is in the staff member's language; a job keeps it until it runs.
import { getDb } from "@/server/db";
import { DomainError, inTx, loadConfig } from "@/server/context";
import { attachmentHeader, csvStream, exportTranslator } from "@/server/exports/csv";
import { localeFromCookieHeader } from "@/lib/i18n/core";
import { exportDefinition } from "@/server/exports/registry";
import { auditExportDownload, queueExport, runQueuedExports, syncExportLimit } from "@/server/exports/jobs";
import { getStorage } from "@/server/storage";
import { appNow } from "@/server/clock/app-clock";
import { refusalResponse, withErrorResponse } from "@/app/_lib/route-errors";
import { requestIdFrom } from "@/server/api/internal-errors";
import { staffForRoute } from "./route-auth";

/** The GET handler of a list's export route; a refused filter answers 400, an unexpected error a generic 500 (route-errors). */
export function exportRoute(kind: string) {
  if (!exportDefinition(kind)) throw new Error(`unknown export kind ${kind}`);
  return withErrorResponse(`${kind} export`, (req: Request) => exportResponse(req, kind));
}

async function exportResponse(req: Request, kind: string): Promise<Response> {
  const def = exportDefinition(kind)!;
  const { staff, refused } = await staffForRoute(def.area);
  if (refused) return refused;
  const filter = def.fromSearch(new URL(req.url).searchParams);
  if (!filter) return refusalResponse(req, 400, "m.route.badFilter");
  const db = await getDb();
  const { timeZone } = await loadConfig(db);
  const day = new Intl.DateTimeFormat("sv-SE", { timeZone }).format(appNow());
  const locale = localeFromCookieHeader(req.headers.get("cookie"));
  const t = exportTranslator(locale);
  const fileName = `${t(def.title)}-${day}.csv`;
  let total: number;
  let job: { id: number } | null = null;
  try {
    // The list's own rules may refuse the filters (a partial phone, min above max): the count meets them first.
    total = await def.count(db, filter, timeZone);
    const actor = { staffId: staff.staffId, requestId: requestIdFrom(req.headers) };
    if (total > syncExportLimit()) {
      job = await inTx(db, { now: appNow() }, (ctx) => queueExport(ctx, actor, { kind, filter, rowsTotal: total, fileName, locale }));
    } else {
      // Written before the first row is sent: no list leaves without its audit entry.
      await inTx(db, { now: appNow() }, (ctx) => auditExportDownload(ctx.tx, actor, { kind, filter, rows: total, now: ctx.now }));
    }
  } catch (e) {
    if (e instanceof DomainError) return refusalResponse(req, 400, e);
    throw e;
  }
  if (job) {
    // Started at once in this process; the scheduler takes it over if this one dies.
    void runQueuedExports(db, getStorage()).catch(() => console.error("[exports] background run failed"));
    return new Response(null, { status: 303, headers: { location: `/merchant/exports?job=${job.id}` } });
  }
  return new Response(csvStream(def.columns(timeZone, t), def.rows(db, filter, timeZone)), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachmentHeader(fileName), "cache-control": "no-store" },
  });
}
