// A risk decision keeps its reason (SPEC §8; found in a back-office walk: approve and reject asked for none, and the audit
// entry read `风控标记: 2` — the flag's id, as if 2 flags — and `状态: OPEN → APPROVED`). A reviewer's rejection voids
// money, so it needs a note (2–200 characters); an approval's is optional. The note is kept on every flag decided, shown
// in the case's history, and the audit entry says which rules, how many flags, the note, and what the decision voided
// or released.
// By hand: great → grand → parent → buyer; each buyer pays one order of 99.00, so 3 commissions (L1 parent, L2 grand,
// L3 great), all PENDING, and their own 推三返一 task, OPEN (their first paid order). Rejected: those 3 commissions and
// the 1 task are voided. Approved: the 3 held commissions and the 1 held task are released.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { confirmPayment, createOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { auditChanges, auditFields } from "../server/audit/display";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";

const config = parseConfig({});
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const TZ = "Asia/Shanghai";
const t0 = new Date("2026-12-01T02:00:00Z");
let database: Database;
let risk: Awaited<ReturnType<typeof signedInStaff>>;
const id = new Map<string, number>();
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: t0 }, fn);

async function register(name: string, sponsor: string | null) {
  const n = id.size + 1;
  id.set(name, (await run((ctx) => registerMember(ctx, { username: name, sponsorId: sponsor ? id.get(sponsor)! : null, ip: `10.9.${n}.1`, device: `dev-${name}` }))).id);
}

async function paidOrder(name: string) {
  const o = await run((ctx) => createOrder(ctx, { memberId: id.get(name)!, lines: [{ sku: "tea", qty: 1 }] }));
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
}

/** Two open flags on the member: a refund pattern and an address shared with the sponsor. */
async function flag(name: string) {
  const m = id.get(name)!;
  await run((ctx) => recordRiskEvent(ctx, "refund_abuse", [m], [m], { refundsIn30Days: 3 }));
  await run((ctx) => recordRiskEvent(ctx, "shared_address", [id.get("parent")!, m], [m], { addressHash: "h" }));
  return (await database.prisma.riskFlag.findMany({ where: { memberId: m }, orderBy: { id: "asc" } })).map((f) => f.id);
}

const entryOf = (action: string, member: string) => database.prisma.auditLog.findFirstOrThrow({ where: { action, target: `member:${id.get(member)}` } });
const lines = (fs: { label: string; value: string }[]) => fs.map((f) => `${f.label}: ${f.value}`);

beforeAll(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9_900, category: "tea", stock: 50 });
  risk = await signedInStaff(database.prisma, "risk");
  await register("great", null);
  await register("grand", "great");
  await register("parent", "grand");
  await register("rejected", "parent");
  await register("approved", "parent");
  await paidOrder("rejected");
  await paidOrder("approved");
});
afterAll(() => database.close());

