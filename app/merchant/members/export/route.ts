// CSV export of the member list with the page's filters (operator, support, owner): streamed, UTF-8 BOM.
import { cookies } from "next/headers";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { memberCsv } from "@/server/members/csv";
import { attachmentHeader } from "@/server/exports/csv";
import { STAFF_COOKIE, validateStaffSession } from "@/server/staff/sessions";
import { canAccess } from "@/server/staff/roles";
import { memberFilterSchema } from "@/server/api/routers/merchantMember";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

export const GET = withErrorResponse("members export", async (req: Request) => {
  const db = await getDb();
  const staff = await validateStaffSession(db, (await cookies()).get(STAFF_COOKIE)?.value ?? null, new Date());
  if (!staff) return Response.json({ error: "请先登录商家后台" }, { status: 401 });
  if (!staff.ready || !canAccess(staff.role, "membersRead")) return Response.json({ error: "无权访问" }, { status: 403 });
  const q = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ""));
  const parsed = memberFilterSchema.safeParse(q);
  if (!parsed.success) return Response.json({ error: "筛选条件无效" }, { status: 400 });
  const config = await loadConfig(db);
  const day = new Intl.DateTimeFormat("sv-SE", { timeZone: config.timeZone }).format(new Date());
  return new Response(memberCsv(db, config, parsed.data), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": attachmentHeader(`会员列表-${day}.csv`),
      "cache-control": "no-store",
    },
  });
});
