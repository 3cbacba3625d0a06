// A rules version stored before the save refused a 返现封顶 above int4, a tier label over 32 characters, an automatic
// receipt over a year and a payment time limit over a week is still read and runs: the shop places, pays and ships an
// order under it (the largest value the guard allows applies where the engine stores or dates it), the rules page
// shows what the guard refuses in it, and a save of the same rules is refused.
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, loadRules } from "../server/context";
import { checkRuleSet, RulesRefused, saveRules } from "../server/rules";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../server/orders";
import { reviewTiers } from "../server/tiers";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { checkRules } from "@/app/merchant/rules/check";
import { freshDatabase } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { teaShop } from "./helpers/shop";

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

const INT4 = 2_147_483_647;
const DAY = 24 * 60 * 60 * 1000;
const t0 = new Date("2026-06-01T02:00:00Z");
const label40 = "推".repeat(40);
// 3 000 000 000 fen (3 千万元) is above int4; 10^12 minutes is past what a Date can hold.
const legacy = {
  rebate: { capFen: 3_000_000_000 },
  tiers: [{ name: "member" }, { name: "promoter", label: label40, minDirects: 3 }],
  autoDeliverDays: 400,
  paymentTimeoutMinutes: 1e12,
};

it("reads a version stored with values beyond today's maxima, runs an order under it, shows the refusals and refuses its save", async () => {
  const db = database.prisma;
  await teaShop(db); // one tea at 100 元
  await db.ruleVersion.create({ data: { version: 1, config: legacy, reason: "旧版本", createdAt: t0, effectiveAt: new Date(0) } });

  const rules = await loadRules(db, t0);
  expect(rules.versionId).not.toBeNull();
  expect([rules.config.rebate.capFen, rules.config.tiers[1].label, rules.config.autoDeliverDays, rules.config.paymentTimeoutMinutes]).toEqual([3_000_000_000, label40, 400, 1e12]);

  // Placed: unpaid, it is cancelled after the longest time limit the guard allows, a week.
  const buyer = await inTx(db, { now: t0 }, (ctx) => registerMember(ctx, { username: "a" }));
  const order = await inTx(db, { now: t0 }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
  expect(await db.dueTransition.findMany({ where: { kind: "ORDER_PAYMENT_TIMEOUT", refId: order.id }, select: { dueAt: true } })).toEqual([{ dueAt: new Date(t0.getTime() + 7 * DAY) }]);

  // Paid: 100% of the 100 元 tea is 10 000 fen of cashback, which a cap beyond any order leaves whole; the task records the largest cap.
  const paid = await inTx(db, { now: t0 }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: `t${order.id}`, amountFen: order.payableFen, currency: "CNY" }));
  expect(paid).toEqual({ outcome: "paid" });
  expect(await db.rebateTask.findMany({ select: { capFen: true, cashbackFen: true } })).toEqual([{ capFen: INT4, cashbackFen: 10_000 }]);

  // Shipped: received automatically after the longest delay the guard allows, 365 days.
  expect(await inTx(db, { now: t0 }, (ctx) => shipOrder(ctx, order.id))).toBe(true);
  expect(await db.dueTransition.findMany({ where: { kind: "ORDER_AUTO_DELIVER", refId: order.id }, select: { dueAt: true } })).toEqual([{ dueAt: new Date(t0.getTime() + 365 * DAY) }]);

  // The rules page opens on it and shows what the guard refuses in it, each beside its setting.
  const { caller } = await signedInStaff(db, "owner");
  const open = await caller.merchantRules.overview();
  expect([open.activeVersion, open.latestVersion]).toEqual([1, 1]);
  const refused = checkRuleSet(open.latest);
  expect(refused.ok ? [] : refused.issues.map((i) => [i.path, i.message])).toEqual([
    ["rebate.capFen", "返现封顶最多 21474836.47 元（单笔订单金额的上限）"],
    ["tiers.1.label", "等级名称最多 32 个字"],
    ["paymentTimeoutMinutes", "支付时限最多 10080 分钟（7 天）"],
    ["autoDeliverDays", "自动确认收货最多 365 天"],
  ]);
  expect(checkRules(createT("en", MESSAGES.en), open.latest).map((r) => r.text)).toEqual([
    "Cashback cap: must be at most ¥21474836.47",
    "Tier 2 label: must be at most 32 characters",
    "Payment time limit (minutes): must be at most 10080",
    "Automatic receipt after (days): must be at most 365",
  ]);

  // Saving the same rules is refused by the same guard; nothing is saved.
  const error = await saveRules(db, null, { config: legacy, reason: "原样保存" }, t0).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(RulesRefused);
  expect((error as RulesRefused).issues.map((i) => i.path)).toEqual(["rebate.capFen", "tiers.1.label", "paymentTimeoutMinutes", "autoDeliverDays"]);
  expect(await db.ruleVersion.count()).toBe(1);
});

it("reviews tiers nightly under a stored version whose tier thresholds are beyond int4: nobody reaches that tier", async () => {
  const db = database.prisma;
  await db.ruleVersion.create({
    data: { version: 1, config: { tiers: [{ name: "member" }, { name: "promoter", minDirects: 3_000_000_000, minTeam: 3_000_000_000 }] }, reason: "旧版本", createdAt: t0, effectiveAt: new Date(0) },
  });
  const a = await inTx(db, { now: t0 }, (ctx) => registerMember(ctx, { username: "a" }));
  await inTx(db, { now: t0 }, (ctx) => registerMember(ctx, { username: "b", sponsorId: a.id }));
  const result = await reviewTiers(db, { now: new Date(t0.getTime() + DAY) });
  expect(result.done).toBe(true);
  expect((await db.member.findMany({ select: { tier: true } })).map((m) => m.tier)).toEqual(["member", "member"]);
});
