// CSV export of the audit log with the page's filters (owner only, like the page): streamed, UTF-8 BOM.
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { auditExportBatch, type AuditFilter } from "@/server/audit/query";
import { attachmentHeader, csvStream, inBatches } from "@/server/exports/csv";
import { staffForRoute } from "../../_components/route-auth";
import { auditFilterSchema } from "@/server/api/routers/merchantAudit";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

export const GET = withErrorResponse("audit export", async (req: Request) => {
  const { refused } = await staffForRoute("audit");
  if (refused) return refused;
  const db = await getDb();
  const q = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = auditFilterSchema.safeParse(q);
  if (!parsed.success) return Response.json({ error: "筛选条件无效" }, { status: 400 });
  const filter: AuditFilter = parsed.data;
  const { timeZone } = await loadConfig(db);
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  const rows = inBatches((before, take) => auditExportBatch(db, filter, timeZone, before, take));
  const body = csvStream(
    [
      { header: "时间", value: (r) => time.format(r.createdAt) },
      { header: "操作人类型", value: (r) => r.actorType },
      { header: "操作人", value: (r) => r.actorName ?? "" },
      { header: "操作", value: (r) => r.action },
      { header: "对象", value: (r) => r.target },
      { header: "变更前", value: (r) => (r.before === null ? "" : JSON.stringify(r.before)) },
      { header: "变更后", value: (r) => (r.after === null ? "" : JSON.stringify(r.after)) },
      { header: "详情", value: (r) => (r.data === null ? "" : JSON.stringify(r.data)) },
      { header: "请求 ID", value: (r) => r.requestId ?? "" },
    ],
    rows,
  );
  const day = new Intl.DateTimeFormat("sv-SE", { timeZone }).format(new Date());
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": attachmentHeader(`操作日志-${day}.csv`),
      "cache-control": "no-store",
    },
  });
});
