// 钱包 待到账 with many pending commissions from orders placed under an earlier rule version: each version's rules are
// read once (not once per commission), and wallet.summary sends the total, the soonest rows and the count of the rest.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database, PrismaClient } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { DAY, HOUR } from "../server/clock/time";
import { createSimpleProduct } from "../server/catalog/admin";
import { expectedPayoutSummary } from "../server/wallet/expected";
import { freshLoggedDatabase, type LoggedStatement } from "./helpers/logged-db";
import { callerFor } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
let logged: PrismaClient;
let statements: LoggedStatement[];
const ORDERS = 12;
let sponsorId = 0;
const t0 = new Date(Date.now() - 5 * DAY);
const versionReads = () => statements.filter((s) => /FROM "RuleVersion" WHERE id =/.test(s.query)).length;

beforeAll(async () => {
  ({ database, logged, statements } = await freshLoggedDatabase());
  const db = database.prisma;
  await db.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(db, { sku: "tea", name: "tea", priceFen: 9900, category: "fmcg", stock: 1000 });
  await db.ruleVersion.create({ data: { version: 1, config: config as object, reason: "v1", createdAt: new Date(t0.getTime() - DAY), effectiveAt: new Date(t0.getTime() - DAY) } });
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2], at: Date) => inTx(db, { now: at }, fn);
  sponsorId = (await run((ctx) => registerMember(ctx, { username: "boss", nickname: "老板", sponsorId: null, ip: "9.9.9.9", device: "boss" }), t0)).id;
  for (let i = 0; i < ORDERS; i++) {
    const at = new Date(t0.getTime() + i * 60_000);
    const b = await run((ctx) => registerMember(ctx, { username: `b${i}`, nickname: `买家${i}`, sponsorId, ip: `10.1.${i}.1`, device: `db${i}` }), at);
    const o = await run((ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }], address: `addr-${i}` }), at);
    await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }), at);
  }
  // The merchant saves the rules once: a new version in force from now on; every order stays on version 1.
  await db.ruleVersion.create({ data: { version: 2, config: { ...config, returnWindowDays: 8 } as object, reason: "v2", createdAt: new Date(Date.now() - HOUR), effectiveAt: new Date(Date.now() - HOUR) } });
}, 600_000);
afterAll(async () => {
  await logged?.$disconnect();
  await database?.close();
});

it("reads version 1 once for 12 commissions placed under it, and bounds the rows", async () => {
  statements.length = 0;
  const s = await inTx(logged as never, { now: new Date() }, (ctx) => expectedPayoutSummary(ctx, sponsorId, 5));
  expect(versionReads()).toBe(1);
  // Level 1 at the default 10%: 9900 × 10% = 990 fen each, none shipped yet.
  expect(s.rows.map((e) => [e.kind, e.amountFen, e.expectedAt, e.why])).toEqual(Array.from({ length: 5 }, () => ["commission", 990, null, "awaiting_shipment"]));
  expect(s.more).toBe(ORDERS - 5);
  expect(s.totalFen).toBe(ORDERS * 990);
});

it("wallet.summary sends the total, up to 50 rows and the count of the rest", async () => {
  statements.length = 0;
  const w = await callerFor(logged, sponsorId).wallet.summary();
  expect(versionReads()).toBe(1);
  expect(w.expected.rows).toHaveLength(ORDERS);
  expect(w.expected).toMatchObject({ totalFen: ORDERS * 990, more: 0 });
});
