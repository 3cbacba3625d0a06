// A staff session's device label (app/merchant/_components/SessionsTable deviceLabel) over real user agents: the
// headless Chrome of automation (Playwright, Puppeteer) was labelled Safari, its UA having no word boundary before Chrome.
import { describe, expect, it } from "vitest";
import { deviceLabel } from "@/app/merchant/_components/SessionsTable";
import { createT } from "@/lib/i18n/core";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { en } from "@/lib/i18n/messages/en";

const zh = createT("zh-CN", zhCN);

const CASES: [string, string, string][] = [
  ["Chrome on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome 131 · Windows"],
  ["headless Chrome (Playwright)", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36", "Chrome 131 · Linux"],
  ["headless Chrome on macOS", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36", "Chrome 120 · macOS"],
  ["Safari on iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1", "Safari 18 · iOS"],
  [
    "WeChat on Android",
    "Mozilla/5.0 (Linux; Android 13; PGT-AN10 Build/HONORPGT-AN10; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1110005 MMWEBSDK/20230805 MMWEBID/6189 MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64",
    "微信 · Android",
  ],
  ["WeChat on iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x18002831) NetType/WIFI Language/zh_CN", "微信 · iOS"],
  ["Edge on Windows", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80", "Edge 130 · Windows"],
  ["Edge on iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/129.0.2792.84 Mobile/15E148 Safari/605.1.15", "Edge 129 · iOS"],
  ["Firefox on Linux", "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0", "Firefox 132 · Linux"],
  ["Firefox on iOS", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/131.0 Mobile/15E148 Safari/605.1.15", "Firefox 131 · iOS"],
];

describe("deviceLabel", () => {
  it.each(CASES)("%s", (_, ua, label) => expect(deviceLabel(zh, ua)).toBe(label));
  it("headless Chrome in English too", () => expect(deviceLabel(createT("en", en), CASES[1]![1])).toBe("Chrome 131 · Linux"));
});
