// 批量发货 from the file Excel/WPS write on Chinese Windows: plain "CSV (逗号分隔)" is GB18030, not UTF-8, so the dialog
// decodes the bytes with decodeCsvBytes (UTF-8 when valid, else GB18030) before sending the text. Excel also saves a
// 12–15-digit tracking number in General format as "7.83123E+13": refused as before, but with a message that says so.
import { describe, expect, it } from "vitest";
import { orderDeskShop } from "./helpers/order-desk";
import iconv from "iconv-lite";
import { decodeCsvBytes } from "../server/orders/shipping-csv";
import { MESSAGES } from "../lib/i18n/messages";

const { shop, paid } = orderDeskShop();

/** What the dialog sends for a file of these bytes. */
const upload = (bytes: Uint8Array) => shop.operator.caller.merchantOrder.bulkShip({ csv: decodeCsvBytes(bytes) });

async function shipment(id: number) {
  const o = await shop.database.prisma.order.findUniqueOrThrow({ where: { id }, include: { shipment: true } });
  return [o.status, o.shipment?.carrier, o.shipment?.trackingNo];
}

describe("bulk shipping a file's bytes", () => {
  it("a GB18030 file (Excel's plain CSV on Chinese Windows) under the Chinese header ships", async () => {
    const o = await paid();
    const bytes = iconv.encode(`订单号,物流公司,运单号\n${o.orderNo},顺丰,SF1234567890`, "gb18030");
    // 订单号 in GBK (the GB2312 table): 订 B6A9, 单 B5A5, 号 BAC5 — not UTF-8 (B6 cannot start a UTF-8 character).
    expect([...bytes.subarray(0, 6)]).toEqual([0xb6, 0xa9, 0xb5, 0xa5, 0xba, 0xc5]);
    expect(await upload(bytes)).toEqual({ ok: true, shipped: 1, orderNos: [o.orderNo] });
    expect(await shipment(o.id)).toEqual(["SHIPPED", "SF", "SF1234567890"]);
  });

  it("a GB18030 file under the English header with a Chinese carrier name ships", async () => {
    const o = await paid();
    const bytes = iconv.encode(`orderNo,carrier,trackingNo\r\n${o.orderNo},中通快递,ZT7800000001\r\n`, "gb18030");
    expect(await upload(bytes)).toEqual({ ok: true, shipped: 1, orderNos: [o.orderNo] });
    expect(await shipment(o.id)).toEqual(["SHIPPED", "ZTO", "ZT7800000001"]);
  });

  it("a UTF-8 file with a BOM (the template, Excel's CSV UTF-8) still ships", async () => {
    const o = await paid();
    const bytes = new Uint8Array(Buffer.from(`\uFEFF订单号,物流公司,运单号\n${o.orderNo},顺丰,SF1234567891\n`, "utf8"));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(await upload(bytes)).toEqual({ ok: true, shipped: 1, orderNos: [o.orderNo] });
    expect(await shipment(o.id)).toEqual(["SHIPPED", "SF", "SF1234567891"]);
  });

  it("decodes UTF-8 as UTF-8 and other bytes as GB18030, without the BOM", () => {
    expect(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0xe9, 0xa1, 0xba, 0xe4, 0xb8, 0xb0]))).toBe("顺丰");
    // 顺 CBB3, 丰 B7E1 in GBK.
    expect(decodeCsvBytes(new Uint8Array([0xcb, 0xb3, 0xb7, 0xe1]))).toBe("顺丰");
    expect(decodeCsvBytes(new TextEncoder().encode("orderNo,carrier,trackingNo"))).toBe("orderNo,carrier,trackingNo");
  });
});

describe("a tracking number Excel saved in scientific notation", () => {
  const excelProblem = "运单号被 Excel 转成了科学计数法，请把运单号列设为文本后重新保存";

  it("is refused with a message that says Excel changed it; nothing ships", async () => {
    const [a, b, c] = [await paid(), await paid(), await paid()];
    const csv = ["订单号,物流公司,运单号", `${a.orderNo},中通,7.83123E+13`, `${b.orderNo},韵达,4.31234e+12`, `${c.orderNo},圆通,YT#1`].join("\n");
    expect(await shop.operator.caller.merchantOrder.bulkShip({ csv })).toEqual({
      ok: false,
      shipped: 0,
      errors: [
        { line: 2, orderNo: a.orderNo, message: excelProblem },
        { line: 3, orderNo: b.orderNo, message: excelProblem },
        { line: 4, orderNo: c.orderNo, message: "运单号格式不正确：YT#1" },
      ],
    });
    for (const o of [a, b, c]) expect((await shipment(o.id))[0]).toBe("PAID");
  });

  it("has its own message key in both languages", () => {
    expect(MESSAGES["zh-CN"]["mo.bulk.problem.trackingNoExcel"]).toBe(excelProblem);
    expect(MESSAGES.en["mo.bulk.problem.trackingNoExcel"]).toMatch(/scientific notation.*Text/);
  });
});
