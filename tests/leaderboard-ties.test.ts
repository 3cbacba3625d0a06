// The distributor leaderboard's "top 10" with ties: ties share the rank shown, but the list stops at 10 rows
// (cut by member id among the tied), and the caller past the cut still sees their own row.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment, shipOrder, confirmDelivery, completeOrder } from "../server/orders";
import { DAY, HOUR, monthStart } from "../server/clock/time";
import { createSimpleProduct } from "../server/catalog/admin";
import { freshPglite } from "./helpers/db";
import { callerFor } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
const now = new Date();
const ms = monthStart(now, config.timeZone).getTime();
// A completion instant inside the current month (merchant calendar) and before now, whatever today is.
const completedAt = new Date(ms + Math.floor((now.getTime() - ms) / 2));
const t0 = new Date(completedAt.getTime() - 20 * DAY);
const run = <T,>(fn: Parameters<typeof inTx<T>>[2], at: Date) => inTx(database.prisma, { config, now: at }, fn);
const TIED = 12;
const tied: number[] = [];
let leader = 0;
let seq = 0;

/** A new direct of `sponsorId` buys one tea (9900), completed this month: 9900 of the sponsor's direct sales. */
async function directSale(sponsorId: number) {
  const i = seq++;
  const b = await run((ctx) => registerMember(ctx, { username: `b${i}`, nickname: `买家${i}`, sponsorId, ip: `10.1.${i}.1`, device: `db${i}` }), t0);
  const paidAt = new Date(t0.getTime() + HOUR);
  const o = await run((ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }], address: `addr-${i}` }), paidAt);
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }), paidAt);
  const delivered = new Date(completedAt.getTime() - config.returnWindowDays * DAY);
  await run((ctx) => shipOrder(ctx, o.id), delivered);
  await run((ctx) => confirmDelivery(ctx, o.id), delivered);
  await run((ctx) => completeOrder(ctx, o.id), completedAt);
}

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "tea", priceFen: 9900, category: "fmcg", stock: 1000 });
  leader = (await run((ctx) => registerMember(ctx, { username: "lead", nickname: "冠军王", sponsorId: null, ip: "10.0.0.1", device: "lead" }), t0)).id;
  await directSale(leader);
  await directSale(leader);
  for (let i = 0; i < TIED; i++) {
    const s = await run((ctx) => registerMember(ctx, { username: `s${i}`, nickname: `推广员${i}`, sponsorId: null, ip: `10.0.${i + 1}.1`, device: `ds${i}` }), t0);
    tied.push(s.id);
    await directSale(s.id);
  }
}, 600_000);
afterAll(() => database?.close());

it("shows 10 rows when 12 distributors tie for second place, ties sharing rank 2", async () => {
  const board = await callerFor(database.prisma, tied[0]!).promotion.leaderboard();
  expect(board.top).toHaveLength(10);
  expect(board.top[0]).toEqual({ rank: 1, name: "冠*王", salesFen: 19800, me: false });
  // The nine tied rows that fit are the first nine tied members by id: 推广员0 … 推广员8, the caller first.
  expect(board.top.slice(1).map((r) => [r.rank, r.salesFen])).toEqual(Array.from({ length: 9 }, () => [2, 9900]));
  expect(board.top.slice(1).map((r) => r.me)).toEqual([true, false, false, false, false, false, false, false, false]);
  expect(board.me).toEqual({ rank: 2, name: "推**0", salesFen: 9900, me: true });
});

it("gives a tied member cut from the 10 rows their own row with the shared rank", async () => {
  const board = await callerFor(database.prisma, tied[TIED - 1]!).promotion.leaderboard();
  expect(board.top).toHaveLength(10);
  expect(board.top.some((r) => r.me)).toBe(false);
  expect(board.me).toEqual({ rank: 2, name: "推**1", salesFen: 9900, me: true });
});
