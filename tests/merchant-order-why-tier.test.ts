// The order detail's 佣金计算 re-prices each commission with the tier its earner held when the order was paid, as the
// engine paid it (SPEC §4, §7: tiers rise and fall afterwards), so a correct amount is not shown as a mismatch.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../server/orders";
import { merchantOrderDetail } from "../server/orders/merchant";
import { freshPglite } from "./helpers/db";
import { teaShop } from "./helpers/shop";

// promoter (2 qualified directs) earns 1% on top of each level's rate: L1 10% + 1% = 11%.
const tiers = (bonusBps: number) => [{ name: "member" }, { name: "promoter", minDirects: 2, benefits: { commissionBonusBps: bonusBps } }];
const config = parseConfig({ tiers: tiers(100) });
const t1 = new Date("2026-03-01T02:00:00Z");
const t2 = new Date("2026-03-01T03:00:00Z");
const t3 = new Date("2026-03-01T04:00:00Z");
let database: Database;
let db: Db;
let alice: number;
let o1: number;
let o2: number;

beforeAll(async () => {
  database = await freshPglite();
  db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await teaShop(db, 10_000);
  const reg = async (username: string, sponsorId: number | null) =>
    (await inTx(db, { now: t1, config }, (c) => registerMember(c, { username, sponsorId, ip: username, device: username }))).id;
  const buy = async (memberId: number, now: Date) => {
    const o = await inTx(db, { now, config }, (c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { now, config }, (c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    return o.id;
  };
  alice = await reg("alice", null);
  const bob = await reg("bob", alice);
  const carol = await reg("carol", alice);
  o1 = await buy(bob, t1); // alice: 1 qualified direct, member: L1 10% of 100.00 = 10.00
  o2 = await buy(carol, t2); // alice: 2, promoter before the commission: L1 11% = 11.00
  // o1 refunded: alice is back to 1 qualified direct, member.
  expect((await inTx(db, { now: t3, config }, (c) => refundOrder(c, o1))).refunded).toBe(true);
});
afterAll(() => database.close());

const l1 = async (orderId: number, cfg = config) => (await merchantOrderDetail({ tx: db, config: cfg }, orderId, { revealAddress: false }))!.commissions.find((c) => c.level === 1)!;

it("an earner's tier fell since payment: the commission is re-priced with the tier then and matches", async () => {
  expect((await db.member.findUniqueOrThrow({ where: { id: alice } })).tier).toBe("member");
  const c = await l1(o2);
  expect(c.amountFen).toBe(1_100);
  expect(c.why.lines).toMatchObject([{ rateBps: 1_000, bonusBps: 100, amountFen: 1_100 }]);
  expect(c.why).toMatchObject({ recomputedFen: 1_100, matches: true });
});

it("an order paid before the earner rose: no bonus then, none now", async () => {
  const c = await l1(o1);
  expect(c.amountFen).toBe(1_000);
  expect(c.why.lines).toMatchObject([{ rateBps: 1_000, bonusBps: 0, amountFen: 1_000 }]);
  expect(c.why.matches).toBe(true);
});

it("rules that really differ (an unversioned order read with a promoter bonus of 2%) still show the mismatch", async () => {
  const c = await l1(o2, parseConfig({ tiers: tiers(200) }));
  expect(c.why).toMatchObject({ recomputedFen: 1_200, matches: false });
});
