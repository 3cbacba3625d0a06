// Carriers have one list of codes (server/orders/shipping.ts CARRIER_CODES, the ship form's list) and one set of
// names, order.carrier.<code> in the catalogues: the shopper's order page, the back office (orders list, order page,
// ship dialog, audit log), the orders CSV and the bulk CSV's matching all read them, each in the viewer's language.
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { carrierLabel } from "@/lib/i18n/labels";
import { CARRIER_CODES, carrierCode, carrierName } from "@/server/orders/shipping";
import { SHIP_CARRIERS } from "@/server/orders/shipping-schema";
import { shipmentText, timelineText } from "@/app/merchant/orders/[id]/timeline";
import { auditChanges } from "@/server/audit/display";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);

describe("carriers", () => {
  it("are named by one set of keys, order.carrier.<code>, in both languages: the back office's m.carrier.* are gone", () => {
    for (const locale of ["zh-CN", "en"] as const) {
      const keys = Object.keys(MESSAGES[locale]);
      expect(keys.filter((k) => k.startsWith("m.carrier."))).toEqual([]);
      expect(keys.filter((k) => k.startsWith("order.carrier.")).sort()).toEqual(CARRIER_CODES.map((c) => `order.carrier.${c}`).sort());
    }
    expect(CARRIER_CODES).toBe(SHIP_CARRIERS);
  });

  it("keep their Chinese names for the engine's text, from the catalogue", () => {
    expect(CARRIER_CODES.map(carrierName)).toEqual(["顺丰速运", "中通快递", "圆通速递", "韵达快递", "申通快递", "京东物流", "中国邮政 EMS", "极兔速递", "德邦快递"]);
    expect(carrierName("MARS")).toBe("MARS");
  });

  it("read the same on every page in the viewer's language: shopper, orders list and order page, timeline, audit log", () => {
    expect(carrierLabel(en, "JD")).toBe("JD Logistics");
    expect(carrierLabel(zh, "JD")).toBe("京东物流");
    expect(shipmentText(en, { carrier: "DBL", trackingNo: "DB000001" })).toBe("Deppon Express DB000001");
    expect(timelineText(en, { kind: "shipped", carrier: "EMS", trackingNo: "E1" }).detail).toBe("China Post EMS");
    expect(timelineText(zh, { kind: "shipped", carrier: "EMS", trackingNo: "E1" }).detail).toBe("中国邮政 EMS");
    const change = (t: typeof en) => auditChanges(t, "Asia/Shanghai", { status: "PAID" }, { status: "SHIPPED", carrier: "YD", trackingNo: "YD123456" }, "order.ship");
    expect(change(en).find((c) => c.key === "carrier")?.after).toBe("Yunda Express");
    expect(change(zh).find((c) => c.key === "carrier")?.after).toBe("韵达快递");
  });

  it("are found in a bulk CSV by code, Chinese name or short name, and English name", () => {
    expect(["yd", "韵达快递", "韵达", "Yunda Express", "yunda express", "德邦", "Deppon Express", "UPS"].map(carrierCode)).toEqual(["YD", "YD", "YD", "YD", "YD", "DBL", "DBL", null]);
  });
});
