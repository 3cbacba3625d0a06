// Alipay end to end against a local gateway that speaks the open-platform protocol (RSA2 both ways,
// its own keys), through alipay-sdk's signing and verification and our notify route:
// wap pay → notices (duplicated, late, forged, tampered) → query fallback → refund + notice → transfer.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { cancelUnpaidOrder, createOrder } from "../../server/orders";
import { reconcileOpenPayments, refundOrderThroughProvider, registerProvider, startPayment } from "../../server/payments";
import { performDueProviderCalls } from "../../server/payments/calls";
import { AlipayProvider, fenToYuan, yuanToFen } from "../../server/payments/providers/alipay";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { executePayout, requestWithdrawal } from "../../server/wallet/withdrawals";
import { payoutFailure } from "../../server/wallet/view";
import { createSimpleProduct } from "../../server/catalog/admin";
import { productionEnvProblems } from "../../server/env";
import { freshDatabase } from "../helpers/db";
import { AlipayTestServer, type Notice } from "../helpers/alipay-server";
import { nextTestIdNumber } from "../helpers/id-numbers";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
const { POST } = await import("../../app/api/payments/[provider]/notify/route");

const config = parseConfig({});
let database: Database;
let ali: AlipayTestServer;
let memberId: number;

beforeAll(async () => {
  ali = await new AlipayTestServer().start();
  registerProvider(new AlipayProvider(ali.config()));
  database = await freshDatabase();
  holder.db = database.prisma;
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 10_005, category: "tea", stock: 50 });
  memberId = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
  vi.stubEnv("PAYMENT_PROVIDER", "alipay");
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await ali.stop();
  await database.close();
});

async function newOrder() {
  return inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
}

async function deliver(n: Notice) {
  const res = await POST(new Request("http://127.0.0.1:3100/api/payments/alipay/notify", { method: "POST", body: n.body, headers: n.headers }), { params: Promise.resolve({ provider: "alipay" }) });
  return { status: res.status, text: await res.text() };
}

const orderStatus = async (id: number) => (await database.prisma.order.findUniqueOrThrow({ where: { id } })).status;

