// The wallet's 确认收款 for a WeChat 商家转账 waiting for the shopper: shown only on a payout that waits for it,
// in both languages; the tap configures the JS-SDK and calls requestMerchantTransfer inside WeChat only.
import { describe, expect, it, vi } from "vitest";
import { createElement } from "react";
import type { Locale } from "../lib/i18n/core";
import { renderInProviders } from "./helpers/render";
import { WalletView } from "../app/wallet/WalletView";
import { confirmReceipt, type ReceiptEnv } from "../app/wallet/confirm-receipt";
import { BUCKET_LABEL, WITHDRAWAL_RULES } from "../server/wallet/view";

const WECHAT_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
const SAFARI_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";
const PARAMS = { mchId: "1900000109", appId: "wxd678efh567hg6787", package: "ABBQO+oYAAABAAAAAACE1WyucqAj" };

const row = (id: number, status: string, confirm: object | null) => ({
  id, payoutNo: `WD${id}`, amountFen: 100_000, feeFen: 0, netFen: 100_000, status, label: "", tone: status === "PAID" ? "done" : "progress", reason: null, failure: null,
  createdAt: new Date("2026-12-05T02:00:00Z"), decidedAt: null, confirm,
});

function render(locale: Locale) {
  const summary = {
    expected: { totalFen: 0, rows: [], more: 0 }, balances: { pending: 0, available: 0, withdrawing: 100_000, withdrawn: 100_000, credit: 0 }, bucketLabels: BUCKET_LABEL, history: [],
    withdrawals: [row(2, "PAYING", { ...PARAMS, issuedAt: new Date("2026-12-05T02:00:01Z") }), row(1, "PAID", null)],
    identity: null, frozen: false, rules: WITHDRAWAL_RULES,
  };
  const html = renderInProviders(createElement(WalletView), locale, (trpc, qc) => qc.setQueryData(trpc.wallet.summary.queryKey(), summary as never)).html.replaceAll("<!-- -->", "");
  return [...html.matchAll(/data-testid="withdrawal-row"[\s\S]*?<\/li>/g)].map((m) => m[0]);
}

describe("the wallet's 确认收款", () => {
  it("shows on the withdrawal WeChat holds for the shopper, not on the others", () => {
    const [waiting, paid] = render("zh-CN");
    expect(waiting).toContain('data-testid="confirm-receipt-button"');
    expect(waiting).toContain(">确认收款</button>");
    expect(waiting).toContain("24 小时内未确认的款项将退回可提现余额");
    expect(paid).not.toContain("confirm-receipt");
    expect(render("en")[0]).toContain(">Confirm receipt</button>");
  });
});

type Invoke = (name: string, params: Record<string, string>, cb: (r: { err_msg: string }) => void) => void;
/** WeixinJSBridge answering every call with err_msg. */
const answering = (errMsg: string) => vi.fn<Invoke>((_n, _p, cb) => cb({ err_msg: errMsg }));

describe("confirmReceipt", () => {
  const envWith = (over: Partial<ReceiptEnv> & { invoke?: ReturnType<typeof answering> }) => {
    const invoke = over.invoke ?? answering("requestMerchantTransfer:ok");
    const sdk = { config() {}, ready: (fn: () => void) => fn(), error() {}, updateAppMessageShareData() {}, updateTimelineShareData() {} };
    const env: ReceiptEnv = { userAgent: WECHAT_UA, wx: vi.fn(async () => sdk), bridge: () => ({ invoke }), ...over };
    return { env, invoke };
  };

  it("inside WeChat opens WeChat's receipt page with the merchant, the appid and the package", async () => {
    const { env, invoke } = envWith({});
    expect(await confirmReceipt(PARAMS, env)).toBe("ok");
    expect(invoke).toHaveBeenCalledWith("requestMerchantTransfer", PARAMS, expect.any(Function));
  });

  it("tells apart a shopper who backs out and a WeChat that cannot open the page", async () => {
    const cancel = envWith({ invoke: answering("requestMerchantTransfer:cancel") });
    expect(await confirmReceipt(PARAMS, cancel.env)).toBe("cancel");
    const old = envWith({ invoke: answering("system:function_not_exist") });
    expect(await confirmReceipt(PARAMS, old.env)).toBe("fail");
    // A JS-SDK signature WeChat refuses: the bridge is not asked.
    const refused = envWith({ wx: async () => ({ config() {}, ready() {}, error: (fn: (e: unknown) => void) => fn({ errMsg: "config:invalid signature" }), updateAppMessageShareData() {}, updateTimelineShareData() {} }) });
    expect(await confirmReceipt(PARAMS, refused.env)).toBe("fail");
    expect(refused.invoke).not.toHaveBeenCalled();
  });

  it("outside WeChat asks nothing: the shopper is told to open the shop in WeChat", async () => {
    const { env, invoke } = envWith({ userAgent: SAFARI_UA });
    expect(await confirmReceipt(PARAMS, env)).toBe("outside");
    expect(env.wx).not.toHaveBeenCalled();
    expect(invoke).not.toHaveBeenCalled();
  });
});
