// Finance CSV of withdrawals (optionally one status): streamed, UTF-8 BOM, amounts in 元.
import { z } from "zod";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { withdrawalsExportBatch } from "@/server/wallet/review";
import { WITHDRAWAL_LABEL } from "@/server/wallet/view";
import { attachmentHeader, csvStream, inBatches, yuanCell } from "@/server/exports/csv";
import { staffForRoute } from "../../_components/route-auth";

export const dynamic = "force-dynamic";

const query = z.object({ status: z.enum(["PENDING_REVIEW", "APPROVED", "PAYING", "PAID", "REJECTED", "FAILED"]).optional() });

export async function GET(req: Request) {
  const { refused } = await staffForRoute("moneyExports");
  if (refused) return refused;
  const status = new URL(req.url).searchParams.get("status") || undefined;
  const parsed = query.safeParse({ status });
  if (!parsed.success) return Response.json({ error: "筛选条件无效" }, { status: 400 });
  const db = await getDb();
  const { timeZone } = await loadConfig(db);
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  const rows = inBatches((before, take) => withdrawalsExportBatch(db, parsed.data, before, take));
  const body = csvStream(
    [
      { header: "提现单号", value: (r) => r.payoutNo ?? `WD${r.id}` },
      { header: "会员", value: (r) => r.member?.nickname ?? r.member?.username ?? `#${r.memberId}` },
      { header: "手机号", value: (r) => r.member?.phoneMasked ?? "" },
      { header: "金额(元)", value: (r) => yuanCell(r.amountFen) },
      { header: "状态", value: (r) => WITHDRAWAL_LABEL[r.status] },
      { header: "需审核人数", value: (r) => r.approvalsNeeded },
      { header: "审核记录", value: (r) => r.approvals.map((a) => `${a.staff.displayName}:${a.decision === "approve" ? "通过" : "驳回"}`).join("; ") },
      { header: "申请时间", value: (r) => time.format(r.createdAt) },
      { header: "处理时间", value: (r) => (r.decidedAt ? time.format(r.decidedAt) : "") },
      { header: "失败/驳回原因", value: (r) => r.failReason ?? "" },
    ],
    rows,
  );
  const day = new Intl.DateTimeFormat("sv-SE", { timeZone }).format(new Date());
  return new Response(body, {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachmentHeader(`提现记录-${day}.csv`), "cache-control": "no-store" },
  });
}
