// The log of an internal error (server/api/internal-errors.ts) names a payment or SMS vendor SDK's error by class and
// code only: alipay-sdk's signature failure quotes the whole signed answer (a trade query's buyer_user_id and
// buyer_logon_id), Tencent Cloud's SDK the vendor's message, which may name the phone number.
import { describe, expect, it } from "vitest";
import { AlipayRequestError } from "alipay-sdk";
import TencentCloudSDKHttpException from "tencentcloud-sdk-nodejs-common/tencentcloud/common/exception/tencent_cloud_sdk_exception";
import { describeError } from "@/server/api/internal-errors";

describe("describeError on a vendor SDK's error", () => {
  it("an alipay-sdk signature failure: its class and code, not the signed answer it quotes", () => {
    const answer = JSON.stringify({ alipay_trade_query_response: { code: "10000", buyer_user_id: "2088102177846880", buyer_logon_id: "159****5620", trade_no: "2026120122001446880" } });
    const err = new AlipayRequestError(`支付宝响应验签失败，请确保支付宝公钥 config.alipayPublicKey 是最新有效版本，签名字符串为：abc，验证字符串为：${answer}`, { code: "response-signature-verify-error", traceId: "0b1f" });
    const logged = describeError(err);
    expect(logged.split("\n")[0]).toBe("AlipayRequestError response-signature-verify-error");
    for (const secret of ["2088102177846880", "159****5620", "验签", "traceId"]) expect(logged).not.toContain(secret);
  });

  it("a Tencent Cloud SDK exception (which sets no name of its own): its code, not the vendor's message", () => {
    const err = Object.assign(new TencentCloudSDKHttpException("手机号 +8613800138000 格式错误", "req-1"), { code: "InvalidParameterValue.IncorrectPhoneNumber" });
    const logged = describeError(err);
    expect(logged.split("\n")[0]).toBe("Error InvalidParameterValue.IncorrectPhoneNumber");
    expect(logged).not.toContain("13800138000");
  });

  it("our own errors keep the start of their message", () => {
    expect(describeError(new Error("会员 42 不存在")).split("\n")[0]).toBe("Error: 会员 42 不存在");
  });
});
