// PIPL: a level-2/3 commission's buyer was invited by someone else, so their failed risk review is not the earner's
// to learn. A rejection voids every level's commissions (SPEC §8) as before; the level-1 upline, whose invitee it is,
// still reads why (风控审核未通过, 经商家审核) in 佣金明细 and the notice, while levels 2 and 3 read a void with no
// reason and a notice that the order earns no commission, in neither language any trace of the review.
// Amounts by hand: one tea 99.00; L1 10% = 9.90, L2 5% = 4.95, L3 2% = 1.98 (SPEC §5 default rates).
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { confirmPayment, createOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { walletOf } from "../server/wallet/ledger";
import { DAY } from "../server/clock/time";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { noticeText } from "../lib/i18n/notices";
import { commissionReason } from "../lib/i18n/labels";
import { freshDatabase } from "./helpers/db";
import { callerFor as callerOf } from "./helpers/caller";

const config = parseConfig({}); // everyone a distributor; L1 1000, L2 500, L3 200 bps
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
// 2026-12-01 10:00 Shanghai
const t0 = new Date("2026-12-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
let database: Database;
const id = new Map<string, number>();
const orderNos: string[] = [];

const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now }, fn);
const caller = (name: string) => callerOf(database.prisma, id.get(name)!);

async function register(name: string, nickname: string, sponsor: string | null) {
  const n = id.size + 1;
  id.set(name, (await run(t0, (ctx) => registerMember(ctx, { username: name, nickname, sponsorId: sponsor ? id.get(sponsor)! : null, ip: `10.8.${n}.1`, device: `dev-${name}` }))).id);
}

async function paidOrder(name: string) {
  const o = await run(t0, (ctx) => createOrder(ctx, { memberId: id.get(name)!, lines: [{ sku: "tea", qty: 1 }] }));
  await run(t0, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  orderNos.push(o.orderNo);
}

/** Rejected in review: an open flag on the buyer first (refund abuse, say), then the decision. */
async function reject(name: string, day: number) {
  const buyer = id.get(name)!;
  await run(at(day), (ctx) => recordRiskEvent(ctx, "refund_abuse", [buyer], [buyer], { refundsIn30Days: 3 }));
  await run(at(day), (ctx) => reviewMember(ctx, buyer, "reject"));
}

/** Everything the member's client receives of their commissions and notices, and how it words them in both languages. */
async function seenBy(name: string) {
  const rows = await caller(name).promotion.commissions();
  const notices = (await caller(name).notification.list()).items;
  const worded = [
    ...rows.map((r) => [commissionReason(zh, r.reason), commissionReason(en, r.reason)]),
    ...notices.map((n) => [noticeText(zh, n), noticeText(en, n)]),
  ];
  return { rows, notices, text: JSON.stringify({ rows, notices, worded }) };
}

const TRACES = ["riskRejected", "risk review", "risk", "review", "风控", "审核"];

beforeAll(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9_900, category: "tea", stock: 50 });
  // great → grand → parent → 王小明 (one order) and 李小红 (two orders): parent is level 1 to both, grand 2, great 3.
  await register("great", "曾祖", null);
  await register("grand", "祖父", "great");
  await register("parent", "父亲", "grand");
  await register("wxm", "王小明", "parent");
  await register("lxh", "李小红", "parent");
  await paidOrder("wxm");
  await paidOrder("lxh");
  await paidOrder("lxh");
  await reject("wxm", 1);
  await reject("lxh", 2);
}, 600_000);
afterAll(() => database?.close());

describe("commissions voided by a buyer's rejected risk review", () => {
  it("are voided at every level, their pending money taken back, as before", async () => {
    const cs = await database.prisma.commission.findMany({ orderBy: [{ orderId: "asc" }, { level: "asc" }], select: { level: true, amountFen: true, status: true, forfeitReason: true } });
    const voided = (level: number, amountFen: number) => ({ level, amountFen, status: "VOID", forfeitReason: "risk review rejected" });
    expect(cs).toEqual([1, 2, 3].flatMap(() => [voided(1, 990), voided(2, 495), voided(3, 198)]));
    for (const name of ["parent", "grand", "great"]) expect((await walletOf({ tx: database.prisma }, id.get(name)!)).pending, name).toBe(0);
  });

  it("tell the level-1 upline why, in 佣金明细 and the notices", async () => {
    const { rows, notices, text } = await seenBy("parent");
    expect(rows.map((r) => [r.level, r.amountFen, r.status, r.reason])).toEqual([1, 1, 1].map(() => [1, 990, "VOID", "risk review rejected"]));
    expect(commissionReason(zh, rows[0]!.reason)).toBe("风控审核未通过");
    expect(commissionReason(en, rows[0]!.reason)).toBe("Risk review not passed");
    const voids = notices.filter((n) => n.kind === "commission_lost").reverse();
    expect(voids.map((n) => [n.key, n.body])).toEqual([
      ["commission.voided.riskRejected", "直推好友的订单经商家审核不计佣金，佣金 ¥9.90 已作废"],
      ["commission.voidedMany.riskRejected", "好友的订单经商家审核不计佣金，2 笔佣金共 ¥19.80 已作废"],
    ]);
    for (const trace of TRACES) expect(text, trace).toContain(trace);
  });

  it("tell levels 2 and 3 only that the orders earn no commission: no reason, no review, in either language", async () => {
    const levels = [
      ["grand", 495, "间推", "An indirect referral", "4.95", "9.90"],
      ["great", 198, "再推", "A 3rd-level referral", "1.98", "3.96"],
    ] as const;
    for (const [name, fen, word, enWord, one, many] of levels) {
      const { rows, notices, text } = await seenBy(name);
      expect(rows.map((r) => [r.amountFen, r.status, r.label, r.reason]), name).toEqual([1, 1, 1].map(() => [fen, "VOID", "已作废", null]));
      const voids = notices.filter((n) => n.kind === "commission_lost").reverse();
      expect(voids.map((n) => [n.key, n.title, n.body]), name).toEqual([
        ["commission.voided.team", "佣金已作废", `${word}好友的订单不计佣金，佣金 ¥${one} 已作废`],
        ["commission.voidedMany.team", "佣金已作废", `好友的订单不计佣金，2 笔佣金共 ¥${many} 已作废`],
      ]);
      expect(voids.map((n) => noticeText(en, n).body), name).toEqual([
        `${enWord}'s order earns no commission: ¥${one} is voided`,
        `Friends' orders earn no commission: 2 commissions totalling ¥${many} are voided`,
      ]);
      // One word for a void commission in English, as the wallet (Commission voided) and the list badge (Voided) say it.
      expect(voids.map((n) => noticeText(en, n).title), name).toEqual(["Commission voided", "Commissions voided"]);
      expect([en("commission.status.VOID"), en("ledger.commission_void")]).toEqual(["Voided", "Commission voided"]);
      for (const trace of TRACES) expect(text.toLowerCase(), `${name}: ${trace}`).not.toContain(trace.toLowerCase());
      for (const leak of [...orderNos, "王", "李", "wxm", "lxh"]) expect(text, `${name}: ${leak}`).not.toContain(leak);
    }
  });
});
