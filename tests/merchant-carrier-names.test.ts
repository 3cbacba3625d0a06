// Carriers on the merchant orders pages in the viewer's language: the ship dialog's choices, the orders
// list's and the order page's parcel; the stored code (SF, ZTO…) is what the dialog submits.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { I18nProvider } from "@/lib/i18n/client";
import { TRPCReactProvider } from "@/trpc/react";
import { ShipDialog } from "@/app/merchant/orders/ShipDialog";
import { shipmentText } from "@/app/merchant/orders/[id]/timeline";
import { carrierLabel } from "@/lib/i18n/labels";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);

/** The ship dialog's <option>s as [value, text], rendered in `locale`. */
function shipDialogOptions(locale: "en" | "zh-CN"): [string, string][] {
  const dialog = createElement(ShipDialog, { order: { id: 1, orderNo: "FM1" }, onClose: () => undefined });
  const html = renderToStaticMarkup(createElement(I18nProvider, { locale, messages: MESSAGES[locale], children: createElement(TRPCReactProvider, { children: dialog }) }));
  const decode = (s: string) => s.replace(/&amp;/g, "&");
  return [...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].filter((m) => m[1] !== "").map((m) => [m[1]!, decode(m[2]!)]);
}

describe("carrier names on the merchant orders pages", () => {
  it("the ship dialog offers each carrier by its English name in English, submitting its code", () => {
    expect(shipDialogOptions("en")).toEqual([
      ["SF", "SF Express"],
      ["ZTO", "ZTO Express"],
      ["YTO", "YTO Express"],
      ["YD", "Yunda Express YD"],
      ["STO", "STO Express"],
      ["JD", "JD Logistics"],
      ["EMS", "China Post EMS"],
      ["JT", "J&T Express JT"],
      ["DBL", "Deppon Express DBL"],
    ]);
  });

  it("the ship dialog in Chinese reads as before (name and code)", () => {
    expect(shipDialogOptions("zh-CN").map(([, text]) => text)).toEqual([
      "顺丰速运 SF",
      "中通快递 ZTO",
      "圆通速递 YTO",
      "韵达快递 YD",
      "申通快递 STO",
      "京东物流 JD",
      "中国邮政 EMS",
      "极兔速递 JT",
      "德邦快递 DBL",
    ]);
  });

  it("a shipped parcel (orders list, order page) names its carrier in the viewer's language; an unknown code as it is", () => {
    expect(shipmentText(en, { carrier: "SF", trackingNo: "SF1234567890" })).toBe("SF Express SF1234567890");
    expect(shipmentText(en, { carrier: "YD", trackingNo: "YD0001" })).toBe("Yunda Express YD0001");
    expect(shipmentText(zh, { carrier: "ZTO", trackingNo: "ZT78" })).toBe("中通快递 ZT78");
    expect(carrierLabel(en, "JT")).toBe("J&T Express");
    expect(carrierLabel(en, "MARS")).toBe("MARS");
  });
});
