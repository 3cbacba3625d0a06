// The audit log's CSV writes an entry's before, after and details in the log page's words, in the requester's
// language ("label: value; …", server/audit/display.ts), not as raw JSON; its columns stay those merchants'
// spreadsheets use, and a cell that would start a formula is still written as text.
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/server/db";
import { audit } from "@/server/audit";
import { auditExport } from "@/server/exports/audit";
import { csvStream, exportTranslator } from "@/server/exports/csv";
import type { Locale } from "@/lib/i18n/core";
import { freshPglite } from "./helpers/db";

const TZ = "Asia/Shanghai";
const AT = new Date("2026-03-10T02:00:00Z");
let database: Database;

beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  const staff = await db.staffAccount.create({ data: { username: "op-li", displayName: "李运营", role: "operator", passwordHash: "-", createdAt: AT } });
  const actor = { type: "staff" as const, id: staff.id };
  await audit(db, {
    actor,
    action: "order.ship",
    target: "order:FM202603100001",
    before: { status: "PAID" },
    after: { status: "SHIPPED", carrier: "SF", trackingNo: "SF1234567890" },
    data: { via: "single" },
    now: AT,
  });
  await audit(db, { actor, action: "staff.invited", target: `staff:${staff.id}`, after: { username: "op-li", role: "operator" }, now: new Date(AT.getTime() + 1000) });
  // A sponsor change names its member sponsors and its approver by id: the CSV names them as the page does.
  const [from, to] = [await db.member.create({ data: { username: "u-wang", nickname: "老王", referralCode: "AUDITW1", createdAt: AT } }), await db.member.create({ data: { username: "u-li", referralCode: "AUDITL1", createdAt: AT } })];
  await audit(db, { actor, action: "member.sponsor_changed", target: "member:99", before: { sponsorId: from.id }, after: { sponsorId: to.id }, data: { approvedById: staff.id }, now: new Date(AT.getTime() + 500) });
  // A key nobody named, written as it is: the cell would start with "=".
  await audit(db, { actor, action: "staff.role_changed", target: `staff:${staff.id}`, before: { role: "operator" }, after: { role: "finance" }, data: { "=1+2": "x" }, now: new Date(AT.getTime() + 2000) });
});
afterAll(() => database.close());

/** The file as the requester gets it, as rows of cells keyed by header; the raw text too. */
async function auditCsv(locale: Locale): Promise<{ text: string; rows: Record<string, string>[] }> {
  const filter = auditExport.fromSearch(new URLSearchParams(""))!;
  const stream = csvStream(auditExport.columns(TZ, exportTranslator(locale)), auditExport.rows(database.prisma, filter, TZ));
  const text = Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8").replace(/^\uFEFF/, "");
  return { text, rows: Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data };
}

describe("the audit log's CSV", () => {
  it("in Chinese: before, after and details as the log page words them (a creation has no before)", async () => {
    const { text, rows } = await auditCsv("zh-CN");
    expect(text.split("\n")[0]).toBe("时间,操作人类型,操作人,操作,对象,变更前,变更后,详情,请求 ID");
    const ship = rows.find((r) => r["操作"] === "订单发货")!;
    expect(ship["变更前"]).toBe("状态: 待发货");
    expect(ship["变更后"]).toBe("状态: 待收货; 物流公司: 顺丰速运; 运单号: SF1234567890");
    expect(ship["详情"]).toBe("方式: 逐单发货");
    const invited = rows.find((r) => r["操作"] === "邀请员工")!;
    expect(invited["变更前"]).toBe("");
    // jsonb keeps an object's keys shorter first (role before username), as the page lists them.
    expect(invited["变更后"]).toBe("角色: 运营; 用户名: op-li");
    expect(text).not.toContain("{");
  });

  it("in English: the same in English words", async () => {
    const { rows } = await auditCsv("en");
    const ship = rows.find((r) => r["Action"] === "Order shipped")!;
    expect(ship["Before"]).toBe("Status: To ship");
    expect(ship["After"]).toBe("Status: Shipped; Carrier: SF Express; Tracking no.: SF1234567890");
    expect(ship["Details"]).toBe("Via: One order");
    const role = rows.find((r) => r["Action"] === "Staff role changed")!;
    expect([role["Before"], role["After"]]).toEqual(["Role: Operator", "Role: Finance"]);
  });

  it("names members and staff an entry holds by id (nickname, else username, with the id; staff by name)", async () => {
    const { rows } = await auditCsv("zh-CN");
    const moved = rows.find((r) => r["对象"].includes("99"))!;
    const [from, to] = await Promise.all(["u-wang", "u-li"].map((username) => database.prisma.member.findUniqueOrThrow({ where: { username } })));
    expect([moved["变更前"], moved["变更后"]]).toEqual([`上级: 老王 #${from.id}`, `上级: u-li #${to.id}`]);
    expect(moved["详情"]).toBe("批准人: 李运营");
  });

  it("writes a cell that would start a formula as text", async () => {
    const { rows } = await auditCsv("zh-CN");
    expect(rows.find((r) => r["操作"] === "修改员工角色")!["详情"]).toBe("'=1+2: x");
  });
});
