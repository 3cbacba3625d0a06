// 推广订单 / 推广金额 of the back office's member list, detail and CSV leave out refunded orders, also those whose entry for
// the member was FORFEITED (SPEC §4: a refund voids only what was earned; a forfeited entry stays FORFEITED).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../server/orders";
import { exportDefinition } from "../server/exports/registry";
import { exportTranslator } from "../server/exports/csv";
import { freshPglite } from "./helpers/db";
import { teaShop } from "./helpers/shop";
import { signedInStaff } from "./helpers/caller";

// first_order: alice, who never buys, is no distributor, so every entry of hers is FORFEITED.
const config = parseConfig({ commission: { distributorMode: "first_order" } });
const paidAt = new Date("2026-03-01T02:00:00Z");
const refundedAt = new Date("2026-03-01T03:00:00Z");
let database: Database;
let db: Db;
const ids: Record<string, number> = {};

beforeAll(async () => {
  database = await freshPglite();
  db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await teaShop(db, 10_000);
  const reg = async (username: string, sponsorId: number | null) =>
    (await inTx(db, { now: paidAt, config }, (c) => registerMember(c, { username, sponsorId, ip: username, device: username }))).id;
  const buy = async (memberId: number) => {
    const o = await inTx(db, { now: paidAt, config }, (c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { now: paidAt, config }, (c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    return o.id;
  };
  ids.alice = await reg("alice", null);
  ids.bob = await reg("bob", ids.alice);
  ids.carol = await reg("carol", ids.alice);
  ids.dave = await reg("dave", ids.bob);
  ids.bobOrder = await buy(ids.bob); // alice L1 FORFEITED; bob becomes a distributor
  ids.carolOrder = await buy(ids.carol); // alice L1 FORFEITED, kept
  ids.daveOrder = await buy(ids.dave); // bob L1 PENDING, alice L2 FORFEITED
  for (const o of [ids.bobOrder, ids.daveOrder]) expect((await inTx(db, { now: refundedAt, config }, (c) => refundOrder(c, o))).refunded).toBe(true);
});
afterAll(() => database.close());

it("a refunded order whose entry stayed FORFEITED is no promotion order; a paid one still is", async () => {
  const entries = await db.commission.findMany({ where: { beneficiaryId: ids.alice }, orderBy: { orderId: "asc" }, select: { orderId: true, level: true, status: true } });
  expect(entries).toEqual([
    { orderId: ids.bobOrder, level: 1, status: "FORFEITED" },
    { orderId: ids.carolOrder, level: 1, status: "FORFEITED" },
    { orderId: ids.daveOrder, level: 2, status: "FORFEITED" },
  ]);
  expect(await db.commission.findFirst({ where: { orderId: ids.daveOrder, beneficiaryId: ids.bob }, select: { status: true } })).toEqual({ status: "VOID" });

  const owner = await signedInStaff(db, "owner");
  // alice: carol's 100.00 元 order only (bob's and dave's were refunded); bob: dave's, refunded, none.
  const list = await owner.caller.merchantMember.list({});
  const row = (id: number) => list.rows.find((r) => r.id === id);
  expect(row(ids.alice)).toMatchObject({ promotionOrders: 1, promotionFen: 10_000 });
  expect(row(ids.bob)).toMatchObject({ promotionOrders: 0, promotionFen: 0 });
  expect(await owner.caller.merchantMember.detail({ id: ids.alice })).toMatchObject({ promotionOrders: 1, promotionFen: 10_000 });

  const def = exportDefinition("members")!;
  const cols = def.columns("Asia/Shanghai", exportTranslator("zh-CN"));
  const csv: Record<string, unknown>[] = [];
  for await (const r of def.rows(db, def.fromSearch(new URLSearchParams("q=alice"))!, "Asia/Shanghai")) csv.push(Object.fromEntries(cols.map((c) => [c.header, c.value(r)])));
  expect(csv).toHaveLength(1);
  expect(csv[0]).toMatchObject({ 推广订单: 1, "推广金额(元)": "100.00" });
});