describe("Alipay mobile-web pay", () => {
  it("amounts cross the 元 edge exactly", () => {
    expect(fenToYuan(10_005)).toBe("100.05");
    expect(fenToYuan(7)).toBe("0.07");
    expect(yuanToFen("100.05")).toBe(10_005);
    expect(yuanToFen("3.5")).toBe(350);
    expect(() => yuanToFen("1e3")).toThrow();
  });

  it("sends the shopper to a gateway URL signed with the app key; forged and tampered notices are refused, the real one pays once", async () => {
    const order = await newOrder();
    const { reference, cashierUrl } = await startPayment(database.prisma, { orderId: order.id, memberId, client: { userAgent: "Mozilla/5.0 Safari" }, baseUrl: "http://127.0.0.1:3100" });
    expect(cashierUrl.startsWith(`${ali.baseUrl}/gateway.do?`)).toBe(true);
    expect(await ali.openCashier(cashierUrl)).toBe(200);
    expect(ali.cashierOpened.has(reference)).toBe(true);
    expect(ali.trades.get(reference)).toMatchObject({ total_amount: "100.05", notify_url: "http://127.0.0.1:3100/api/payments/alipay/notify" });
    // A cashier URL whose amount was edited in the browser is refused by the gateway (signature).
    expect(await ali.openCashier(cashierUrl.replace(encodeURIComponent('"100.05"'), encodeURIComponent('"0.01"')))).toBe(200);
    expect(ali.rejected).toContain("alipay.trade.wap.pay");

    const real = ali.pay(reference);
    const t = ali.trades.get(reference)!;
    const fields = { notify_type: "trade_status_sync", trade_no: t.trade_no, out_trade_no: reference, trade_status: "TRADE_SUCCESS", total_amount: "100.05" };
    const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = ali.notice(fields, { signWith: attacker.privateKey });
    const tampered = { ...real, body: real.body.replace("total_amount=100.05", "total_amount=0.01") };
    const stale = ali.notice(fields, { at: new Date(Date.now() - 3600_000) });
    const otherApp = ali.notice(fields, { appId: "2021000000000000" });
    const unsigned = { ...real, body: real.body.replace(/&?sign=[^&]*/, "") };
    for (const bad of [forged, tampered, stale, otherApp, unsigned]) expect((await deliver(bad)).status).toBe(400);
    expect(await orderStatus(order.id)).toBe("PENDING_PAYMENT");

    for (let i = 0; i < 2; i++) expect(await deliver(real)).toEqual({ status: 200, text: "success" });
    expect(await orderStatus(order.id)).toBe("PAID");
    expect(await database.prisma.payment.findMany({ where: { orderId: order.id } })).toEqual([expect.objectContaining({ provider: "alipay", providerTxnId: t.trade_no, amountFen: 10_005 })]);
  });

  it("a lost notice is made good by alipay.trade.query; the late notice changes nothing", async () => {
    const order = await newOrder();
    const t0 = new Date();
    const { reference, cashierUrl } = await startPayment(database.prisma, { orderId: order.id, memberId, baseUrl: "http://127.0.0.1:3100", now: t0 });
    const later = new Date(t0.getTime() + 6 * 60_000);
    expect(await reconcileOpenPayments(database.prisma, later)).toBe(0); // never opened: Alipay knows no trade
    await ali.openCashier(cashierUrl);
    expect(await reconcileOpenPayments(database.prisma, later)).toBe(0); // waiting for the buyer
    const late = ali.pay(reference);
    expect(await reconcileOpenPayments(database.prisma, later)).toBe(1);
    expect(await orderStatus(order.id)).toBe("PAID");
    expect((await deliver(late)).status).toBe(200);
    expect(await database.prisma.payment.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("refunds with the trade number; the refund notice is recorded once", async () => {
    const order = await newOrder();
    const { reference, cashierUrl } = await startPayment(database.prisma, { orderId: order.id, memberId, baseUrl: "http://127.0.0.1:3100" });
    await ali.openCashier(cashierUrl);
    expect((await deliver(ali.pay(reference))).status).toBe(200);
    // Alipay pays it back at …:….320 by its clock: its answer says the second, its notice the millisecond.
    const refundedAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 320);
    ali.clock = () => refundedAt;
    await refundOrderThroughProvider(database.prisma, order.id);
    expect(await orderStatus(order.id)).toBe("REFUNDED");
    const call = await database.prisma.providerCall.findFirstOrThrow({ where: { orderId: order.id, kind: "REFUND" } });
    expect(call).toMatchObject({ status: "DONE", doneAt: new Date(refundedAt.getTime() - 320) });
    expect(ali.trades.get(reference)!.refunds.get(call.idempotencyNo)).toBe("100.05");
    const notice = ali.refundNotice(reference, call.idempotencyNo);
    ali.clock = () => new Date();
    for (let i = 0; i < 2; i++) expect((await deliver(notice)).status).toBe(200);
    expect((await database.prisma.providerCall.findUniqueOrThrow({ where: { id: call.id } })).doneAt).toEqual(refundedAt);
    expect(await database.prisma.auditLog.count({ where: { action: "payment.refund_confirmed", target: `order:${order.orderNo}` } })).toBe(1);
    // The same refund number asked again refunds nothing more.
    await new AlipayProvider(ali.config()).refund({ refundNo: call.idempotencyNo, providerTxnId: ali.trades.get(reference)!.trade_no, amountFen: 10_005 });
    expect(ali.trades.get(reference)!.refunds.size).toBe(1);
  });

  it("a verified payment at another amount than the order's is refunded once although notified twice; the order stays unpaid; staff see it", async () => {
    const db = database.prisma;
    const order = await newOrder();
    const { reference, cashierUrl } = await startPayment(db, { orderId: order.id, memberId, baseUrl: "http://127.0.0.1:3100" });
    await ali.openCashier(cashierUrl);
    const trade = ali.trades.get(reference)!;
    trade.total_amount = "100.04"; // Alipay took 100.04 for an order of 100.05
    const notice = ali.pay(reference);
    for (let i = 0; i < 2; i++) expect(await deliver(notice)).toEqual({ status: 200, text: "success" });
    expect(await orderStatus(order.id)).toBe("PENDING_PAYMENT");
    expect(await db.payment.count({ where: { orderId: order.id } })).toBe(0);
    expect([...trade.refunds]).toEqual([[`MISMATCH-${trade.trade_no}`, "100.04"]]);
    expect(await db.auditLog.count({ where: { action: "payment.amount_mismatch_refunded", target: `order:${order.orderNo}` } })).toBe(1);
  });

  it("the cashier expires 2 minutes before the payment deadline of the order's own rules; from then on Alipay takes no money", async () => {
    const db = database.prisma;
    const placed = new Date("2026-12-21T01:50:00.000Z"); // 09:50 in Beijing
    // Placed under rules giving 15 minutes to pay; the rules in force now give 30.
    const rules = parseConfig({ paymentTimeoutMinutes: 15 });
    const version = await db.ruleVersion.create({ data: { version: 1, config: rules as object, reason: "test", createdAt: placed, effectiveAt: placed } });
    const order = await inTx(db, { config: rules, ruleVersionId: version.id, now: placed }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
    const opened = new Date(placed.getTime() + 10 * 60_000);
    ali.clock = () => opened;
    try {
      const { reference, cashierUrl } = await startPayment(db, { orderId: order.id, memberId, baseUrl: "http://127.0.0.1:3100", now: opened });
      expect(await ali.openCashier(cashierUrl)).toBe(200);
      // The deadline 10:05 less 2 minutes: a payment's callback has that long to reach us before the order is cancelled.
      expect(ali.trades.get(reference)!.time_expire).toBe("2026-12-21 10:03:00");
      const deadline = new Date(placed.getTime() + 15 * 60_000);
      // The shopper pays 2 seconds before the deadline, the order not yet cancelled: Alipay refuses.
      ali.clock = () => new Date(deadline.getTime() - 2_000);
      expect(() => ali.pay(reference)).toThrow(/订单已超时/);
      expect(ali.trades.get(reference)!.trade_status).toBe("TRADE_CLOSED");
      expect(await inTx(db, { config, now: deadline }, (ctx) => cancelUnpaidOrder(ctx, order.id, "timeout"))).toBe(true);
    } finally {
      ali.clock = () => new Date();
    }
  });

  it("an answer not signed by Alipay's key is refused by the SDK", async () => {
    const other = new AlipayTestServer();
    const wrong = new AlipayProvider({ ...ali.config(), alipayPublicKey: other.alipay.publicKey.export({ type: "spki", format: "der" }).toString("base64") });
    await expect(wrong.queryPayment([...ali.trades.keys()][0])).rejects.toThrow(/验签失败/);
  });
});

describe("withdrawals to Alipay (alipay.fund.trans.uni.transfer)", () => {
  async function approvedWithdrawal(username: string, account: string | null) {
    const db = database.prisma;
    const m = await inTx(db, { config }, (ctx) => registerMember(ctx, { username }));
    await inTx(db, { config }, (ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
    await inTx(db, { config }, (ctx) => fromMerchant(ctx, `fund-${username}`, "test", "merchant:commission", m.id, "available", 500_000));
    if (account) await db.externalAccount.create({ data: { memberId: m.id, platform: "alipay", appId: ali.appId, subject: account, createdAt: new Date() } });
    return { memberId: m.id, w: await inTx(db, { config }, (ctx) => requestWithdrawal(ctx, m.id, 100_000)) };
  }

  it("transfers to the bound Alipay user with the real name, polls a DEALING transfer, pays once", async () => {
    const db = database.prisma;
    const { memberId: earner, w } = await approvedWithdrawal("earner", "2088102177846880");
    const t0 = new Date();
    expect(await executePayout(db, w.id, "alipay", t0)).toBe("PAYING");
    expect(ali.transfers.get(`WD${w.id}`)).toMatchObject({ identity: "2088102177846880", name: "张三丰", amount: "1000.00", status: "DEALING" });
    ali.completeTransfer(`WD${w.id}`);
    expect(await performDueProviderCalls(db, new Date(t0.getTime() + 3 * 60_000))).toBe(1);
    expect((await db.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAID");
    expect(await walletOf({ tx: db }, earner)).toMatchObject({ withdrawing: 0, withdrawn: 100_000 });
    expect(ali.transfers.size).toBe(1);
  });

  it("an account Alipay does not know fails the payout and returns the money", async () => {
    const db = database.prisma;
    ali.unknownPayees.add("2088000000000404");
    const { memberId: m, w } = await approvedWithdrawal("ghost", "2088000000000404");
    expect(await executePayout(db, w.id, "alipay", new Date())).toBe("FAILED");
    expect((await db.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).failReason).toContain("PAYEE_NOT_EXIST");
    expect(await walletOf({ tx: db }, m)).toMatchObject({ available: 500_000, withdrawing: 0 });
  });
});

describe("the payee of a transfer: a login bound in the wallet, a user id, an open id", () => {
  const provider = () => new AlipayProvider(ali.config());
  const pay = (payoutNo: string, payeeAccount: string, realName = "张三丰") => provider().payout({ payoutNo, amountFen: 10_000, realName, payeeAccount });

  it("a mobile number or an e-mail goes as ALIPAY_LOGON_ID with the real name; 2088 user ids and open ids keep their types", async () => {
    const openId = "074a1CcTG1LelxKe4xQC0zgNdId0nxi95b5lsNpazWYoCo5";
    for (const [no, account] of [["LG1", "13800138000"], ["LG2", "zhang.san@example.com"], ["LG3", "2088102177846880"], ["LG4", openId]] as const) {
      expect(await pay(no, account), no).toEqual({ status: "PROCESSING" });
    }
    expect(ali.transfers.get("LG1")).toMatchObject({ identity: "13800138000", identityType: "ALIPAY_LOGON_ID", name: "张三丰", amount: "100.00" });
    expect(ali.transfers.get("LG2")).toMatchObject({ identity: "zhang.san@example.com", identityType: "ALIPAY_LOGON_ID", name: "张三丰" });
    expect(ali.transfers.get("LG3")).toMatchObject({ identity: "2088102177846880", identityType: "ALIPAY_USER_ID" });
    expect(ali.transfers.get("LG4")).toMatchObject({ identity: openId, identityType: "ALIPAY_OPEN_ID" });
  });

  it("a login without the payee's real name is not sent (Alipay takes a LOGON_ID only with the name)", async () => {
    expect(await pay("LG5", "13800138000", "")).toEqual({ status: "FAILED", reason: "未实名认证，无法转账到支付宝登录账号" });
    expect(ali.transfers.has("LG5")).toBe(false);
  });

  it("a login whose Alipay name is another's fails the payout as a real-name failure", async () => {
    ali.accountNames.set("13900139000", "李四");
    const r = await pay("LG6", "13900139000");
    expect(r).toMatchObject({ status: "FAILED" });
    expect(r.reason).toContain("PAYEE_USER_INFO_ERROR");
    expect(payoutFailure(r.reason ?? null)).toBe("identity");
  });
});

describe("Alipay production settings", () => {
  it("names the missing app id and keys, accepts the key tool's bare base64", () => {
    const base = { NODE_ENV: "production", PAYMENT_PROVIDER: "alipay" };
    const names = productionEnvProblems(base).map((p) => p.split(":")[0]);
    expect(names).toEqual(expect.arrayContaining(["ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY"]));
    const c = ali.config();
    const ok = productionEnvProblems({ ...base, ALIPAY_APP_ID: c.appId, ALIPAY_PRIVATE_KEY: c.privateKey, ALIPAY_PUBLIC_KEY: c.alipayPublicKey }).map((p) => p.split(":")[0]);
    expect(ok.filter((n) => n.startsWith("ALIPAY_"))).toEqual([]);
    const swapped = productionEnvProblems({ ...base, ALIPAY_APP_ID: c.appId, ALIPAY_PRIVATE_KEY: c.alipayPublicKey, ALIPAY_PUBLIC_KEY: c.privateKey }).map((p) => p.split(":")[0]);
    expect(swapped).toEqual(expect.arrayContaining(["ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY"]));
  });
});
