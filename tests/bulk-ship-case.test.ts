// 批量发货 takes an order number as the order search does (server/orders/merchant.ts orderWhere): trimmed and upper-cased,
// so "fm2026…" typed or exported in lower case ships the order the search finds, and the same number twice in two cases
// is one order named twice. From the English console, the template's header follows the UI language
// (mo.bulk.templateHeader) and the importer takes either language's header, English column names as people write them
// ("Order number", "Tracking no.") and the English console's carrier names ("SF Express").
import { describe, expect, it } from "vitest";
import { orderDeskShop } from "./helpers/order-desk";
import { carrierCode } from "../server/orders/shipping";
import { MESSAGES } from "../lib/i18n/messages";

const { shop, paid } = orderDeskShop();

describe("bulk shipping by order numbers in lower case", () => {
  it("ships the orders the search finds by the same lower-case numbers", async () => {
    const [a, b] = [await paid(), await paid()];
    expect(a.orderNo).toMatch(/^FM\d+$/);
    const api = shop.operator.caller;
    const searched = await api.merchantOrder.search({ orderNo: ` ${a.orderNo.toLowerCase()} ` });
    expect(searched.items.map((r) => r.orderNo)).toEqual([a.orderNo]);

    const csv = ["订单号,物流公司,运单号", ` ${a.orderNo.toLowerCase()} ,顺丰,SF100000001`, `${b.orderNo.toLowerCase()},中通,ZT100000002`].join("\n");
    expect(await api.merchantOrder.bulkShip({ csv })).toEqual({ ok: true, shipped: 2, orderNos: [a.orderNo, b.orderNo] });
    const orders = await shop.database.prisma.order.findMany({ where: { id: { in: [a.id, b.id] } }, orderBy: { id: "asc" }, include: { shipment: true } });
    expect(orders.map((o) => [o.status, o.shipment?.carrier, o.shipment?.trackingNo])).toEqual([
      ["SHIPPED", "SF", "SF100000001"],
      ["SHIPPED", "ZTO", "ZT100000002"],
    ]);
  });

  it("one number in upper and lower case is the same order twice: the second row is refused, nothing ships", async () => {
    const c = await paid();
    const csv = ["订单号,物流公司,运单号", `${c.orderNo},SF,SF100000003`, `${c.orderNo.toLowerCase()},SF,SF100000004`].join("\n");
    expect(await shop.operator.caller.merchantOrder.bulkShip({ csv })).toEqual({ ok: false, shipped: 0, errors: [{ line: 3, orderNo: c.orderNo, message: "订单号与第 2 行重复" }] });
    expect((await shop.database.prisma.order.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("PAID");
  });
});

async function shipments(ids: number[]) {
  const orders = await shop.database.prisma.order.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, include: { shipment: true } });
  return orders.map((o) => [o.status, o.shipment?.carrier, o.shipment?.trackingNo]);
}

describe("bulk shipping with English headers", () => {
  it("the template's header is Chinese on the Chinese page and English on the English one", () => {
    expect(MESSAGES["zh-CN"]["mo.bulk.templateHeader"]).toBe("订单号,物流公司,运单号");
    expect(MESSAGES.en["mo.bulk.templateHeader"]).toBe("orderNo,carrier,trackingNo");
  });

  it("a file under each language's template header ships", async () => {
    for (const header of [MESSAGES.en["mo.bulk.templateHeader"], MESSAGES["zh-CN"]["mo.bulk.templateHeader"]]) {
      const o = await paid();
      const csv = `\uFEFF${header}\n${o.orderNo},SF,SF${o.id}00000001\n`;
      expect(await shop.operator.caller.merchantOrder.bulkShip({ csv }), header).toEqual({ ok: true, shipped: 1, orderNos: [o.orderNo] });
    }
  });

  it("English column names as written by hand, and English carrier names, ship", async () => {
    const [a, b] = [await paid(), await paid()];
    const csv = ["Order number,Carrier,Tracking number", `${a.orderNo},SF Express,SF200000001`, `${b.orderNo},zto express,ZT200000002`].join("\r\n");
    expect(await shop.operator.caller.merchantOrder.bulkShip({ csv })).toEqual({ ok: true, shipped: 2, orderNos: [a.orderNo, b.orderNo] });
    expect(await shipments([a.id, b.id])).toEqual([
      ["SHIPPED", "SF", "SF200000001"],
      ["SHIPPED", "ZTO", "ZT200000002"],
    ]);
    const c = await paid();
    const csv2 = ["Order No., Tracking No. ,Carrier", `${c.orderNo},YD200000003,Yunda Express`].join("\n");
    expect(await shop.operator.caller.merchantOrder.bulkShip({ csv: csv2 })).toEqual({ ok: true, shipped: 1, orderNos: [c.orderNo] });
    expect(await shipments([c.id])).toEqual([["SHIPPED", "YD", "YD200000003"]]);
  });

  it("an unknown header is still refused; carrier names beyond the two languages' stay unknown", async () => {
    await expect(shop.operator.caller.merchantOrder.bulkShip({ csv: "Order,Company,Waybill\nFM1,SF,SF300000001" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect([carrierCode("J&T Express"), carrierCode("China Post EMS"), carrierCode("Express"), carrierCode("顺丰")]).toEqual(["JT", "EMS", null, "SF"]);
  });
});
