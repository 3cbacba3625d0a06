// A bulk-shipping row's problem (server/orders/shipping.ts bulkShip writes it in Chinese, without a code):
// zh-CN shows it as it is; another language words the known problems, else says the row was refused.
import type { Translator } from "@/lib/i18n/core";

const EMPTY = "（空）";

export function shipmentProblem(t: Translator, message: string): string {
  if (t.locale === "zh-CN") return message;
  const value = (v: string) => (v === EMPTY ? t("mo.bulk.problem.empty") : v);
  if (message === "缺少订单号") return t("mo.bulk.problem.noOrderNo");
  if (message === "订单不存在") return t("error.ORDER_NOT_FOUND");
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
