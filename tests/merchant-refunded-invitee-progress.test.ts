// SPEC §5: an invitee whose first order is refunded before confirmation is removed for good. The back office's member
// page counts only the invitees still in the task, and the invitee's order page says the order no longer counts
// (W1 finding 1: 邀请 1/3 and 计入 … 的任务（进行中） after the refund).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../server/orders";
import { merchantOrderDetail } from "../server/orders/merchant";
import { memberDetail } from "../server/members/admin";
import { createElement } from "react";
import { createT } from "@/lib/i18n/core";
import { OrderDetailClient } from "@/app/merchant/orders/[id]/OrderDetailClient";
import { renderInProviders } from "./helpers/render";
import { en } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { freshPglite } from "./helpers/db";
import { teaShop } from "./helpers/shop";

// Defaults: n = 3 invitees, 30-day window.
const config = parseConfig({});
const t0 = new Date("2026-03-01T02:00:00Z");
const t1 = new Date("2026-03-02T02:00:00Z");
const t2 = new Date("2026-03-03T02:00:00Z");
const t3 = new Date("2026-03-04T02:00:00Z");
let database: Database;
let db: Db;
const ids: Record<string, number> = {};
const at = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(db, { now, config }, fn);

async function paid(memberId: number, now: Date) {
  const o = await at(now, (c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  await at(now, (c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o.id;
}
const progress = async () => (await memberDetail(db, config, ids.anchor, "owner"))!.rebateTasks.map((r) => ({ status: r.status, invitees: r.invitees, n: r.n }));
const countedFor = async (orderId: number) => {
  const c = (await merchantOrderDetail({ tx: db, config }, orderId, { revealAddress: false }))!.countedForTask!;
  return { sponsorId: c.sponsorId, counted: c.counted, removedReason: c.removedReason };
};

beforeAll(async () => {
  database = await freshPglite();
  db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await teaShop(db, 10_000);
  const reg = async (username: string, sponsorId: number | null) => (await at(t0, (c) => registerMember(c, { username, sponsorId, ip: username, device: username }))).id;
  ids.anchor = await reg("anchor", null);
  ids.bob = await reg("bob", ids.anchor);
  ids.carol = await reg("carol", ids.anchor);
  ids.anchorOrder = await paid(ids.anchor, t0); // opens the anchor's task, 0/3
  ids.bobOrder = await paid(ids.bob, t1); // bob's first order: 1/3
});
afterAll(() => database.close());

it("bob's first order counts while paid; refunded, he is out: the member page shows 0/3, his order page says it no longer counts", async () => {
  expect(await progress()).toEqual([{ status: "OPEN", invitees: 1, n: 3 }]);
  expect(await countedFor(ids.bobOrder)).toEqual({ sponsorId: ids.anchor, counted: true, removedReason: null });

  expect((await at(t2, (c) => refundOrder(c, ids.bobOrder))).refunded).toBe(true);
  // Deadline not passed: the task is OPEN again, with nobody counted.
  expect(await progress()).toEqual([{ status: "OPEN", invitees: 0, n: 3 }]);
  expect(await countedFor(ids.bobOrder)).toEqual({ sponsorId: ids.anchor, counted: false, removedReason: "refunded" });

  // A later invitee counts alone: 1/3, not 2/3.
  ids.carolOrder = await paid(ids.carol, t3);
  expect(await progress()).toEqual([{ status: "OPEN", invitees: 1, n: 3 }]);
  expect(await countedFor(ids.carolOrder)).toEqual({ sponsorId: ids.anchor, counted: true, removedReason: null });
});

it("the order page's words for a refunded invitee say it no longer counts, in both languages", async () => {
  const detail = await merchantOrderDetail({ tx: db, config }, ids.bobOrder, { revealAddress: false });
  const line = (locale: "en" | "zh-CN") => {
    const { html } = renderInProviders(createElement(OrderDetailClient, { id: ids.bobOrder, canWrite: false, canDecide: false }), locale, (trpc, qc) =>
      qc.setQueryData(trpc.merchantOrder.detail.queryKey({ id: ids.bobOrder }), detail as never),
    );
    return /data-testid="order-counted-for"[^>]*>(.*?)<\/p>/.exec(html)![1]!.replace(/<!-- -->/g, "").replace(/&#x27;/g, "'");
  };
  expect(line("zh-CN")).toBe(`本单为买家首单，曾计入 anchor 的任务 #1；已退款，不计入`);
  expect(line("en")).toBe(`The buyer's first order: was counted for anchor's task #1; refunded, no longer counts`);

  const vars = { sponsor: "张老师", task: 3 };
  expect(createT("zh-CN", zhCN)("mo.d.countedFor.refunded", vars)).toBe("本单为买家首单，曾计入 张老师 的任务 #3；已退款，不计入");
  expect(createT("en", en)("mo.d.countedFor.refunded", vars)).toBe("The buyer's first order: was counted for 张老师's task #3; refunded, no longer counts");
});
