// An order's address in the back office and in risk control (PIPL review): staff who ship read it whole only while
// the order needs it, the place's fingerprint is keyed (a guessed address hashed without the key matches nothing),
// and SPEC §8 shared_address still finds a sponsor's order placed when the fingerprint was an unkeyed sha256.
import { createHash, createHmac, hkdfSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { cancelUnpaidOrder, completeOrder, confirmDelivery, confirmPayment, createOrder, shipOrder } from "../server/orders";
import { rejectRefundRequest, requestRefund } from "../server/aftersales";
import { maskAddress } from "../server/orders/merchant";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY, HOUR } from "../server/clock/time";
import { getAuthSecret } from "../server/auth/secret";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
const ADDRESS = "王小明 13912345678 浙江省 杭州市 西湖区 文三路 100 号 3 幢 501";
// By hand from maskAddress's rule: the name's first character, the phone's first 3 and last 4 digits, the picker's region.
const MASKED = "王** 139****5678 浙江省 杭州市 西湖区 ****";
const PLACE = "浙江省 杭州市 西湖区 文三路 100 号 3 幢 501";

let database: Database;
let db: Db;
let ids: { sponsor: number; buyer: number };
let operator: Awaited<ReturnType<typeof signedInStaff>>;
let support: Awaited<ReturnType<typeof signedInStaff>>;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = t0) => inTx(db, { config, now }, fn);

beforeAll(async () => {
  database = await freshPglite();
  db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 1_000 });
  const sponsor = (await run((c) => registerMember(c, { username: "sponsor", ip: "10.0.0.1", device: "dev-s" }))).id;
  const buyer = (await run((c) => registerMember(c, { username: "buyer", sponsorId: sponsor, ip: "10.0.0.2", device: "dev-b" }))).id;
  ids = { sponsor, buyer };
  operator = await signedInStaff(db, "operator");
  support = await signedInStaff(db, "support");
});
afterAll(() => database.close());

const place = (memberId: number, address = ADDRESS, addressKey: string | null = PLACE) =>
  run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }], address, addressKey }));
async function paid(memberId: number) {
  const o = await place(memberId);
  await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o.id;
}

describe("the back office shows an order's address whole only while the order needs it", () => {
  it("PAID and SHIPPED, or with an open after-sales request: whole to the operator; otherwise masked, and to support always", async () => {
    const shown = async (orderId: number) => {
      const [op, sup] = [await operator.caller.merchantOrder.detail({ id: orderId }), await support.caller.merchantOrder.detail({ id: orderId })];
      expect(sup).toMatchObject({ address: MASKED, addressMasked: true, addressMaskedWhy: "role" });
      return [op.address, op.addressMasked, op.addressMaskedWhy];
    };
    const whole = [ADDRESS, false, null];
    const done = [MASKED, true, "done"];

    const unpaid = await place(ids.buyer);
    expect(await shown(unpaid.id)).toEqual(done);
    const cancelled = await place(ids.buyer);
    await run((c) => cancelUnpaidOrder(c, cancelled.id, "shopper"));
    expect(await shown(cancelled.id)).toEqual(done);

    const o = await paid(ids.buyer);
    expect(await shown(o)).toEqual(whole);
    await run((c) => shipOrder(c, o));
    expect(await shown(o)).toEqual(whole);
    await run((c) => confirmDelivery(c, o), new Date(t0.getTime() + HOUR));
    expect(await shown(o)).toEqual(done);
    // A return asked for after delivery: the address is needed again while the request is open.
    const { request } = await run((c) => requestRefund(c, ids.buyer, o, { reason: "damaged" }), new Date(t0.getTime() + 2 * HOUR));
    expect(await shown(o)).toEqual(whole);
    await run((c) => rejectRefundRequest(c, { staffId: operator.id }, request.id, "商品已使用"), new Date(t0.getTime() + 3 * HOUR));
    expect(await shown(o)).toEqual(done);
    expect(await run((c) => completeOrder(c, o), new Date(t0.getTime() + HOUR + 7 * DAY))).toBe(true);
    expect(await shown(o)).toEqual(done);
  });

  it("an address already masked masks to itself (a deleted account's orders store it so)", () => {
    expect(maskAddress(MASKED)).toBe(MASKED);
    expect(maskAddress("L***** 139****5678 上海市 浦东新区 ****")).toBe("L***** 139****5678 上海市 浦东新区 ****");
    expect(maskAddress("* 138****0000 ****")).toBe("* 138****0000 ****");
  });
});

describe("the fingerprint of the place is keyed", () => {
  // The development lookup key, derived by hand as server/auth/crypto.ts documents it (HKDF of the root key, "fm:lookup-hash:v1").
  const lookupKey = () => Buffer.from(hkdfSync("sha256", process.env.FIELD_ENCRYPTION_KEY || getAuthSecret(), "fission-mall", "fm:lookup-hash:v1", 32));
  const normalised = "浙江省 杭州市 西湖区 文三路 100 号 3 幢 501";

  it("an HMAC under the lookup key of the normalised place, never its plain sha256", async () => {
    const o = await place(ids.buyer, ADDRESS, `  浙江省  杭州市 西湖区 文三路 100 号 3 幢 501 `);
    expect(o.addressHash).toBe(createHmac("sha256", lookupKey()).update(`order-address:${normalised}`).digest("hex"));
    expect(o.addressHash).not.toBe(createHash("sha256").update(normalised).digest("hex"));
  });

  it("shared_address still finds a sponsor's order fingerprinted before the key, and one after", async () => {
    const sponsorOrder = await place(ids.sponsor, "赵六 13700000000 浙江省 杭州市 西湖区 文三路 100 号 3 幢 501");
    // As an order placed before this release stored it: the unkeyed sha256 of the normalised place.
    await db.order.update({ where: { id: sponsorOrder.id }, data: { addressHash: createHash("sha256").update(normalised).digest("hex") } });
    const before = await db.riskEvent.count({ where: { rule: "shared_address" } });
    const first = await place(ids.buyer);
    const events = await db.riskEvent.findMany({ where: { rule: "shared_address" }, orderBy: { id: "asc" } });
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({ memberIds: [ids.sponsor, ids.buyer], evidence: { order: first.orderNo, sponsorOrder: sponsorOrder.orderNo, addressHash: first.addressHash } });

    // A sponsor's order with the keyed fingerprint matches as well; another place matches neither.
    await db.order.update({ where: { id: sponsorOrder.id }, data: { addressHash: first.addressHash } });
    await place(ids.buyer);
    await place(ids.buyer, "王小明 13912345678 浙江省 杭州市 西湖区 文三路 101 号", "浙江省 杭州市 西湖区 文三路 101 号");
    expect(await db.riskEvent.count({ where: { rule: "shared_address" } })).toBe(before + 2);
  });
});
