// 确认收款 of a WeChat 商家转账 from the Official Account page: the JS-SDK configured with requestMerchantTransfer,
// then WeixinJSBridge's requestMerchantTransfer opens WeChat's receipt page (WeChat's JSAPI guide for 公众号).
import { isWechatBrowser } from "@/lib/wechat-ua";
import { configuredWx, type Wx } from "@/components/wechat-sdk";

export interface ReceiptParams {
  mchId: string;
  appId: string;
  package: string;
}

/** ok: the payee accepted (the server learns it from WeChat's query); outside: not in WeChat, nothing was opened. */
export type ReceiptOutcome = "ok" | "cancel" | "fail" | "outside";

type Bridge = { invoke(name: string, params: Record<string, string>, cb: (res: { err_msg?: string }) => void): void };

export interface ReceiptEnv {
  userAgent: string;
  wx(): Promise<Wx | null>;
  bridge(): Bridge | undefined;
}

const browserEnv = (): ReceiptEnv => ({
  userAgent: navigator.userAgent,
  wx: () => configuredWx({ jsApiList: ["requestMerchantTransfer"] }),
  bridge: () => (window as unknown as { WeixinJSBridge?: Bridge }).WeixinJSBridge,
});

export async function confirmReceipt(p: ReceiptParams, env: ReceiptEnv = browserEnv()): Promise<ReceiptOutcome> {
  if (!isWechatBrowser(env.userAgent)) return "outside";
  const wx = await env.wx().catch(() => null);
  // WeChat allows the bridge call only once the page's JS-SDK signature (with requestMerchantTransfer) is accepted.
  if (wx) {
    const signed = await new Promise<boolean>((resolve) => {
      wx.ready(() => resolve(true));
      wx.error(() => resolve(false));
    });
    if (!signed) return "fail";
  }
  const bridge = env.bridge();
  if (!bridge) return "fail";
  return new Promise((resolve) =>
    bridge.invoke("requestMerchantTransfer", { mchId: p.mchId, appId: p.appId, package: p.package }, (res) => {
      const outcome = res.err_msg?.split(":")[1];
      resolve(outcome === "ok" ? "ok" : outcome === "cancel" ? "cancel" : "fail");
    }),
  );
}
