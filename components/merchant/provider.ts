import type { Translator } from "@/lib/i18n/core";

/** A payment provider's name for staff ("wechatpay" → 微信支付); an unknown code is shown as it is. */
export function providerLabel(t: Translator, code: string): string {
  return t.opt(`m.provider.${code}`, code);
}
