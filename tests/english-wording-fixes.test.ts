// English pages say what a refusal means and show numbers the English way: picture-upload refusals in the caller's
// language with a code, a refused input names its rule (a slug's format, a required field, a setting's range), the
// sales count is compact per locale, and WeChat's subscribe button is worded in the page's language.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { DomainError } from "@/server/context";
import { readImageUpload, uploadFailure } from "@/app/_lib/image-upload";
import { inputErrorMessage } from "@/server/api/input-errors";
import { categoryInputSchema } from "@/server/catalog/schema";
import { checkRules } from "@/app/merchant/rules/check";
import { defaultConfig } from "@/server/config/schema";
import { salesText } from "@/app/product/[id]/SkuPurchase";
import { subscribeButtonHtml } from "@/components/WechatSubscribe";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const HAN = /\p{Script=Han}/u;

function upload(lang: "en" | "zh-CN", init: RequestInit & { headers?: Record<string, string> }): Request {
  return new Request("http://127.0.0.1:3100/api/uploads", { method: "POST", ...init, headers: { cookie: `fm_lang=${lang}`, ...init.headers } });
}
const body = async (r: unknown) => (r as Response).json() as Promise<{ error: string; code: string }>;

describe("picture-upload refusals", () => {
  it("are in English for an English page, each with its code", async () => {
    const big = await readImageUpload(upload("en", { body: "x", headers: { "content-length": String(6 * 1024 * 1024) } }));
    expect((big as Response).status).toBe(413);
    expect(await body(big)).toEqual({ error: "The picture is too large: at most 5 MB", code: "FILE_TOO_LARGE" });
    const noFile = await readImageUpload(upload("en", { body: new FormData() }));
    expect(await body(noFile)).toEqual({ error: "No picture was sent: please choose one", code: "UPLOAD_NO_FILE" });
    const notMultipart = await readImageUpload(upload("en", { body: "plain", headers: { "content-type": "multipart/form-data; boundary=x" } }));
    expect(await body(notMultipart)).toEqual({ error: "The upload could not be read: please choose the picture again", code: "UPLOAD_MALFORMED" });
    const invalid = uploadFailure(upload("en", {}), new DomainError("INVALID_IMAGE", "无法识别的图片文件"));
    expect(invalid.status).toBe(415);
    expect(await body(invalid)).toEqual({ error: "This picture cannot be read: please upload another one", code: "INVALID_IMAGE" });
  });

  it("keep the Chinese wording for a Chinese page", async () => {
    const invalid = uploadFailure(upload("zh-CN", {}), new DomainError("INVALID_IMAGE", "无法识别的图片文件"));
    expect(await body(invalid)).toEqual({ error: "无法识别的图片文件", code: "INVALID_IMAGE" });
    const big = await readImageUpload(upload("zh-CN", { body: "x", headers: { "content-length": String(6 * 1024 * 1024) } }));
    expect(await body(big)).toEqual({ error: "图片不能超过 5 MB", code: "FILE_TOO_LARGE" });
  });
});

describe("a refused input in English names the rule", () => {
  it("a bad category slug: the characters it may contain", () => {
    const refused = categoryInputSchema.safeParse({ slug: "Bad Slug", name: "Tea" }).error!;
    expect(inputErrorMessage(refused, "en")).toBe("Invalid input: slug may only contain lower-case letters, digits and hyphens");
    expect(inputErrorMessage(refused, "zh-CN")).toBe("输入有误：分类标识只能含小写字母、数字和横线");
  });

  it("a missing field: required, not a format", () => {
    const refused = z.object({ requestKey: z.string().regex(/^[a-z0-9-]{8,64}$/) }).safeParse({}).error!;
    expect(inputErrorMessage(refused, "en")).toBe("Invalid input: requestKey must not be empty");
    // Present but of the wrong shape it is still a format.
    expect(inputErrorMessage(z.object({ requestKey: z.string().regex(/^[a-z]+$/) }).safeParse({ requestKey: "X" }).error!, "en")).toBe("Invalid input: requestKey must be in a valid format");
  });

  it("an unreadable rate typed on the rules page (-1 is NaN there): the range the setting allows", () => {
    const values = { ...defaultConfig, commission: { ...defaultConfig.commission, ratesBps: [1000, Number.NaN, 0] } };
    expect(checkRules(en, values)).toEqual([{ path: ["commission", "ratesBps", 1], text: "Level 2 commission rate: must be a number from 0% to 100%" }]);
    expect(checkRules(zh, values)[0]!.text).toContain("须为 0% 到 100% 之间的数");
  });
});

describe("the sales count", () => {
  it("is compact in the page's language and never rounded up", () => {
    expect(salesText(12_345, "en")).toBe("12.3K");
    expect(salesText(19_999, "en")).toBe("19.9K");
    expect(salesText(999, "en")).toBe("999");
    expect(salesText(12_345, "zh-CN")).toBe("1.2万");
    expect(salesText(19_999, "zh-CN")).toBe("1.9万");
    expect(salesText(9_999, "zh-CN")).toBe("9999");
    expect(salesText(10_000, "zh-CN")).toBe("1万");
    expect(salesText(123_456_789, "zh-CN")).toBe("1.2亿");
    expect(salesText(100_000, "en")).toBe("100K");
    expect(salesText(1_050_000, "en")).toBe("1M");
  });

  it("is the same where Intl ignores roundingMode (Chrome < 106, Safari < 15.4): no hydration mismatch", () => {
    const Native = Intl.NumberFormat;
    // An older WebView's formatter: it rounds half up whatever roundingMode says.
    Intl.NumberFormat = function (locales?: string | string[], options?: Intl.NumberFormatOptions) {
      return new Native(locales, { ...options, roundingMode: "halfExpand" });
    } as unknown as typeof Intl.NumberFormat;
    try {
      expect(salesText(19_999, "zh-CN")).toBe("1.9万");
      expect(salesText(19_999, "en")).toBe("19.9K");
    } finally {
      Intl.NumberFormat = Native;
    }
  });
});

describe("WeChat's subscribe button", () => {
  it("is worded in the page's language", () => {
    expect(subscribeButtonHtml(en)).toContain(">Get shipping, commission and cashback notices</button>");
    expect(subscribeButtonHtml(en)).not.toMatch(HAN);
    expect(subscribeButtonHtml(zh)).toContain(">订阅发货、佣金和返现通知</button>");
  });
});
