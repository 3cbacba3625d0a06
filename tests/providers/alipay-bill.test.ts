// Daily reconciliation against Alipay's trade bill, fetched from a local gateway that follows the open
// platform's protocol: alipay.data.dataservice.bill.downloadurl.query (RSA2 both ways) names a download
// URL serving a zip of GBK CSV files (业务明细 + 汇总). A matching day, differences both ways and in
// amount, and a day without bill.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { createOrder } from "../../server/orders";
import { handlePaymentNotification, refundOrderThroughProvider, registerProvider, startPayment } from "../../server/payments";
import { AlipayProvider } from "../../server/payments/providers/alipay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { parseAlipayTradeBill } from "../../server/payments/bills";
import { reconcileBill, reconcileYesterday } from "../../server/payments/reconcile";
import { freshDatabase } from "../helpers/db";
import { teaShopWithAlice } from "../helpers/shop";
import { AlipayTestServer } from "../helpers/alipay-server";

const config = parseConfig({});
let database: Database;
let ali: AlipayTestServer;
let provider: AlipayProvider;
let memberId: number;
const DAY = "2026-12-01";
const PAID_AT = new Date("2026-12-01T02:00:00.000Z"); // 10:00 Shanghai
const NEXT_MORNING = new Date("2026-12-02T03:00:00.000Z"); // 11:00 Shanghai, after bills are ready

beforeAll(async () => {
  ali = await new AlipayTestServer().start();
  ali.clock = () => PAID_AT;
  provider = new AlipayProvider(ali.config());
  registerProvider(provider);
  database = await freshDatabase();
  const db = database.prisma;
  memberId = await teaShopWithAlice(db, config, 10_005);
  vi.stubEnv("PAYMENT_PROVIDER", "alipay");
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  registerProvider(new SandboxProvider());
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await ali.stop();
  await database.close();
});

/** An order paid through Alipay's signed notice; our payment recorded at PAID_AT. */
async function paidOrder() {
  const db = database.prisma;
  const order = await inTx(db, { config, now: PAID_AT }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
  const { reference, cashierUrl } = await startPayment(db, { orderId: order.id, memberId, client: { userAgent: "Mozilla/5.0 (Linux; Android 14) Mobile" }, baseUrl: "http://127.0.0.1:3100", now: PAID_AT });
  expect(await ali.openCashier(cashierUrl!)).toBe(200);
  const notice = ali.pay(reference);
  expect((await handlePaymentNotification(db, "alipay", notice.body, new Headers(notice.headers), PAID_AT, PAID_AT)).outcome).toBe("paid");
  return { order, reference, txn: ali.trades.get(reference)!.trade_no };
}

describe("the Alipay bill format", () => {
  it("reads the detail rows between the #--- lines: payments at 订单金额, refunds at the negative 商家实收", () => {
    const csv = [
      "#支付宝业务明细查询",
      "#-----------------------------------------业务明细列表----------------------------------------",
      "支付宝交易号,商户订单号,业务类型,订单金额（元）,商家实收（元）,退款批次号/请求号",
      "2026120122001\t,FM7-a\t,交易\t,100.05\t,100.05\t,\t",
      "2026120122002\t,FM8-b\t,交易\t,30.00\t,30.00\t,\t",
      "2026120122002\t,FM8-b\t,退款\t,30.00\t,-12.50\t,R8\t",
      "#-----------------------------------------业务明细列表结束------------------------------------",
      "#交易合计：2笔",
    ].join("\r\n");
    expect(parseAlipayTradeBill(csv)).toEqual([
      { kind: "payment", reference: "FM7-a", providerTxnId: "2026120122001", amountFen: 10_005 },
      { kind: "payment", reference: "FM8-b", providerTxnId: "2026120122002", amountFen: 3_000 },
      { kind: "refund", reference: "FM8-b", providerTxnId: "2026120122002", refundNo: "R8", amountFen: 1_250 },
    ]);
    expect(() => parseAlipayTradeBill("#支付宝业务汇总查询\r\n门店编号,门店名称")).toThrow("Alipay bill without its detail header");
  });
});

describe("Alipay daily reconciliation", () => {
  it("downloads the day's zip (GBK inside) and finds it matching our payments and refunds", async () => {
    const a = await paidOrder();
    await paidOrder();
    await refundOrderThroughProvider(database.prisma, a.order.id, PAID_AT);
    const call = await database.prisma.providerCall.findFirstOrThrow({ where: { orderId: a.order.id, kind: "REFUND" } });
    expect(call.status).toBe("DONE");
    await database.prisma.providerCall.update({ where: { id: call.id }, data: { doneAt: PAID_AT } });

    const lines = await provider.downloadBill(DAY);
    expect(lines).toEqual([
      { kind: "payment", reference: a.reference, providerTxnId: a.txn, amountFen: 10_005 },
      expect.objectContaining({ kind: "payment", amountFen: 10_005 }),
      { kind: "refund", reference: a.reference, providerTxnId: a.txn, refundNo: call.idempotencyNo, amountFen: 10_005 },
    ]);
    const run = await reconcileBill(database.prisma, "alipay", DAY, lines, NEXT_MORNING);
    expect(run).toMatchObject({ status: "MATCHED", billCount: 3, billTotalFen: 10_005, ourCount: 3, ourTotalFen: 10_005, differences: [] });
  });

  it("reports a bill line we have no record of, a different amount, and our payment missing from the bill", async () => {
    const kept = await paidOrder();
    const dropped = await paidOrder();
    ali.editBill = (rows) => [
      ...rows.filter((r) => r.trade_no !== dropped.txn).map((r) => (r.trade_no === kept.txn && r.type === "交易" ? { ...r, total_amount: "100.00", received: "100.00" } : r)),
      { at: PAID_AT, type: "交易", trade_no: "2026120199999", out_trade_no: "FOREIGN-1", total_amount: "9.99", received: "9.99", out_request_no: "" },
    ];
    await database.prisma.reconciliationRun.deleteMany({});
    try {
      const runs = await reconcileYesterday(database.prisma, [provider], NEXT_MORNING);
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ provider: "alipay", billDate: DAY, status: "DIFFERENCES" });
      expect(runs[0].differences).toEqual(
        expect.arrayContaining([
          { kind: "payment", issue: "amount_mismatch", reference: kept.reference, providerTxnId: kept.txn, refundNo: null, providerFen: 10_000, ourFen: 10_005 },
          { kind: "payment", issue: "missing_here", reference: "FOREIGN-1", providerTxnId: "2026120199999", refundNo: null, providerFen: 999, ourFen: null },
          { kind: "payment", issue: "missing_at_provider", reference: null, providerTxnId: dropped.txn, refundNo: null, providerFen: null, ourFen: 10_005 },
        ]),
      );
      expect(runs[0].differences).toHaveLength(3);
    } finally {
      ali.editBill = undefined;
    }
  });

  it("a day without a bill (isp.bill_not_exist) is an empty bill; a request the gateway cannot verify is an error", async () => {
    expect(await provider.downloadBill("2026-11-20")).toEqual([]);
    const stranger = new AlipayProvider({ ...ali.config(), privateKey: new AlipayTestServer().app.privateKey!.export({ type: "pkcs8", format: "der" }).toString("base64") });
    await expect(stranger.downloadBill(DAY)).rejects.toThrow(/alipay\.data\.dataservice\.bill\.downloadurl\.query 40002/);
  });
});
