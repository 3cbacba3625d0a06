// 推三返一's hook (SPEC §5): a paid order that opens a task for its buyer tells them at once, in 消息中心 — the order,
// the n friends to invite, the deadline (paid time + windowDays, in the rules' time zone as the shop shows instants)
// and the cashback (min(floor(goods × percent / 100), cap)). No task, no notice: an order below the minimum anchor, the
// campaign switched off. A simulation writes no notification, as for every notice. A task opened under an experiment
// variant states that variant's terms. The notice rides in the payment's gathered side rows: no statement of its own.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient, postgresAdapter, type Database, type Db } from "../../server/db";
import { StrictPGlite } from "../../server/db/pglite-adapter";
import { inTx } from "../../server/context";
import { defaultConfig, parseConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import { startExperimentTx, variantFor } from "../../server/experiments";
import { DAY } from "../../server/clock/time";
import { noticeText } from "../../lib/i18n/notices";
import { createT } from "../../lib/i18n/core";
import { MESSAGES } from "../../lib/i18n/messages";
import { freshDatabase, freshPglite, freshPostgres, usingPostgres } from "../helpers/db";

const OWNER = { staffId: 1, requestId: "req-rebate-opened" };
const en = createT("en", MESSAGES.en);
// 2026-12-01 10:00 in Shanghai (the default time zone): with the default 30 days, the deadline is 2026-12-31 10:00.
const t0 = new Date("2026-12-01T02:00:00Z");
const DEADLINE = "2026-12-31 10:00";
// One tea of 158.00 元: at 100 % the cashback is ¥158.00.
const PRICE_FEN = 15_800;

let database: Database;
const db = () => database.prisma;

beforeEach(async () => {
  database = await freshDatabase();
  await db().category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db(), { sku: "tea", name: "龙井", priceFen: PRICE_FEN, category: "tea", stock: 50 });
});
afterEach(() => database.close());

/** The rules in force: the defaults, or a version saved a day before t0 with the given changes (as the back office saves them). */
const rules = async (config: Record<string, unknown>) =>
  Object.keys(config).length === 0
    ? void (await db().mallConfig.create({ data: { data: defaultConfig as object } }))
    : void (await saveRules(db(), OWNER, { config, reason: "推三返一" }, new Date(t0.getTime() - DAY)));
const member = async (username: string) => (await inTx(db(), { now: t0 }, (ctx) => registerMember(ctx, { username }))).id;
async function paidOrder(memberId: number, opts: { simulation?: boolean } = {}) {
  const o = await inTx(db(), { now: t0 }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  const r = await inTx(db(), { now: t0, simulation: opts.simulation }, (ctx) =>
    confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }),
  );
  expect(r).toEqual({ outcome: "paid" });
  return o;
}
const notices = (memberId: number) =>
  db().notification.findMany({ where: { memberId }, orderBy: { id: "asc" }, select: { kind: true, key: true, title: true, body: true, params: true } });
const tasks = (memberId: number) => db().rebateTask.count({ where: { memberId } });

