// Inside WeChat, end to end against the WeChat stand-ins playwright.config.ts starts (e2e/stand-ins.ts):
// a shopper opens A's share link in WeChat, the login page signs in through WeChat web authorisation
// (silent snsapi_base, then snsapi_userinfo when they agree to share nickname and avatar), binds a phone
// by SMS (the referral cookie binds them to A), buys, and pays through WeChat Pay JSAPI: the cashier's
// WeixinJSBridge (a stand-in: headless Chromium has none) leads to the local WeChat Pay server, which
// checks the paySign and posts its signed callback to the app. A returning visit signs in silently.
import { devices, expect, test, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { fillAddressForm, fillPhone, masked, myDisplayName, randomPhone, readCodeFromOutbox, signInWithSms } from "./helpers";
import { maskDisplayName } from "../server/members/profile";
import { wechatPhone } from "./wechat-phone";

type WxCall = [string, Record<string, unknown>];

/** What the page handed the JS-SDK: wx.config, then the chat and Moments share data. */
async function shareCalls(page: Page): Promise<{ config: Record<string, unknown>; app: Record<string, unknown>; timeline: Record<string, unknown> }> {
  let calls: WxCall[] = [];
  await expect(async () => {
    calls = await page.evaluate(() => (window as unknown as { __wxCalls: WxCall[] }).__wxCalls);
    expect(calls.map((c) => c[0])).toEqual(["config", "app", "timeline"]);
  }).toPass({ timeout: 15_000 });
  const config = calls[0][1];
  expect(config).toMatchObject({ debug: false, appId: process.env.E2E_WX_APPID, jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"] });
  expect(config.signature).toMatch(/^[0-9a-f]{40}$/);
  return { config, app: calls[1][1], timeline: calls[2][1] };
}

/** The Open Graph tags a chat app's link preview reads (a bot's user agent: Next puts metadata in <head> for it). */
async function previewOf(page: Page, path: string): Promise<Record<string, string>> {
  const html = await (await page.request.get(path, { headers: { "user-agent": "facebookexternalhit/1.1" } })).text();
  const head = html.slice(0, html.indexOf("</head>"));
  const tags = Object.fromEntries([...head.matchAll(/<meta (?:property|name)="((?:og:)?[a-z:_]+)" content="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  return { ...tags, title: /<title>([^<]*)<\/title>/.exec(head)?.[1] ?? "" };
}

async function addAddress(page: Page) {
  await fillAddressForm(page, { name: "王五", phone: "13933334444", region: ["江苏省", "南京市", "鼓楼区"], detail: "中山北路 30 号 2 楼" });
  await expect(page.getByTestId("checkout-address")).toContainText("王五");
}

test("in WeChat: web authorisation, phone binding with the referral, JSAPI payment; the next visit signs in silently", async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  const baseURL = testInfo.project.use.baseURL;

  // A (outside WeChat) signs up by SMS and reads their share link.
  const ctxA = await browser.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
  const a = await ctxA.newPage();
  const phoneA = randomPhone();
  await signInWithSms(a, phoneA, "/promote");
  await expect(a).toHaveURL(/\/promote$/);
  const link = (await a.getByTestId("share-link").textContent())!.trim();
  const code = link.slice(link.indexOf("/r/") + 3);
  const inviterA = maskDisplayName(await myDisplayName(a));
  // The product A shares (the first on the home page, the one bought below).
  await a.goto("/");
  const productId = Number((await a.getByTestId("product-card").first().getAttribute("href"))!.split("/").pop());
  await a.goto(`/product/${productId}`);
  const sharedName = (await a.getByTestId("product-name").textContent())!.trim();

  // Link previews (a chat app's crawler): the product page's text and picture; A's link with the product names the
  // product, A in the description, and keeps ?product=; the invitation's title names the shop once.
  const productPreview = await previewOf(a, `/product/${productId}`);
  expect(productPreview).toMatchObject({ title: `${sharedName} · 裂变商城`, "og:title": sharedName, "og:url": `${baseURL}/product/${productId}` });
  expect(productPreview["og:image"]).toMatch(new RegExp(`^${baseURL}/(media|products)/`));
  expect(productPreview["og:description"]).toMatch(/^[^*#[\]]+$/);
  const linkPreview = await previewOf(a, `/r/${code}?product=${productId}`);
  expect(linkPreview).toMatchObject({ "og:title": sharedName, "og:url": `${baseURL}/r/${code}?product=${productId}`, "og:image": productPreview["og:image"] });
  expect(linkPreview["og:description"]).toBe(`${inviterA} 推荐给你：${productPreview["og:description"]}`);
  expect((await previewOf(a, `/r/${code}`)).title).toBe(`${inviterA} 邀请你加入裂变商城`);

  // A link whose sharer is unknown still leads to the product it carries.
  await a.goto(`/r/ZZZZZZ?product=${productId}`);
  await expect(a.getByTestId("invalid-invite")).toHaveText("邀请链接无效或已失效");
  await a.screenshot({ path: testInfo.outputPath("invalid-link-product-zh.png"), fullPage: true });
  await a.getByTestId("invalid-see-product").click();
  await expect(a).toHaveURL(new RegExp(`/product/${productId}$`));
  // Outside WeChat no page asks for a wx.config (and nothing loads the JS-SDK).
  const sdkRequests: string[] = [];
  a.on("request", (r) => {
    if (/\/api\/wechat\/jssdk|res2?\.wx\.qq\.com/.test(r.url())) sdkRequests.push(r.url());
  });
  await a.reload();
  await a.goto(`/r/${code}`);
  await expect(a.getByTestId("inviter")).toBeVisible();
  await a.waitForLoadState("networkidle");
  expect(sdkRequests).toEqual([]);
  await ctxA.close();

  const openid = `oE2E${randomBytes(12).toString("hex")}`;
  const ctx = await wechatPhone(browser, baseURL, openid);
  try {
    const page = await ctx.newPage();
    await page.goto(`/r/${code}`);
    await expect(page.getByTestId("inviter")).toBeVisible();
    // The landing's share card: A's masked name and offer, the link itself, the Open Graph picture.
    const landing = await shareCalls(page);
    expect(landing.app).toEqual({ title: `${inviterA} 邀请你加入裂变商城`, desc: "推三返一：下单后 30 天内邀请 3 位好友完成首单，你的订单全额返现。", link: `${baseURL}/r/${code}`, imgUrl: `${baseURL}/api/og/r/${code}` });
    expect(landing.timeline).toEqual({ title: `${inviterA} 邀请你加入裂变商城`, link: `${baseURL}/r/${code}`, imgUrl: `${baseURL}/api/og/r/${code}` });
    // A's link with the product: the card is the product's, from A, and forwarding it keeps the product.
    await page.goto(`/r/${code}?product=${productId}`);
    await expect(page.getByTestId("shared-product")).toContainText(sharedName);
    const productLanding = await shareCalls(page);
    expect(productLanding.app).toEqual({ title: sharedName, desc: linkPreview["og:description"], link: `${baseURL}/r/${code}?product=${productId}`, imgUrl: productPreview["og:image"] });
    await page.screenshot({ path: testInfo.outputPath("invite-product-zh.png"), fullPage: true });

    // The login page inside WeChat goes to WeChat at once (snsapi_base): an unknown openid lands on the bind page.
    await page.goto("/login?callbackUrl=%2Fme");
    // (#wechat_redirect, the fragment of WeChat's consent URL, stays on through the redirects, as in WeChat.)
    await expect(page).toHaveURL(/\/login\/wechat\?callbackUrl=%2Fme(#wechat_redirect)?$/);
    await expect(page.getByRole("heading", { name: "绑定手机号" })).toBeVisible();

    // The shopper agrees to share nickname and avatar: WeChat's consent page (snsapi_userinfo), 允许.
    await page.getByRole("button", { name: "使用微信昵称和头像" }).click();
    await expect(page.getByText("申请获得你的昵称、头像")).toBeVisible();
    await page.getByRole("link", { name: "允许" }).click();
    const nickname = `微信用户${openid.slice(-4)}`;
    await expect(page.getByTestId("wechat-profile")).toContainText(nickname);
    await page.screenshot({ path: testInfo.outputPath("wechat-bind.png"), fullPage: true });

    // Binding a new phone registers the member through the same path as SMS sign-up: bound to A.
    const phone = randomPhone();
    await fillPhone(page, phone);
    await page.getByTestId("legal-consent").check();
    await page.getByRole("button", { name: "获取验证码" }).click();
    await expect(page.getByText(`验证码已发送至 ${masked(phone)}`)).toBeVisible();
    await page.getByPlaceholder("6 位验证码").fill(await readCodeFromOutbox(page, phone));
    await page.getByRole("button", { name: "绑定并登录" }).click();
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByTestId("me-nickname")).toContainText(nickname);
    await expect(page.getByTestId("sponsor")).toHaveText(inviterA);

    // The promote page shares the shopper's own link under their (masked) WeChat nickname.
    await page.goto("/promote");
    const myCode = (await page.getByTestId("my-code").textContent())!.trim();
    const promote = await shareCalls(page);
    expect(promote.app).toMatchObject({ title: `微**${nickname.slice(-1)} 邀请你加入裂变商城`, link: `${baseURL}/r/${myCode}`, imgUrl: `${baseURL}/api/og/r/${myCode}` });

    // Forwarding A's invitation (with or without the product) now shares the shopper's own link, the product kept.
    await page.goto(`/r/${code}?product=${productId}`);
    await expect(page.getByTestId("landing-next")).toBeVisible();
    expect((await shareCalls(page)).app).toMatchObject({ title: sharedName, desc: `微**${nickname.slice(-1)} 推荐给你：${productPreview["og:description"]}`, link: `${baseURL}/r/${myCode}?product=${productId}` });
    await page.goto(`/r/${code}`);
    await expect(page.getByTestId("landing-next")).toBeVisible();
    // A member already: told at once that the sponsor they have stays, not invited to join.
    await expect(page.getByTestId("already-member")).toHaveText("你已是会员，推荐人保持不变，此邀请仅对新用户有效");
    expect((await shareCalls(page)).app).toMatchObject({ title: `微**${nickname.slice(-1)} 邀请你加入裂变商城`, link: `${baseURL}/r/${myCode}`, imgUrl: `${baseURL}/api/og/r/${myCode}` });

    // Buy and pay inside WeChat: the cashier is WeChat Pay JSAPI with our paySign.
    await page.goto("/");
    await page.getByTestId("product-card").first().click();
    await expect(page.getByTestId("product-name")).toBeVisible();
    const productName = (await page.getByTestId("product-name").textContent())!.trim();
    // Forwarded from WeChat's menu, the product page shares the shopper's own link with the product (as its share sheet).
    const product = await shareCalls(page);
    expect(productName).toBe(sharedName);
    expect(product.app).toMatchObject({ title: productName, link: `${baseURL}/r/${myCode}?product=${productId}`, imgUrl: productPreview["og:image"] });
    await page.getByRole("button", { name: "立即购买" }).click();
    await expect(page).toHaveURL(/\/checkout\?sku=.+&qty=1$/);
    await addAddress(page);
    await page.getByRole("button", { name: "提交订单" }).click();
    await expect(page).toHaveURL(/\/pay\/wechatpay\//);
    await expect(page.getByTestId("cashier-amount")).toContainText("¥");
    await page.screenshot({ path: testInfo.outputPath("wechat-cashier.png"), fullPage: true });
    await page.getByRole("button", { name: "确认支付" }).click();
    await expect(page).toHaveURL(/\/orders\/\d+\/result$/);
    await expect(page.getByTestId("pay-result")).toHaveText("支付成功", { timeout: 20_000 });
    const calls = await page.evaluate(() => (window as unknown as { __bridgeCalls: { name: string; params: Record<string, string> }[] }).__bridgeCalls);
    expect(calls.map((c) => c.name)).toEqual(["getBrandWCPayRequest"]);
    expect(calls[0].params).toMatchObject({ appId: process.env.E2E_WX_APPID, signType: "RSA", package: expect.stringMatching(/^prepay_id=wx/) });

    // WeChat only delivers the messages a shopper accepted: the result page offers WeChat's subscribe button.
    await expect(async () => {
      const wxCalls = await page.evaluate(() => (window as unknown as { __wxCalls: WxCall[] }).__wxCalls);
      const config = wxCalls.filter((c) => c[0] === "config").at(-1)?.[1];
      expect(config).toMatchObject({ appId: process.env.E2E_WX_APPID, openTagList: ["wx-open-subscribe"] });
      expect(String(config?.signature)).toMatch(/^[0-9a-f]{40}$/);
    }).toPass({ timeout: 15_000 });
    const templates = process.env.E2E_WX_TEMPLATES!.split(",");
    const tag = page.locator("wx-open-subscribe");
    await expect(tag).toHaveAttribute("template", templates.join(","));
    await page.screenshot({ path: testInfo.outputPath("wechat-paid.png"), fullPage: true });
    // WeChat's answer after the shopper ticks the templates: a success event with subscribeDetails.
    await tag.evaluate((el, ids) => {
      const details = Object.fromEntries(ids.map((id, i) => [id, JSON.stringify({ status: i === 0 ? "reject" : "accept" })]));
      el.dispatchEvent(new CustomEvent("success", { detail: { subscribeDetails: JSON.stringify(details) } }));
    }, templates);
    await expect(page.getByTestId("wechat-subscribe-result")).toHaveText("已订阅：发货、佣金和返现到账会在微信里通知你");
  } finally {
    await ctx.close();
  }

  // The same WeChat user comes back on a fresh browser: signed in without a form (silent snsapi_base).
  const again = await wechatPhone(browser, baseURL, openid);
  try {
    const page = await again.newPage();
    await page.goto("/login?callbackUrl=%2Fme");
    await expect(page).toHaveURL(/\/me(#wechat_redirect)?$/);
    await expect(page.getByTestId("me-nickname")).toContainText(`微信用户${openid.slice(-4)}`);
  } finally {
    await again.close();
  }
});
