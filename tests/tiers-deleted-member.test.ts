// A deleted account (注销) is not re-tiered: its old downline's activity changes its counters, but it earns nothing more
// and is sent nothing (no tier change, no "tier.changed" notice, no status-history row).
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recomputeTiers } from "../server/tiers";
import { confirmPayment, createOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({ tiers: [{ name: "member" }, { name: "promoter", minDirects: 3 }] });
let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

it("three qualified directs make a live member a promoter, not a deleted one", async () => {
  const db = database.prisma;
  const live = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "live" }));
  const gone = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "gone" }));
  await db.member.updateMany({ where: { id: { in: [live.id, gone.id] } }, data: { qualifiedDirects: 3 } });
  await db.member.update({ where: { id: gone.id }, data: { deletedAt: new Date() } });
  const tiers = await inTx(db, { config }, (ctx) => recomputeTiers(ctx, [live.id, gone.id]));
  expect([...tiers]).toEqual([[live.id, "promoter"]]);
  expect((await db.member.findUniqueOrThrow({ where: { id: gone.id } })).tier).toBe("member");
  expect(await db.notification.count({ where: { memberId: gone.id } })).toBe(0);
  expect(await db.memberStatusChange.count({ where: { memberId: gone.id } })).toBe(0);
  expect(await db.notification.count({ where: { memberId: live.id } })).toBe(1);
});

it("a deleted sponsor whose direct pays a first order (their third qualified direct) keeps its tier and is told nothing", async () => {
  const db = database.prisma;
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(db, { config }, fn);
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 100 });
  const s = await run((ctx) => registerMember(ctx, { username: "s", ip: "10.1.0.1", device: "ds" }));
  const d = await run((ctx) => registerMember(ctx, { username: "d", sponsorId: s.id, ip: "10.1.0.2", device: "dd" }));
  await db.member.update({ where: { id: s.id }, data: { qualifiedDirects: 2, deletedAt: new Date(), frozen: true } });
  const o = await run((ctx) => createOrder(ctx, { memberId: d.id, lines: [{ sku: "tea", qty: 1 }] }));
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `SBX-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  expect((await db.member.findUniqueOrThrow({ where: { id: s.id } })).tier).toBe("member");
  expect(await db.notification.count({ where: { memberId: s.id, key: "tier.changed" } })).toBe(0);
  expect(await db.memberStatusChange.count({ where: { memberId: s.id, kind: "TIER" } })).toBe(0);
});