describe("推三返一已开启: the buyer is told when their paid order opens a task", () => {
  it("a first paid order on the default rules: one notice with the order, n = 3, the deadline and ¥158.00", async () => {
    await rules({});
    const alice = await member("alice");
    const o = await paidOrder(alice);
    expect(await tasks(alice)).toBe(1);
    const opened = (await notices(alice)).filter((n) => n.key === "rebate.opened");
    expect(opened).toEqual([
      {
        kind: "rebate",
        key: "rebate.opened",
        title: "推三返一已开启",
        body: `订单 ${o.orderNo} 已开启推三返一：${DEADLINE} 前邀请 3 位好友首单付款，你和好友的订单都完成后，可返现 ¥158.00`,
        params: { orderNo: o.orderNo, n: 3, deadline: DEADLINE, cashbackFen: 15_800 },
      },
    ]);
    // Beside 支付成功, nothing else.
    expect((await notices(alice)).map((n) => n.key).sort()).toEqual(["order.paid", "rebate.opened"]);
    // Read in English, from the same key and parameters.
    expect(noticeText(en, { ...opened[0]!, title: "", body: "" })).toEqual({
      title: "Refer 3, get it back: started",
      body: `Order ${o.orderNo} started a Refer 3, get it back task: once 3 friends have paid a first order by ${DEADLINE}, and your and their orders are completed, you get ¥158.00 back`,
    });
  });

  it("the rules' own terms: n = 2, 50 % capped at ¥50.00, 7 days, in UTC", async () => {
    await rules({ timeZone: "UTC", rebate: { n: 2, percent: 50, capFen: 5_000, windowDays: 7 } });
    const alice = await member("alice");
    const o = await paidOrder(alice);
    // 158.00 × 50 % = 79.00, capped at 50.00; paid 2026-12-01 02:00 UTC + 7 days.
    const [opened] = (await notices(alice)).filter((n) => n.key === "rebate.opened");
    expect(opened?.body).toBe(`订单 ${o.orderNo} 已开启推三返一：2026-12-08 02:00 前邀请 2 位好友首单付款，你和好友的订单都完成后，可返现 ¥50.00`);
  });

  it("an order below the minimum anchor opens no task and says nothing of one", async () => {
    await rules({ rebate: { minAnchorFen: 15_801 } });
    const alice = await member("alice");
    await paidOrder(alice);
    expect(await tasks(alice)).toBe(0);
    expect((await notices(alice)).map((n) => n.key)).toEqual(["order.paid"]);
  });

  it("the campaign switched off: no task, no notice", async () => {
    await rules({ rebate: { enabled: false } });
    const alice = await member("alice");
    await paidOrder(alice);
    expect(await tasks(alice)).toBe(0);
    expect((await notices(alice)).map((n) => n.key)).toEqual(["order.paid"]);
  });

  it("a simulation opens the task and writes no notification", async () => {
    await rules({});
    const alice = await member("alice");
    await paidOrder(alice, { simulation: true });
    expect(await tasks(alice)).toBe(1);
    expect(await notices(alice)).toEqual([]);
  });

  it("a task opened under an experiment's variant B states B's n and cashback", async () => {
    await rules({});
    const exp = await startExperimentTx(db(), OWNER, { name: "邀五返半", hypothesis: "", variantPercent: 50, variantRebate: { n: 5, percent: 50 } }, t0);
    const { salt } = await db().experiment.findUniqueOrThrow({ where: { id: exp.id } });
    const groups: Record<"A" | "B", number[]> = { A: [], B: [] };
    for (let i = 0; groups.A.length < 1 || groups.B.length < 1; i++) {
      const m = await member(`m${i}`);
      groups[variantFor(salt, m, 50)].push(m);
    }
    const a = groups.A[0]!;
    const b = groups.B[0]!;
    const oa = await paidOrder(a);
    const ob = await paidOrder(b);
    const body = async (memberId: number) => (await notices(memberId)).filter((n) => n.key === "rebate.opened").map((n) => n.body);
    // A: the rules in force (3 friends, 100 %); B: 5 friends, 158.00 × 50 % = 79.00. Both within the default 30 days.
    expect(await body(a)).toEqual([`订单 ${oa.orderNo} 已开启推三返一：${DEADLINE} 前邀请 3 位好友首单付款，你和好友的订单都完成后，可返现 ¥158.00`]);
    expect(await body(b)).toEqual([`订单 ${ob.orderNo} 已开启推三返一：${DEADLINE} 前邀请 5 位好友首单付款，你和好友的订单都完成后，可返现 ¥79.00`]);
  });
});

describe("the notice costs the payment no statement", () => {
  let opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of opened.reverse()) await o.close();
    opened = [];
  });

  /** A fresh database and a client on it logging every SQL statement it sends. */
  async function loggingDatabase() {
    const fresh = usingPostgres() ? await freshPostgres() : ((await freshPglite()) as Database & { pglite: PGlite });
    const adapter = "url" in fresh ? postgresAdapter({ connectionString: fresh.url, max: 2 }) : new StrictPGlite(fresh.pglite);
    const prisma = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
    const log: string[] = [];
    prisma.$on("query", (e) => log.push(e.query));
    opened.push(fresh, { close: () => prisma.$disconnect() });
    return { db: prisma as Db, log };
  }

  /** The statements of a buyer's first payment on the given rules. */
  async function paymentStatements(config: MallConfig) {
    const { db: d, log } = await loggingDatabase();
    await d.mallConfig.create({ data: { data: config as object } });
    await d.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(d, { sku: "tea", name: "龙井", priceFen: PRICE_FEN, category: "tea", stock: 50 });
    const buyer = (await inTx(d, { now: t0 }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
    const o = await inTx(d, { now: t0 }, (ctx) => createOrder(ctx, { memberId: buyer, lines: [{ sku: "tea", qty: 1 }] }));
    const before = log.length;
    await inTx(d, { now: t0 }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    const statements = log.slice(before);
    const keys = (await d.notification.findMany({ where: { memberId: buyer }, orderBy: { id: "asc" } })).map((n) => n.key);
    return { statements, keys };
  }

  it("opening the task is its one INSERT; its notice goes with 支付成功 in the one side-rows statement", async () => {
    const on = await paymentStatements(defaultConfig);
    const off = await paymentStatements(parseConfig({ rebate: { enabled: false } }));
    expect(on.keys.sort()).toEqual(["order.paid", "rebate.opened"]);
    expect(off.keys).toEqual(["order.paid"]);
    // The task's statement (its row and its scheduled transitions) is all a task adds to the payment.
    const taskInserts = (s: string[]) => s.filter((q) => q.includes('INSERT INTO "RebateTask"')).length;
    expect(taskInserts(on.statements)).toBe(1);
    expect(taskInserts(off.statements)).toBe(0);
    expect(on.statements.length).toBe(off.statements.length + 1);
    // Both notifications in one statement.
    const noticeInserts = (s: string[]) => s.filter((q) => q.includes('INSERT INTO "Notification"')).length;
    expect(noticeInserts(on.statements)).toBe(1);
    expect(noticeInserts(off.statements)).toBe(1);
  });
});
