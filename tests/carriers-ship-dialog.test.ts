// The ship dialog: a wrong tracking number is refused in the viewer's language (the schema's message is a key, the
// API words it as other refused inputs), and once the order is shipped the focus goes to what replaced the 发货 button
// (the order page's heading with the new status, the list's 详情), not to <body>. No DOM here: the focus is driven
// through the function the dialog's opener runs, on fakes, and the order page's markup is rendered.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ZodError } from "zod";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { shipFormInput, shipWithTrackingInput } from "@/server/orders/shipping-schema";
import { inputErrorMessage } from "@/server/api/input-errors";
import { AFTER_SHIP_ATTR, focusAfterShip, shipErrorText } from "@/app/merchant/orders/ShipDialog";
import { OrderDetailClient } from "@/app/merchant/orders/[id]/OrderDetailClient";
import type { Database } from "@/server/db";
import { inTx } from "@/server/context";
import { parseConfig } from "@/server/config/schema";
import { registerMember } from "@/server/referral";
import { handlePaymentNotification } from "@/server/payments";
import { SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, signSandbox } from "@/server/payments/sandbox";
import { createSimpleProduct } from "@/server/catalog/admin";
import { freshPglite } from "./helpers/db";
import { callerFor, signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);

function refusal(input: unknown): ZodError {
  const r = shipWithTrackingInput.safeParse(input);
  expect(r.success).toBe(false);
  return r.error!;
}

describe("a wrong tracking number", () => {
  it("is refused by the form with a message key, worded beside the field in the page's language", () => {
    const r = shipFormInput.safeParse({ carrier: "SF", trackingNo: "SF 12" });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual(["mo.ship.trackingNoInvalid"]);
    const errors = { trackingNo: { type: "invalid_format", message: r.error!.issues[0]!.message } };
    expect(shipErrorText(en, errors)).toEqual({ carrier: undefined, trackingNo: "The tracking number must be 6–40 letters, digits or hyphens" });
    expect(shipErrorText(zh, errors)).toEqual({ carrier: undefined, trackingNo: "运单号为 6-40 位字母、数字或横线" });
    expect(shipErrorText(en, { carrier: { type: "invalid_value", message: "x" } }).carrier).toBe("Choose a carrier");
  });

  it("is refused by the API in the caller's language, by the field's name and format", () => {
    const error = refusal({ id: 1, carrier: "SF", trackingNo: "12" });
    expect(inputErrorMessage(error, "en")).toBe("Invalid input: tracking number must be 6–40 letters, digits or hyphens");
    expect(inputErrorMessage(error, "zh-CN")).toBe("输入有误：运单号 应为 6-40 位字母、数字或横线");
  });
});

describe("the focus after a ship", () => {
  it("goes to the order's marked element (its 发货 opener is gone with the PAID state)", () => {
    const target = { focus: vi.fn() };
    const root = { querySelector: vi.fn(() => target) };
    expect(focusAfterShip(root as never, 42)).toBe(true);
    expect(root.querySelector).toHaveBeenCalledWith('[data-after-ship="42"]');
    expect(target.focus).toHaveBeenCalledTimes(1);
    expect(focusAfterShip({ querySelector: () => null } as never, 42)).toBe(false);
  });

  it("goes to the next order's 发货 when the shipped order left the list (a list of orders to ship)", () => {
    const next = { focus: vi.fn() };
    const root = { querySelector: vi.fn((selector: string) => (selector === "[data-ship-opener]" ? next : null)) };
    expect(focusAfterShip(root as never, 42)).toBe(true);
    expect(next.focus).toHaveBeenCalledTimes(1);
  });

  describe("on the order page", () => {
    let database: Database;
    beforeAll(async () => {
      database = await freshPglite();
    });
    afterAll(() => database.close());

    it("is the heading with the order's status, focusable from script, once the order is shipped", async () => {
      await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
      await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 });
      const buyer = (await inTx(database.prisma, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "buyer" }))).id;
      const api = callerFor(database.prisma, buyer);
      const addr = await api.address.add({ name: "张三", phone: "13912345678", region: "浙江省 杭州市 西湖区", detail: "文三路 100 号" });
      const placed = await api.order.place({ source: { kind: "buyNow", sku: "tea", qty: 1 }, addressId: addr.id, useCredit: false });
      const body = JSON.stringify({ reference: placed.reference, providerTxnId: `SBX-${placed.orderId}`, amountFen: placed.payableFen, currency: "CNY", status: "SUCCESS" });
      const ts = String(Date.now());
      await handlePaymentNotification(database.prisma, "sandbox", body, new Headers({ [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts }));
      const operator = await signedInStaff(database.prisma, "operator");
      await operator.caller.merchantOrder.shipWithTracking({ id: placed.orderId, carrier: "SF", trackingNo: "SF1234567890" });
      const detail = await operator.caller.merchantOrder.detail({ id: placed.orderId });
      const page = createElement(OrderDetailClient, { id: placed.orderId, canWrite: true, canDecide: true });
      const { html } = renderInProviders(page, "en", (trpc, qc) => qc.setQueryData(trpc.merchantOrder.detail.queryKey({ id: placed.orderId }), detail as never));
      const heading = /<h1[^>]*>/.exec(html)![0];
      expect(heading).toContain(`${AFTER_SHIP_ATTR}="${placed.orderId}"`);
      expect(heading).toContain('tabindex="-1"');
      // The heading says the new status; the 发货 button is gone.
      expect(html).toMatch(/<h1[^>]*>.*data-status="SHIPPED".*<\/h1>/s);
      expect(html).not.toMatch(/>Ship<\/button>/);
    });
  });
});
