// The payment and WeChat side of the e2e run, in its own process: the Official Account endpoints (网页授权,
// sns API, JS-SDK ticket), WeChat Pay API v3 and Alipay's open-platform gateway, on the ports and with the keys
// playwright.config.ts generated for this run (the app under test gets the matching settings).
import { createPrivateKey, createPublicKey } from "node:crypto";
import { AlipayTestServer } from "../tests/helpers/alipay-server";
import { WechatApiTestServer } from "../tests/helpers/wechat-api-server";
import { WechatPayTestServer } from "../tests/helpers/wechatpay-server";

const env = (name: string) => {
  const v = process.env[name];
  if (!v) throw new Error(`e2e/stand-ins.ts needs ${name} (set by playwright.config.ts)`);
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
const alipayKey = createPrivateKey(env("E2E_ALIPAY_KEY"));
const alipay = await new AlipayTestServer({
  appId: env("E2E_ALIPAY_APPID"),
  appPublicKey: createPublicKey(createPrivateKey(env("E2E_ALIPAY_APP_KEY"))),
  alipay: { privateKey: alipayKey, publicKey: createPublicKey(alipayKey) },
}).start(Number(env("E2E_ALIPAY_PORT")));
console.log(`stand-ins: official account ${api.baseUrl}, wechat pay ${pay.baseUrl}, alipay ${alipay.baseUrl}`);

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => void Promise.all([api.stop(), pay.stop(), alipay.stop()]).finally(() => process.exit(0)));
}
