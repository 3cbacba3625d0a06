// An audit entry's target in words, the same on the log page and in its CSV (in the export's language), and
// a queued export's filter in its list's words on the log page (the list is in the entry's after, not its data).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { audit } from "../server/audit";
import { auditFields, auditTargetLabel } from "../server/audit/display";
import { exportDefinition } from "../server/exports/registry";
import { csvStream, exportTranslator } from "../server/exports/csv";
import { queueExport } from "../server/exports/jobs";
import { createT, type Locale } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshPglite } from "./helpers/db";

const TZ = "Asia/Shanghai";
const AT = new Date("2026-03-10T02:00:00Z");
const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const line = (f: { label: string; value: string }) => `${f.label}: ${f.value}`;

describe("auditTargetLabel", () => {
  it("names a target's kind with its id, in the viewer's language", () => {
    expect(auditTargetLabel(en, "staff:12")).toBe("Staff #12");
    expect(auditTargetLabel(en, "order:FM202603100001")).toBe("Order FM202603100001");
    expect(auditTargetLabel(en, "member:7")).toBe("Member #7");
    expect(auditTargetLabel(en, "withdrawal:3")).toBe("Withdrawal #3");
    expect(auditTargetLabel(zh, "staff:12")).toBe("员工 #12");
    expect(auditTargetLabel(zh, "order:FM202603100001")).toBe("订单 FM202603100001");
    expect(auditTargetLabel(zh, "member:7")).toBe("会员 #7");
  });

  it("an export by its list (a direct download) or by its job; a whole target by its name; an unknown kind as it is", () => {
    expect(auditTargetLabel(en, "export:after-sales")).toBe("Export of After-sales");
    expect(auditTargetLabel(zh, "export:orders")).toBe("导出：订单");
    expect(auditTargetLabel(en, "export:42")).toBe("Export #42");
    expect(auditTargetLabel(en, "shop:profile")).toBe("Shop profile");
    expect(auditTargetLabel(zh, "legal:privacy")).toBe("隐私政策");
    expect(auditTargetLabel(en, "rocket:1")).toBe("rocket:1");
    expect(auditTargetLabel(en, "plain")).toBe("plain");
  });
});

describe("the audit log's CSV target column", () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshPglite();
    const db = database.prisma;
    const owner = await db.staffAccount.create({ data: { username: "boss", displayName: "店主", role: "owner", passwordHash: "-", createdAt: AT } });
    for (const [i, target] of ["staff:12", "order:FM202603100001", "member:7"].entries()) {
      await audit(db, { actor: { type: "staff", id: owner.id }, action: "member.frozen", target, now: new Date(AT.getTime() + i * 1000) });
    }
  });
  afterAll(() => database.close());

  /** The Target column of the audit log's CSV as written in `locale` (its values hold no comma or quote), newest first. */
  async function targets(locale: Locale): Promise<string[]> {
    const def = exportDefinition("audit")!;
    const stream = csvStream(def.columns(TZ, exportTranslator(locale)), def.rows(database.prisma, def.fromSearch(new URLSearchParams())!, TZ));
    const [header, ...rows] = Buffer.from(await new Response(stream).arrayBuffer()).toString("utf8").slice(1).trim().split(/\r?\n/).map((l) => l.split(","));
    const column = header!.indexOf(locale === "en" ? "Target" : "对象");
    return rows.map((r) => r[column]!);
  }

  it("in English: the target in words, as the log page shows it", async () => {
    expect(await targets("en")).toEqual(["Member #7", "Order FM202603100001", "Staff #12"]);
  });

  it("in Chinese: the same targets in Chinese", async () => {
    expect(await targets("zh-CN")).toEqual(["会员 #7", "订单 FM202603100001", "员工 #12"]);
  });

  it("a queued export's entry shows its filter's status in its list's words (SHIPPED → Shipped / 待收货)", async () => {
    const db = database.prisma;
    const staff = await db.staffAccount.findFirstOrThrow({ where: { username: "boss" } });
    const job = await inTx(db, { now: AT }, (ctx) => queueExport(ctx, { staffId: staff.id }, { kind: "orders", filter: { status: "SHIPPED" }, rowsTotal: 6000, fileName: "Orders-2026-03-10.csv", locale: "en" }));
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "export.queued", target: `export:${job.id}` } });
    expect(auditTargetLabel(en, entry.target)).toBe(`Export #${job.id}`);
    expect(auditFields(en, TZ, entry.data, entry.action, entry.after).map(line)).toEqual(["Filter: Status: Shipped"]);
    expect(auditFields(zh, TZ, entry.data, entry.action, entry.after).map(line)).toEqual(["筛选条件: 状态: 待收货"]);
    expect(auditFields(en, TZ, { filter: { status: "PAID" } }, "export.queued", { kind: "orders", rows: 6000 }).map(line)).toEqual(["Filter: Status: To ship"]);
    // The orders list's 退款中 (status filter) is kept as its refund progress.
    expect(auditFields(en, TZ, { filter: { refund: "pending" } }, "export.queued", { kind: "orders", rows: 6000 }).map(line)).toEqual(["Filter: Refund: Refunding"]);
    expect(auditFields(zh, TZ, { kind: "orders", filter: { refund: "stuck" } }, "export.downloaded").map(line)).toEqual(["导出列表: 订单", "筛选条件: 退款: 退款异常"]);
  });
});
