// The product page promises the 推三返一 cashback the viewer's own order would get: while an experiment
// runs, the settings of the variant the engine assigns the viewer to (server/experiments' rebateArm);
// a frozen viewer, whose orders open no task, is promised none.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, loadRules } from "../server/context";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY } from "../server/clock/time";
import { startExperimentTx, variantFor } from "../server/experiments";
import { shopProduct } from "../server/promotion/product-offer";
import { freshDatabase } from "./helpers/db";

const OWNER = { staffId: 1, requestId: "req-offer" };
const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
let database: Database;
let productId: number;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  productId = (await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 50 })).id;
});
afterEach(() => database.close());

describe("product page cashback under a running experiment", () => {
  it("a viewer in B is promised B's cashback, one in A A's, and each is what their paid order's task gets", async () => {
    const db = database.prisma;
    const exp = await startExperimentTx(db, OWNER, { name: "返四成", hypothesis: "", variantPercent: 50, variantRebate: { percent: 40 } }, t0);
    const { salt } = await db.experiment.findUniqueOrThrow({ where: { id: exp.id } });
    const viewers: Record<"A" | "B", number> = { A: 0, B: 0 };
    for (let i = 0; !viewers.A || !viewers.B; i++) {
      const m = await inTx(db, { now: t0 }, (ctx) => registerMember(ctx, { username: `v${i}` }));
      const v = variantFor(salt, m.id, 50);
      if (!viewers[v]) viewers[v] = m.id;
    }
    const now = at(1);
    const config = (await loadRules(db, now)).config;
    const page = async (viewerId: number | null) => (await shopProduct(db, config, productId, viewerId, now))!;

    // ¥100.00: A (the rules in force) returns 100%, B returns 40%.
    const a = await page(viewers.A);
    const b = await page(viewers.B);
    expect(a.offers.map((o) => o.cashbackFen)).toEqual([10_000]);
    expect(b.offers.map((o) => o.cashbackFen)).toEqual([4_000]);
    expect(b.rebate).toMatchObject({ percent: 40, n: 3 });
    // A visitor has no member id to assign: the rules in force.
    expect((await page(null)).offers.map((o) => o.cashbackFen)).toEqual([10_000]);

    // What the engine then opens for each viewer's order of one piece.
    for (const v of ["A", "B"] as const) {
      const o = await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId: viewers[v], lines: [{ sku: "tea", qty: 1 }] }));
      await inTx(db, { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
      const task = await db.rebateTask.findUniqueOrThrow({ where: { anchorOrderId: o.id } });
      expect(task).toMatchObject({ variant: v, cashbackFen: (v === "A" ? a : b).offers[0]!.cashbackFen });
    }
  });
});

describe("product page cashback of a frozen viewer", () => {
  it("is none, and no campaign offer is stated: a frozen member's paid order opens no task (SPEC §5)", async () => {
    const db = database.prisma;
    const m = await inTx(db, { now: t0 }, (ctx) => registerMember(ctx, { username: "frozen" }));
    await db.member.update({ where: { id: m.id }, data: { frozen: true, frozenAt: t0 } });
    const now = at(1);
    const config = (await loadRules(db, now)).config;
    const page = (await shopProduct(db, config, productId, m.id, now))!;
    expect(page.offers).toEqual([{ skuId: page.product.skus[0]!.id, shareEarnFen: 0, cashbackFen: 0 }]);
    expect(page.rebate).toBeNull();

    const o = await inTx(db, { now }, (ctx) => createOrder(ctx, { memberId: m.id, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    expect(await db.rebateTask.findUnique({ where: { anchorOrderId: o.id } })).toBeNull();
  });
});
