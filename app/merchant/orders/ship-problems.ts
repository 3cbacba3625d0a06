// Bulk shipping's words: a row's problem (server/orders/shipping.ts bulkShip writes it in Chinese, without a code):
// zh-CN shows it as it is; another language words the known problems, else says the row was refused. And the
// carrier names a file may use, from the one carrier table.
import type { Translator } from "@/lib/i18n/core";
import { carrierLabel } from "@/lib/i18n/labels";
import { SHIP_CARRIERS } from "@/server/orders/shipping-schema";

const EMPTY = "（空）";

export function shipmentProblem(t: Translator, message: string): string {
  if (t.locale === "zh-CN") return message;
  const value = (v: string) => (v === EMPTY ? t("mo.bulk.problem.empty") : v);
  if (message === "缺少订单号") return t("mo.bulk.problem.noOrderNo");
  if (message === "订单不存在") return t("error.ORDER_NOT_FOUND");
  if (message === "运单号被 Excel 转成了科学计数法，请把运单号列设为文本后重新保存") return t("mo.bulk.problem.trackingNoExcel");
  let m = /^订单号与第 (\d+) 行重复$/.exec(message);
  if (m) return t("mo.bulk.problem.duplicate", { line: m[1]! });
  if (/^订单状态为「.*」，不能发货$/.test(message)) return t("error.NOT_SHIPPABLE");
  m = /^未知的物流公司：(.*)$/.exec(message);
  if (m) return t("mo.bulk.problem.carrier", { carrier: value(m[1]!) });
  m = /^运单号格式不正确：(.*)$/.exec(message);
  if (m) return t("mo.bulk.problem.trackingNo", { trackingNo: value(m[1]!) });
  m = /^CSV 格式错误：(.*)$/.exec(message);
  if (m) return t("mo.bulk.problem.csv", { detail: m[1]! });
  return t("error.issue.generic");
}

/** The dialog's line naming the 物流公司 a file may write: every carrier of SHIP_CARRIERS (= CARRIER_CODES) in the page's language. */
export function carrierHelp(t: Translator): string {
  const names = new Intl.ListFormat(t.locale, { type: "disjunction" }).format(SHIP_CARRIERS.map((code) => carrierLabel(t, code)));
  return t("mo.bulk.help.carriers", { carriers: names });
}
