// The provider callback route (app/api/payments/[provider]/notify): 400 on a bad signature,
// "SUCCESS" for a verified callback and for its duplicate, 404 for an unknown provider; our own failure
// is 500 (the provider calls again), logged as an internal error without the database's text.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder } from "../server/orders";
import { startPayment } from "../server/payments";
import { SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, signSandbox } from "../server/payments/sandbox";
import { freshPglite } from "./helpers/db";
import { createSimpleProduct } from "../server/catalog/admin";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));

const { POST } = await import("../app/api/payments/[provider]/notify/route");

let database: Database;
let memberId: number;
let orderId: number;
let reference: string;
let amountFen: number;
const config = parseConfig({});

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 });
  memberId = (await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
  const order = await inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "x" }));
  orderId = order.id;
  amountFen = order.payableFen;
  reference = (await startPayment(database.prisma, { orderId, memberId, baseUrl: "http://127.0.0.1:3100" })).reference;
});
afterAll(() => database.close());

function call(provider: string, body: string, headers: Record<string, string>) {
  const req = new Request(`http://127.0.0.1:3100/api/payments/${provider}/notify`, { method: "POST", body, headers });
  return POST(req, { params: Promise.resolve({ provider }) });
}

describe("POST /api/payments/[provider]/notify", () => {
  it("answers 400 to a forged signature and changes nothing, then SUCCESS (twice) to the real one", async () => {
    const body = JSON.stringify({ reference, providerTxnId: "SBX-route-1", amountFen, currency: "CNY", status: "SUCCESS" });
    const ts = String(Date.now());
    const forged = await call("sandbox", body, { [SANDBOX_SIGNATURE_HEADER]: "ab".repeat(32), [SANDBOX_TIMESTAMP_HEADER]: ts });
    expect(forged.status).toBe(400);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe("PENDING_PAYMENT");
    const unsigned = await call("sandbox", body, {});
    expect(unsigned.status).toBe(400);

    const headers = { [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts };
    for (let i = 0; i < 2; i++) {
      const res = await call("sandbox", body, headers);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("SUCCESS");
    }
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe("PAID");
    expect(await database.prisma.payment.count({ where: { orderId } })).toBe(1);
    expect((await call("nopay", body, headers)).status).toBe(404);
  });

  it("answers 500 to a verified callback our database fails to record, logging no data of the error; a forged one stays 400", async () => {
    const db = database.prisma;
    const order = await inTx(db, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "x" }));
    const ref = (await startPayment(db, { orderId: order.id, memberId, baseUrl: "http://127.0.0.1:3100" })).reference;
    // Recording the payment fails, the database's message quoting a shopper's phone number and address.
    await db.$executeRawUnsafe(`CREATE FUNCTION refuse_payment() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'buyer 13800009999 at 杭州西湖区某路1号'; END; $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_payment BEFORE INSERT ON "Payment" FOR EACH ROW EXECUTE FUNCTION refuse_payment()`);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const body = JSON.stringify({ reference: ref, providerTxnId: "SBX-route-db", amountFen: order.payableFen, currency: "CNY", status: "SUCCESS" });
      const ts = String(Date.now());
      const res = await call("sandbox", body, { [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts });
      expect(res.status).toBe(500);
      expect(await res.text()).not.toContain("13800009999");
      const logged = [...warn.mock.calls, ...error.mock.calls].map((c) => c.join(" ")).join("\n");
      expect(logged).toMatch(/\[error\] request \S+ payment notify: /);
      expect(logged).not.toContain("13800009999");
      expect(logged).not.toContain("杭州西湖区");
      expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_PAYMENT");

      warn.mockClear();
      error.mockClear();
      const forged = await call("sandbox", body, { [SANDBOX_SIGNATURE_HEADER]: "ab".repeat(32), [SANDBOX_TIMESTAMP_HEADER]: ts });
      expect(forged.status).toBe(400);
      expect(warn.mock.calls.map((c) => c.join(" "))).toEqual(["[payments] sandbox notification rejected: invalid sandbox signature"]);
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
      await db.$executeRawUnsafe(`DROP TRIGGER refuse_payment ON "Payment"`);
      await db.$executeRawUnsafe(`DROP FUNCTION refuse_payment()`);
    }
  });
});
