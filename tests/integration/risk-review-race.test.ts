// SPEC §8: a reviewer decides for all of a member's open flags at once — one decision. Two decisions made at
// the same moment (a double click, two reviewers) must not both apply: the second finds no open flag.
// Before the flags were locked, a double-clicked reject counted two rejections (three freeze the account)
// and an approve racing a reject left the flags APPROVED with the commissions VOID. Needs PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import { reviewMember } from "../../server/risk/review";
import { freshDatabase, usingPostgres } from "../helpers/db";

const config = parseConfig({});
const NOW = new Date("2026-03-10T02:00:00Z");

describe.runIf(usingPostgres())("two risk decisions at once", () => {
  let database: Database;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: NOW }, fn);

  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.mallConfig.create({ data: { data: config as object } });
    await run(async (ctx) => {
      await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
      await createSimpleProduct(ctx.tx, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 100 });
    });
  });
  afterEach(() => database.close());

  /** A member flagged at sign-up (same IP as the sponsor), with a paid order earning the sponsor a commission. */
  async function flagged() {
    const s = (await run((ctx) => registerMember(ctx, { username: "s", ip: "9.9.9.9", device: "ds" }))).id;
    const m = (await run((ctx) => registerMember(ctx, { username: "m", sponsorId: s, ip: "9.9.9.9", device: "dm" }))).id;
    expect(await database.prisma.riskFlag.count({ where: { memberId: m, status: "OPEN" } })).toBeGreaterThan(0);
    const o = await run((ctx) => createOrder(ctx, { memberId: m, lines: [{ sku: "tea", qty: 1 }] }));
    await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    return { m, orderId: o.id };
  }

  it("a double reject counts one rejection; the second is refused", async () => {
    const { m } = await flagged();
    const results = await Promise.allSettled([run((c) => reviewMember(c, m, "reject")), run((c) => reviewMember(c, m, "reject"))]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ code: "NO_OPEN_FLAG" });
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: m } })).rejectionCount).toBe(1);
  });

  it("approve and reject at once: one of them, and the commissions agree with the flags", async () => {
    const { m, orderId } = await flagged();
    await Promise.allSettled([run((c) => reviewMember(c, m, "approve")), run((c) => reviewMember(c, m, "reject"))]);
    const statuses = [...new Set((await database.prisma.riskFlag.findMany({ where: { memberId: m } })).map((f) => f.status))];
    expect(statuses).toHaveLength(1);
    const commissions = (await database.prisma.commission.findMany({ where: { orderId } })).map((c) => c.status);
    expect(commissions.length).toBeGreaterThan(0);
    if (statuses[0] === "APPROVED") expect(commissions.every((s) => s !== "VOID")).toBe(true);
    else expect(commissions.every((s) => s === "VOID")).toBe(true);
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: m } })).rejectionCount).toBe(statuses[0] === "REJECTED" ? 1 : 0);
  });
});