describe("a rejection's reason", () => {
  let flags: number[];
  beforeAll(async () => {
    flags = await flag("rejected");
  });

  it("is required of a reviewer: none, or blank, is refused and nothing is decided", async () => {
    const memberId = id.get("rejected")!;
    for (const note of [undefined, "   ", "驳"]) {
      const r = await refusal(risk.caller.merchantRisk.review({ memberId, decision: "reject", note }));
      expect(r).toEqual({ code: "BAD_REQUEST", message: "驳回须填写原因（2-200 字）" });
    }
    await expect(run((ctx) => reviewMember(ctx, memberId, "reject", { staffId: risk.id }))).rejects.toMatchObject({ code: "REVIEW_NOTE_REQUIRED" });
    expect((await database.prisma.riskFlag.findMany({ where: { memberId } })).map((f) => f.status)).toEqual(["OPEN", "OPEN"]);
    expect(await database.prisma.auditLog.count({ where: { action: "risk.reject" } })).toBe(0);
  });

  it("is kept on every flag decided, shown in the case's history, and the audit entry says what the rejection did", async () => {
    const memberId = id.get("rejected")!;
    await risk.caller.merchantRisk.review({ memberId, decision: "reject", note: "  同一地址反复下单后退款  " });
    const decided = await database.prisma.riskFlag.findMany({ where: { memberId }, orderBy: { id: "asc" } });
    expect(decided.map((f) => [f.status, f.decisionNote, f.decidedBy])).toEqual([
      ["REJECTED", "同一地址反复下单后退款", risk.id],
      ["REJECTED", "同一地址反复下单后退款", risk.id],
    ]);
    const c = await risk.caller.merchantRisk.case({ memberId });
    expect(c.flags.map((f) => [f.rule, f.status, f.note])).toEqual([
      ["shared_address", "REJECTED", "同一地址反复下单后退款"],
      ["refund_abuse", "REJECTED", "同一地址反复下单后退款"],
    ]);

    const entry = await entryOf("risk.reject", "rejected");
    expect(entry).toMatchObject({ actorType: "staff", actorId: risk.id, before: { status: "OPEN" }, after: { status: "REJECTED" } });
    expect(entry.data).toEqual({ rules: ["refund_abuse", "shared_address"], flagCount: 2, note: "同一地址反复下单后退款", commissionsVoided: 3, tasksVoided: 1, frozen: false, flags });
    expect(lines(auditChanges(zh, TZ, entry.before, entry.after, entry.action).map((ch) => ({ label: ch.label, value: `${ch.before} → ${ch.after}` })))).toEqual(["状态: 待审核 → 已驳回"]);
    // In the order the log keeps the keys (PostgreSQL jsonb: shorter keys first).
    expect(lines(auditFields(zh, TZ, entry.data, entry.action))).toEqual([
      "备注: 同一地址反复下单后退款",
      `风控标记编号: #${flags[0]} / #${flags[1]}`,
      "规则: 30 天内多次退款 / 与上级收货地址相同",
      "冻结: 否",
      "标记数: 2",
      "作废返现任务（个）: 1",
      "作废佣金（笔）: 3",
    ]);
  });
});

describe("an approval's note", () => {
  it("is optional: approved without one, the entry says what was released", async () => {
    const memberId = id.get("approved")!;
    const flags = await flag("approved");
    await risk.caller.merchantRisk.review({ memberId, decision: "approve" });
    expect((await database.prisma.riskFlag.findMany({ where: { memberId } })).map((f) => [f.status, f.decisionNote])).toEqual([
      ["APPROVED", null],
      ["APPROVED", null],
    ]);
    const entry = await entryOf("risk.approve", "approved");
    expect(entry.data).toEqual({ rules: ["refund_abuse", "shared_address"], flagCount: 2, note: null, commissionsReleased: 3, tasksReleased: 1, flags });
    expect(lines(auditFields(en, TZ, entry.data, entry.action))).toEqual([
      `Risk flag IDs: #${flags[0]} / #${flags[1]}`,
      "Rules: Several refunds within 30 days / Same delivery address as the sponsor",
      "Flags decided: 2",
      "Cashback tasks released: 1",
      "Commissions released: 3",
    ]);
  });

  it("is kept when given", async () => {
    const memberId = id.get("parent")!;
    await run((ctx) => recordRiskEvent(ctx, "ip_burst", [memberId], [memberId], { signupsInWindow: 5 }));
    await risk.caller.merchantRisk.review({ memberId, decision: "approve", note: "公司同一出口 IP，已电话核实" });
    expect((await database.prisma.riskFlag.findFirstOrThrow({ where: { memberId } })).decisionNote).toBe("公司同一出口 IP，已电话核实");
    expect((await entryOf("risk.approve", "parent")).data).toMatchObject({ rules: ["ip_burst"], flagCount: 1, note: "公司同一出口 IP，已电话核实" });
  });
});
