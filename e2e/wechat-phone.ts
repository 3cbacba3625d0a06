// A phone inside WeChat for end-to-end tests against the WeChat stand-ins (e2e/stand-ins.ts): WeChat's user agent,
// signed into WeChat as an openid, with the JS-SDK and WeixinJSBridge as WeChat injects them (headless Chromium has
// neither). The bridge's pay and 确认收款 calls go to the local WeChat Pay server's shopper endpoints.
import { devices, type Browser, type BrowserContext } from "@playwright/test";

const WECHAT_UA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220067 MMWEBSDK/20240301 MMWEBID/1234 MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";
const wxApi = `http://127.0.0.1:${process.env.E2E_WX_API_PORT}`;
const wxPay = `http://127.0.0.1:${process.env.E2E_WXPAY_PORT}`;

/** What WeChat's client does for a bridge call, here the WeChat Pay stand-in's shopper endpoint. */
async function shopper(path: string, params: Record<string, string>): Promise<{ err_msg: string }> {
  const res = await fetch(`${wxPay}/__shopper/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(params) });
  return (await res.json()) as { err_msg: string };
}

/** A phone inside WeChat, signed into WeChat as `openid` (the stand-in reads it from its own cookie). */
export async function wechatPhone(browser: Browser, baseURL: string | undefined, openid: string): Promise<BrowserContext> {
  const ctx = await browser.newContext({ ...devices["Pixel 7"], userAgent: WECHAT_UA, locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
  await ctx.addCookies([{ name: "wx_openid", value: openid, url: wxApi }]);
  // getBrandWCPayRequest pays at WeChat Pay; requestMerchantTransfer is the payee accepting a 商家转账.
  await ctx.exposeBinding("__wechatPays", (_source, params: Record<string, string>) => shopper("pay", params));
  await ctx.exposeBinding("__wechatAcceptsTransfer", (_source, params: Record<string, string>) => shopper("confirm-transfer", params));
  await ctx.addInitScript(() => {
    type Bridged = (p: unknown) => Promise<{ err_msg: string }>;
    const w = window as unknown as { WeixinJSBridge: unknown; wx: unknown; __wechatPays: Bridged; __wechatAcceptsTransfer: Bridged; __bridgeCalls: unknown[]; __wxCalls: unknown[] };
    w.__bridgeCalls = [];
    // The JS-SDK (res.wx.qq.com is unreachable here): records what the page configures and shares.
    w.__wxCalls = [];
    w.wx = {
      config: (c: unknown) => w.__wxCalls.push(["config", c]),
      ready: (fn: () => void) => setTimeout(fn, 0),
      error: () => {},
      updateAppMessageShareData: (d: unknown) => w.__wxCalls.push(["app", d]),
      updateTimelineShareData: (d: unknown) => w.__wxCalls.push(["timeline", d]),
    };
    w.WeixinJSBridge = {
      invoke(name: string, params: Record<string, string>, cb: (r: { err_msg: string }) => void) {
        w.__bridgeCalls.push({ name, params });
        if (name === "getBrandWCPayRequest") void w.__wechatPays(params).then(cb);
        if (name === "requestMerchantTransfer") void w.__wechatAcceptsTransfer(params).then(cb);
      },
    };
  });
  return ctx;
}
