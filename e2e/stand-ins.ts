// The WeChat side of the e2e run, in its own process: the Official Account endpoints (网页授权,
// sns API, JS-SDK ticket) and WeChat Pay API v3, on the ports and with the keys playwright.config.ts
// generated for this run (the app under test gets the matching settings).
import { WechatApiTestServer } from "../tests/helpers/wechat-api-server";
import { WechatPayTestServer } from "../tests/helpers/wechatpay-server";

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`e2e/wechat-local.ts needs ${name} (set by playwright.config.ts)`);
  return v;
};

const api = await new WechatApiTestServer({ appId: env("E2E_WX_APPID"), appSecret: env("E2E_WX_APP_SECRET") }).start(Number(env("E2E_WX_API_PORT")));
for (const id of env("E2E_WX_TEMPLATES").split(",")) api.templates.add(id);
const pay = await new WechatPayTestServer({
  keys: {
    appid: env("E2E_WX_APPID"),
    merchantSerial: env("E2E_WXPAY_MERCHANT_SERIAL"),
    apiV3Key: env("E2E_WXPAY_APIV3_KEY"),
    merchantPrivateKey: env("E2E_WXPAY_MERCHANT_KEY"),
    platformPrivateKey: env("E2E_WXPAY_PLATFORM_KEY"),
    platformKeyId: env("E2E_WXPAY_PLATFORM_KEY_ID"),
  },
}).start(Number(env("E2E_WXPAY_PORT")));
console.log(`wechat stand-ins: official account ${api.baseUrl}, pay ${pay.baseUrl}`);

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => void Promise.all([api.stop(), pay.stop()]).finally(() => process.exit(0)));
}
