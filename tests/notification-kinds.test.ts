// A commission's notices and WeChat (README: WECHAT_TEMPLATE_COMMISSION is the "commission settled" template): the
// pending notice (佣金待结算, at payment) has a kind of its own that no template is mapped to, so it stays in the app
// and does not spend the member's one-time subscription on the wrong template; the settled one (佣金到账) still goes out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmDelivery, confirmPayment, createOrder, shipOrder } from "../server/orders";
import { runDueTransitions } from "../server/scheduler";
import { createSimpleProduct } from "../server/catalog/admin";
import { enqueueChannelMessages } from "../server/notifications/channels";
import { WECHAT_TEMPLATE_SETTINGS } from "../server/wechat/subscribe";
import { DAY } from "../server/clock/time";
import { freshPglite } from "./helpers/db";

const config = parseConfig({}); // L1 10%, return window 7 days, Asia/Shanghai
const WX = { WECHAT_APPID: "wx-kinds-test", WECHAT_APP_SECRET: "secret", WECHAT_TEMPLATE_COMMISSION: "TPL_COMMISSION_SETTLED", SITE_URL: "https://shop.example.com" };
const OPENID = "oKindsSponsor0000000000000001";
// 2026-12-01 10:00 Shanghai
const t0 = new Date("2026-12-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
let database: Database;
let sponsor: number;

beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 15_800, category: "tea", stock: 5 });
  const run = <T,>(now: Date, fn: Parameters<typeof inTx<T>>[2]) => inTx(db, { config, now }, fn);
  sponsor = (await run(t0, (ctx) => registerMember(ctx, { username: "sponsor" }))).id;
  await db.externalAccount.create({ data: { memberId: sponsor, platform: "wechat", appId: WX.WECHAT_APPID, subject: OPENID, createdAt: t0 } });
  const buyer = (await run(t0, (ctx) => registerMember(ctx, { username: "buyer", sponsorId: sponsor }))).id;
  const o = await run(t0, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }] }));
  await run(t0, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  await run(at(1), (ctx) => shipOrder(ctx, o.id));
  await run(at(2), (ctx) => confirmDelivery(ctx, o.id));
  // Delivered Dec 3, completed 7 days later (Dec 10), settled at the next midnight (Dec 11 00:00 Shanghai).
  await runDueTransitions(db, at(10), { config, clock: "due" });
});
afterAll(() => database.close());

const commissionNotes = () => database.prisma.notification.findMany({ where: { memberId: sponsor, kind: { startsWith: "commission" } }, orderBy: { id: "asc" } });

describe("a commission's notices", () => {
  it("pending and settled have different kinds; only the settled one has a WeChat template", async () => {
    const notes = await commissionNotes();
    // 158.00 × 10% = 15.80 to the sponsor: pending at payment, settled after completion.
    expect(notes.map((n) => [n.key, n.title])).toEqual([
      ["commission.pending", "佣金待结算"],
      ["commission.settled", "佣金已结算"],
    ]);
    const [pending, settled] = notes;
    expect(pending!.kind).not.toBe(settled!.kind);
    expect(Object.keys(WECHAT_TEMPLATE_SETTINGS)).not.toContain(pending!.kind);
    expect(settled!.kind).toBe("commission");
  });

  it("with the commission template configured, only the settled notice is queued for WeChat", async () => {
    const db = database.prisma;
    // As the engine's transaction does after writing each notification, with this deployment's settings.
    for (const n of await commissionNotes()) await db.$transaction((tx) => enqueueChannelMessages(tx, n, "Asia/Shanghai", WX));
    const settled = (await commissionNotes()).find((n) => n.key === "commission.settled")!;
    const queued = await db.channelMessage.findMany();
    expect(queued.map((m) => [m.notificationId, m.kind, m.recipient, (m.payload as { template_id: string }).template_id])).toEqual([
      [settled.id, "commission", OPENID, "TPL_COMMISSION_SETTLED"],
    ]);
  });
});
