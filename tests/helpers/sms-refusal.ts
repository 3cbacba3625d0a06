// A too-soon SMS code refusal as the client gets it: TOO_SOON, and its wait as data is the number the Chinese message
// names (so 获取验证码 counts it down, components/SmsCodeField.tsx refusalWait), in English too.
import { expect } from "vitest";
import { errorText, type ServerError } from "@/lib/i18n/labels";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { refusalWait } from "@/components/SmsCodeField";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

export function expectTooSoonWait(error: ServerError | undefined) {
  expect(error?.data?.domainCode).toBe("TOO_SOON");
  const named = Number(/^发送太频繁，请 (\d+) 秒后再试$/.exec(errorText(zh, error))?.[1]);
  // The minute's limit, less the moment since the code before: at most 60, and a test does not take a minute.
  expect(named).toBeGreaterThan(0);
  expect(named).toBeLessThanOrEqual(60);
  expect(error?.data?.domainParams).toEqual({ retryAfterSec: named });
  expect(refusalWait(error)).toBe(named);
  expect(errorText(en, error)).toBe(`Too many codes requested, please try again in ${named} s`);
}
