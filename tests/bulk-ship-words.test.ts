// 批量发货's words (walk report W1 finding 4): a row refused for its status names the status as the order list does
// (a shipped order is 待收货 there, never 已发货), and the dialog names every 物流公司 a file may write — the carrier
// table's names (server/orders/shipping.ts CARRIER_CODES), each of which the import accepts. The template stays the
// header row only, so nothing in it can be shipped by accident.
import { describe, expect, it } from "vitest";
import { orderDeskShop } from "./helpers/order-desk";
import { createElement } from "react";
import { CARRIER_CODES, carrierCode } from "../server/orders/shipping";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { BulkShipDialog } from "../app/merchant/orders/BulkShipDialog";
import { shipmentProblem } from "../app/merchant/orders/ship-problems";
import { renderInProviders } from "./helpers/render";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const { shop, paid } = orderDeskShop();

describe("a bulk-ship row refused for its order's status", () => {
  it("names a shipped order's status 待收货, as the order list does", async () => {
    const o = await paid();
    const csv = `订单号,物流公司,运单号\n${o.orderNo},顺丰,SF1234567890`;
    expect(await shop.operator.caller.merchantOrder.bulkShip({ csv })).toEqual({ ok: true, shipped: 1, orderNos: [o.orderNo] });
    // The same file again: the order is now SHIPPED, which the list's badge and filter call 待收货.
    expect(await shop.operator.caller.merchantOrder.bulkShip({ csv })).toEqual({
      ok: false,
      shipped: 0,
      errors: [{ line: 2, orderNo: o.orderNo, message: "订单状态为「待收货」，不能发货" }],
    });
    expect(MESSAGES["zh-CN"]["order.status.SHIPPED"]).toBe("待收货");
  });
});

describe("the rows' problems are worded in one place (ship-problems.ts)", () => {
  const excel = "运单号被 Excel 转成了科学计数法，请把运单号列设为文本后重新保存";

  it("Excel's scientific tracking number in English, as zh-CN as the server wrote it", () => {
    expect(shipmentProblem(en, excel)).toBe("Excel turned the tracking number into scientific notation: format the tracking number column as Text and save the file again");
    expect(shipmentProblem(zh, excel)).toBe(excel);
  });
});

describe("the dialog names the carriers a file may write", () => {
  const zhList = "顺丰速运、中通快递、圆通速递、韵达快递、申通快递、京东物流、中国邮政 EMS、极兔速递或德邦快递";
  const enList = "SF Express, ZTO Express, YTO Express, Yunda Express, STO Express, JD Logistics, China Post EMS, J&T Express, or Deppon Express";

  const html = (locale: "zh-CN" | "en") => renderInProviders(createElement(BulkShipDialog, { onClose() {} }), locale).html.replaceAll("<!-- -->", "");

  it("every carrier of the table, in the page's language, in its order", () => {
    expect(html("zh-CN")).toContain(`物流公司可填：${zhList}（也可写简称如“顺丰”，或代码如 SF）。`);
    expect(html("en")).toContain(`Carrier: ${enList.replace("&", "&amp;")} (the Chinese name, or a code such as SF, also works).`);
  });

  it("each name it lists is one the import takes, together the whole table", () => {
    const listed = (locale: "zh-CN" | "en", re: RegExp) => re.exec(html(locale))![1]!.replaceAll("&amp;", "&").split(/、|或|, or |, /);
    expect(CARRIER_CODES).toEqual(["SF", "ZTO", "YTO", "YD", "STO", "JD", "EMS", "JT", "DBL"]);
    expect(listed("zh-CN", /物流公司可填：(.*?)（/).map(carrierCode)).toEqual([...CARRIER_CODES]);
    expect(listed("en", /Carrier: (.*?) \(/).map(carrierCode)).toEqual([...CARRIER_CODES]);
  });
});
