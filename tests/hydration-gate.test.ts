// A button whose only action is a click handler is disabled in the server's HTML (useHydrated), so a tap
// before hydration, on a slow phone inside WeChat, is not silently lost; React enables it once the
// handler is attached (the browser side runs in e2e/wechat.e2e.ts, which clicks it).
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { WechatRetryButton } from "../app/login/WechatSignIn";

describe("the WeChat sign-in buttons before hydration", () => {
  it("are disabled in the server's HTML", () => {
    const html = renderToString(createElement(WechatRetryButton, { callbackUrl: "/me", scope: "snsapi_userinfo", label: "使用微信昵称和头像" }));
    expect(html).toMatch(/^<button[^>]* disabled=""[^>]*>使用微信昵称和头像<\/button>$/);
  });
});
