// 批量发货 tells every problem of a row at once (walker: a row with an unknown carrier 菜鸟 AND a 3-character
// tracking number was reported for its carrier only, so the merchant fixed the file twice). The dialog counts rows.
import { describe, expect, it } from "vitest";
import { orderDeskShop } from "./helpers/order-desk";
import { checkShipment } from "../server/orders/shipping";

describe("checkShipment (pure)", () => {
  it("an unknown carrier and a too-short tracking number are two problems, the carrier's first", () => {
    expect(checkShipment("菜鸟", "123")).toEqual({ ok: false, problems: ["未知的物流公司：菜鸟", "运单号格式不正确：123"] });
    expect(checkShipment("", "")).toEqual({ ok: false, problems: ["未知的物流公司：（空）", "运单号格式不正确：（空）"] });
    expect(checkShipment("菜鸟", "7.83123E+13")).toEqual({ ok: false, problems: ["未知的物流公司：菜鸟", "运单号被 Excel 转成了科学计数法，请把运单号列设为文本后重新保存"] });
    expect(checkShipment("顺丰", " sf100000001 ")).toEqual({ ok: true, carrier: "SF", trackingNo: "SF100000001" });
  });
});

const { shop, paid } = orderDeskShop();

describe("bulk shipping: every problem of a row", () => {
  it("reports the carrier and the tracking number of one row, the order's too, and ships nothing", async () => {
    const [a, b] = [await paid(), await paid()];
    const csv = [
      "订单号,物流公司,运单号",
      `${a.orderNo},菜鸟,123`,
      `NOPE123,火星快递,SF100000002`,
      `,菜鸟,12`,
      `${b.orderNo},SF,SF100000003`,
    ].join("\n");
    const r = await shop.operator.caller.merchantOrder.bulkShip({ csv });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.orderNo, e.message])).toEqual([
      [2, a.orderNo, "未知的物流公司：菜鸟"],
      [2, a.orderNo, "运单号格式不正确：123"],
      [3, "NOPE123", "订单不存在"],
      [3, "NOPE123", "未知的物流公司：火星快递"],
      [4, null, "缺少订单号"],
      [4, null, "未知的物流公司：菜鸟"],
      [4, null, "运单号格式不正确：12"],
    ]);
    expect(await shop.database.prisma.shipment.count()).toBe(0);
    expect((await shop.database.prisma.order.findMany({ where: { id: { in: [a.id, b.id] } } })).map((o) => o.status)).toEqual(["PAID", "PAID"]);
  });
});
