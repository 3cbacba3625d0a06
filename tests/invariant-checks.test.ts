// The CHECK constraints of migrations 20261210070000_invariant_checks and 20261212010000_refund_request_open_key_check
// (PGlite; FM_TEST_DB=postgres: PostgreSQL).
// Each refused row breaks only the constraint named; each accepted row is an edge a legitimate write reaches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { freshDatabase } from "./helpers/db";

let database: Database;
const run = (sql: string) => database.prisma.$executeRawUnsafe(sql);
const refused = (sql: string, constraint: string) => expect(run(sql)).rejects.toThrow(`"${constraint}"`);

beforeAll(async () => {
  database = await freshDatabase();
  await run(`INSERT INTO "Member" (id, username, "referralCode", "createdAt") VALUES (1, 'm1', 'R1', now()), (2, 'm2', 'R2', now())`);
  await run(`INSERT INTO "Category" (slug, name) VALUES ('c1', 'tea')`);
  await run(`INSERT INTO "Product" (id, name, category) VALUES (1, 'tea', 'c1')`);
  await run(`INSERT INTO "Sku" (id, "productId", code, "priceFen", stock) VALUES (1, 1, 'S1', 500, 10)`);
  // Order 1: 9 元 of goods, all paid by the provider; order 2: the same goods, paid wholly with credit.
  await run(`INSERT INTO "Order" (id, "orderNo", "memberId", "goodsFen", "payableFen", "createdAt") VALUES (1, 'O1', 1, 900, 900, now())`);
  await run(`INSERT INTO "Order" (id, "orderNo", "memberId", "goodsFen", "creditUsedFen", "payableFen", "createdAt") VALUES (2, 'O2', 1, 900, 900, 0, now())`);
});
afterAll(async () => {
  await database?.close();
});

const line = (id: number, qty: number, unit: number, discount: number, goods: number) =>
  `INSERT INTO "OrderLine" (id, "orderId", "productId", "skuId", qty, "unitPriceFen", "discountFen", "goodsFen", category) VALUES (${id}, 1, 1, 1, ${qty}, ${unit}, ${discount}, ${goods}, 'c1')`;

describe("OrderLine", () => {
  it("goods = qty × unit price − discount", async () => {
    await run(line(1, 2, 500, 100, 900)); // 2 × 500 − 100
    await refused(line(2, 2, 500, 100, 1000), "OrderLine_goods_check");
    await refused(`UPDATE "OrderLine" SET "goodsFen" = 901 WHERE id = 1`, "OrderLine_goods_check");
    // createOrder bounds goods and discount by int4, not qty × price: 3 × 1e9 − 1e9 = 2e9 is a line, not an overflow.
    await run(line(3, 3, 1_000_000_000, 1_000_000_000, 2_000_000_000));
  });
  it("unit price and discount are never negative", async () => {
    await refused(line(4, 1, -100, 0, -100), "OrderLine_unitPrice_check"); // 1 × −100 − 0: the sum holds
    await refused(line(5, 1, 100, -50, 150), "OrderLine_discount_check"); // 1 × 100 + 50: the sum holds
  });
});

const order = (id: number, goods: number, shipping: number, credit: number, payable: number) =>
  `INSERT INTO "Order" (id, "orderNo", "memberId", "goodsFen", "shippingFen", "creditUsedFen", "payableFen", "createdAt") VALUES (${id}, 'O${id}', 1, ${goods}, ${shipping}, ${credit}, ${payable}, now())`;

describe("Order", () => {
  it("payable = goods + shipping − credit", async () => {
    await run(order(10, 900, 100, 300, 700));
    await refused(order(11, 900, 0, 100, 900), "Order_payable_check");
    await refused(`UPDATE "Order" SET "creditUsedFen" = 100 WHERE id = 1`, "Order_payable_check");
    // 2e9 + 2e8 passes int4 on the way: still 2.1e9, not an overflow.
    await run(order(12, 2_000_000_000, 200_000_000, 100_000_000, 2_100_000_000));
  });
  it("credit covers at most the goods", async () => {
    await run(order(13, 900, 0, 900, 0));
    await refused(order(14, 900, 200, 1000, 100), "Order_creditUsed_check"); // 900 + 200 − 1000: the sum holds
  });
});

describe("Payment", () => {
  it("an amount of 0 (an order paid with credit) but never below", async () => {
    await run(`INSERT INTO "Payment" ("orderId", provider, "providerTxnId", "amountFen", currency, "paidAt") VALUES (2, 'credit', 'credit-2', 0, 'CNY', now())`);
    await refused(`INSERT INTO "Payment" ("orderId", provider, "providerTxnId", "amountFen", currency, "paidAt") VALUES (1, 'mock', 't-1', -1, 'CNY', now())`, "Payment_amount_check");
  });
});

describe("TeamBonus", () => {
  it("a row pays something", async () => {
    await run(`INSERT INTO "TeamBonus" ("memberId", month, "baseFen", "amountFen", "createdAt") VALUES (1, '2026-03', 50, 1, now())`);
    await refused(`INSERT INTO "TeamBonus" ("memberId", month, "baseFen", "amountFen", "createdAt") VALUES (1, '2026-04', 0, 0, now())`, "TeamBonus_amount_check");
  });
});

describe("Withdrawal", () => {
  const withdrawal = (approvals: number) =>
    `INSERT INTO "Withdrawal" ("memberId", "amountFen", status, "approvalsNeeded", "createdAt") VALUES (1, 10000, 'PENDING_REVIEW', ${approvals}, now())`;
  it("needs 0, 1 or 2 approvers", async () => {
    await run(withdrawal(0));
    await run(withdrawal(2));
    await refused(withdrawal(3), "Withdrawal_approvalsNeeded_check");
    await refused(withdrawal(-1), "Withdrawal_approvalsNeeded_check");
  });
});

describe("RefundRequest", () => {
  const request = (id: number, status: string, openOrderId: number | null, orderId = 1) =>
    `INSERT INTO "RefundRequest" (id, "orderId", "memberId", reason, status, "orderStatus", "createdAt", "openOrderId") VALUES (${id}, ${orderId}, 1, 'quality', '${status}', 'SHIPPED', now(), ${openOrderId ?? "NULL"})`;
  it("the open marker is its own order's, only while PENDING", async () => {
    await run(request(1, "PENDING", 1));
    await run(request(2, "REJECTED", null));
    await refused(request(3, "APPROVED", 2), "RefundRequest_openOrderId_check");
    await refused(request(4, "PENDING", 2), "RefundRequest_openOrderId_check");
    await refused(`UPDATE "RefundRequest" SET status = 'REJECTED' WHERE id = 1`, "RefundRequest_openOrderId_check");
    await run(`UPDATE "RefundRequest" SET status = 'REJECTED', "openOrderId" = NULL WHERE id = 1`);
  });
  it("an open (PENDING) request holds its order's key", async () => {
    await refused(request(5, "PENDING", null, 2), "RefundRequest_pending_openOrderId_check");
    await run(request(6, "PENDING", 2, 2));
    await refused(`UPDATE "RefundRequest" SET "openOrderId" = NULL WHERE id = 6`, "RefundRequest_pending_openOrderId_check");
    await run(request(7, "REJECTED", null, 2));
    // Reopening a decided request without taking the key back.
    await refused(`UPDATE "RefundRequest" SET status = 'PENDING' WHERE id = 7`, "RefundRequest_pending_openOrderId_check");
    await run(`UPDATE "RefundRequest" SET status = 'CLOSED', "openOrderId" = NULL WHERE id = 6`);
  });
});

describe("Member", () => {
  it("its counters never go below 0", async () => {
    await refused(`UPDATE "Member" SET "paidUnrefundedCount" = "paidUnrefundedCount" - 1 WHERE id = 2`, "Member_paidUnrefundedCount_check");
    await refused(`UPDATE "Member" SET "qualifiedDirects" = "qualifiedDirects" - 1 WHERE id = 2`, "Member_qualifiedDirects_check");
  });
});

describe("CartItem", () => {
  it("holds at least one of its SKU", async () => {
    await run(`INSERT INTO "CartItem" ("memberId", "skuId", qty, "updatedAt") VALUES (1, 1, 1, now())`);
    await refused(`INSERT INTO "CartItem" ("memberId", "skuId", qty, "updatedAt") VALUES (2, 1, 0, now())`, "CartItem_qty_check");
    await refused(`UPDATE "CartItem" SET qty = 0 WHERE "memberId" = 1`, "CartItem_qty_check");
  });
});
