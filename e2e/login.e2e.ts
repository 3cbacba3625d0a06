import { devices, expect, test } from "@playwright/test";
import sharp from "sharp";
import { fillPhone, masked, randomPhone, signInByRequest, signInWithSms, testDoorHeaders, testDoorPost } from "./helpers";

test("sign in with an SMS code from the dev outbox, then browse products", async ({ page }, testInfo) => {
  const phone = randomPhone();
  await signInWithSms(page, phone, "/");
  await expect(page).toHaveURL(/\/$/);
  // The development outbox the code was read from, as a developer opens it: the message to the masked number.
  const outbox = await page.context().newPage();
  await outbox.setExtraHTTPHeaders(testDoorHeaders());
  await outbox.goto("/dev/sms");
  await expect(outbox.locator(`[data-testid="sms-item"][data-phone="${masked(phone)}"] [data-testid="sms-body"]`).first()).toContainText("您的登录验证码是");
  await outbox.close();

  // Home shows the seeded catalogue with prices in yuan.
  const cards = page.getByTestId("product-card");
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThan(3);
  await expect(page.getByText("为你推荐")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });

  // The member page shows the masked phone number, never the number itself.
  await page.getByRole("link", { name: "我的" }).click();
  await expect(page.getByText(masked(phone))).toBeVisible();
  expect(await page.content()).not.toContain(phone);

  // Product page: add to cart.
  await page.goto("/");
  await cards.first().click();
  await expect(page.getByTestId("product-name")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("product.png"), fullPage: true });
  await page.getByRole("button", { name: "加入购物车" }).click();
  await expect(page.getByRole("status")).toHaveText("已加入购物车");
  await page.goto("/cart");
  await expect(page.getByText("合计")).toBeVisible();
});

test("a wrong code is refused with a clear message", async ({ page }) => {
  const phone = randomPhone();
  await page.goto("/login");
  await fillPhone(page, phone);
  // Consent is explicit (PIPL): unticked, no code is sent and the page says why.
  await expect(page.getByTestId("legal-consent")).not.toBeChecked();
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "请先阅读并勾选同意" })).toBeVisible();
  await page.getByTestId("legal-consent").check();
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByText(`验证码已发送至 ${masked(phone)}`)).toBeVisible();
  await page.getByPlaceholder("6 位验证码").fill("000000");
  await page.getByRole("button", { name: "登录 / 注册" }).click();
  // (A 1-in-a-million chance that 000000 is the real code.)
  await expect(page.getByRole("alert").filter({ hasText: "验证码错误" })).toContainText("还可尝试 4 次");
});

test("the send button is rate-limited per phone", async ({ page }) => {
  const phone = randomPhone();
  await page.goto("/login");
  await fillPhone(page, phone);
  await page.getByTestId("legal-consent").check();
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect(page.getByRole("button", { name: /秒后重发/ })).toBeDisabled();
  // A second send within 60 s is refused by the server even if the UI is bypassed.
  const versions = (await (await page.request.get("/api/trpc/legal.versions")).json()) as { result: { data: { json: { terms: number; privacy: number } } } };
  const res = await page.request.post("/api/trpc/auth.sendCode?batch=1", {
    data: { "0": { json: { phone, consent: versions.result.data.json } } },
    headers: { "content-type": "application/json" },
  });
  expect(res.status()).toBe(429);
  expect(await res.text()).toContain("发送太频繁");
});

test("a demo shopper from the development seed signs in with her phone (README lists them)", async ({ page }, testInfo) => {
  // 李姐, seeded with 13800000002: her 我的 page shows her nickname and her sponsor 王店长.
  await signInWithSms(page, "13800000002", "/me");
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByTestId("me-nickname")).toHaveText("李姐");
  await expect(page.getByTestId("sponsor")).toHaveText("王*长"); // the inviter masked, as everywhere
  await page.screenshot({ path: testInfo.outputPath("demo-shopper-me.png"), fullPage: true });
});

test("a new shopper gets a friendly generated name and an avatar, and changes the name in 我的 → 编辑资料", async ({ page }, testInfo) => {
  const phone = randomPhone();
  await signInWithSms(page, phone, "/me");
  await expect(page).toHaveURL(/\/me$/);
  const generated = (await page.getByTestId("me-nickname").textContent())!.trim();
  expect(generated).not.toMatch(/^会员|\d/);
  await expect(page.getByTestId("avatar").first()).toBeVisible();
  await page.getByTestId("edit-profile").click();
  await expect(page).toHaveURL(/\/me\/profile$/);
  await expect(page.getByTestId("display-name")).toHaveValue(generated);
  await page.getByTestId("display-name").fill("<b>");
  await page.getByTestId("save-profile").click();
  await expect(page.getByText("昵称只能包含")).toBeVisible();
  await page.getByTestId("display-name").fill("小王同学");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("profile-saved")).toBeVisible();
  await expect(page.getByTestId("masked-preview")).toContainText("小**学");
  await page.screenshot({ path: testInfo.outputPath("profile.png"), fullPage: true });
  await page.goto("/me");
  await expect(page.getByTestId("me-nickname")).toHaveText("小王同学");
  await page.screenshot({ path: testInfo.outputPath("me.png"), fullPage: true });

  // Her own photo as the avatar: uploaded, shown on 我的 and to a visitor of her share link; then back to the glyph.
  await page.goto("/me/profile");
  const photo = await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 20, g: 120, b: 220 } } }).jpeg().toBuffer();
  await page.getByTestId("avatar-file").setInputFiles({ name: "me.jpg", mimeType: "image/jpeg", buffer: photo });
  await expect(page.getByTestId("avatar-saved")).toBeVisible();
  await expect(page.getByTestId("avatar-picture")).toHaveAttribute("src", /^\/media\/p\/[0-9a-f]{2}\/[0-9a-f]{32}_400\.webp$/);
  await page.screenshot({ path: testInfo.outputPath("profile-avatar.png"), fullPage: true });
  const src = await page.getByTestId("avatar-picture").getAttribute("src");
  expect((await page.request.get(src!)).headers()["content-type"]).toBe("image/webp");
  await page.goto("/me");
  await expect(page.getByTestId("avatar-picture")).toHaveAttribute("src", src!);
  const me = await (await page.request.get("/api/trpc/member.me")).json();
  const code = me.result.data.json?.referralCode ?? me.result.data.referralCode;
  const visitor = await page.context().browser()!.newContext({ ...devices["Pixel 7"], baseURL: testInfo.project.use.baseURL });
  const landing = await visitor.newPage();
  await landing.goto(`/r/${code}`);
  await expect(landing.getByTestId("inviter")).toContainText("小**学");
  await expect(landing.getByTestId("avatar-picture")).toHaveAttribute("src", src!);
  await landing.screenshot({ path: testInfo.outputPath("landing-avatar.png") });
  await visitor.close();
  await page.goto("/me/profile");
  await page.getByTestId("reset-avatar").click();
  await expect(page.getByTestId("avatar-picture")).toHaveCount(0);
  await expect(page.getByTestId("avatar").first()).toBeVisible();
});

/** Whether two boxes (page coordinates) share any area. */
function overlaps(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

test("a 12-character name (the most): the masked line follows it as typed and once saved; on 我的 the bell stays clear of 编辑资料 at 412 and 360 px", async ({ page }, testInfo) => {
  await signInByRequest(page, randomPhone());
  await page.goto("/me/profile");
  const name = "测试一二三四五六七八九十";
  expect(Array.from(name)).toHaveLength(12);
  const generated = await page.getByTestId("display-name").inputValue();
  expect(generated.length).toBeGreaterThan(0);
  await expect(page.getByTestId("masked-preview")).toContainText(`：${Array.from(generated)[0]}*`);
  await page.getByTestId("display-name").fill(name);
  // First + two stars + last: 测**十, as soon as it is a name the server takes, and after saving, without a reload.
  // (Soft: the header below is checked as well when these fail.)
  await expect.soft(page.getByTestId("masked-preview")).toContainText("：测**十");
  await page.getByTestId("save-profile").click();
  await expect(page.getByTestId("profile-saved")).toBeVisible();
  await expect.soft(page.getByTestId("masked-preview")).toContainText("：测**十");
  await expect.soft(page.getByTestId("masked-preview")).not.toContainText(`：${Array.from(generated)[0]}*`);

  await page.goto("/me");
  await expect(page.getByTestId("me-nickname")).toHaveText(name);
  for (const width of [412, 360]) {
    await page.setViewportSize({ width, height: 800 });
    const bell = (await page.getByTestId("bell").boundingBox())!;
    const edit = (await page.getByTestId("edit-profile").boundingBox())!;
    const nickname = (await page.getByTestId("me-nickname").boundingBox())!;
    expect(overlaps(bell, edit), `at ${width} px: bell ${JSON.stringify(bell)}, 编辑资料 ${JSON.stringify(edit)}`).toBe(false);
    expect(overlaps(bell, nickname), `at ${width} px: bell ${JSON.stringify(bell)}, name ${JSON.stringify(nickname)}`).toBe(false);
    expect(edit.x + edit.width).toBeLessThanOrEqual(width);
    await page.getByTestId("me-nickname").locator("xpath=ancestor::header").screenshot({ path: testInfo.outputPath(`me-header-${width}.png`) });
  }
});

test("another member's order and a missing one: the same 订单不存在，或不是你的订单 with a link to 我的订单", async ({ page, browser }, testInfo) => {
  await signInByRequest(page, randomPhone());
  const { orderId } = (await testDoorPost(page.request, "/api/test/orders", { action: "buy" })) as { orderId: number };
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId("order-not-found")).toHaveCount(0);

  const other = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL: testInfo.project.use.baseURL, extraHTTPHeaders: testDoorHeaders() });
  const stranger = await other.newPage();
  await signInByRequest(stranger, randomPhone());
  const seen: string[] = [];
  for (const id of [orderId, 99_999_999]) {
    const res = await stranger.goto(`/orders/${id}`);
    expect(res?.status()).toBe(404);
    await expect(stranger.getByRole("heading", { level: 1 })).toHaveText("订单不存在，或不是你的订单");
    await expect(stranger.getByRole("link", { name: "我的订单" })).toHaveAttribute("href", "/orders");
    await expect(stranger.getByText("商品已下架")).toHaveCount(0);
    seen.push((await stranger.locator("main").innerText()).trim());
  }
  // Nothing tells an existing order from a missing one.
  expect(seen[0]).toBe(seen[1]);
  await stranger.screenshot({ path: testInfo.outputPath("order-not-found.png") });
  await other.close();
});

test("退出所有设备 ends the session on every device, the next request already refused", async ({ page, browser }, testInfo) => {
  const phone = randomPhone();
  await signInWithSms(page, phone, "/me");
  await expect(page).toHaveURL(/\/me$/);
  // The same session on a second device (its cookie copied: a new code for this phone is 60 s away).
  const other = await browser.newContext({
    ...devices["Galaxy S9+"],
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    baseURL: testInfo.project.use.baseURL,
    storageState: await page.context().storageState(),
  });
  const second = await other.newPage();
  await second.goto("/me");
  await expect(second.getByTestId("me-nickname")).toBeVisible();

  // On the first phone: 退出所有设备, confirmed.
  await page.getByTestId("sign-out-everywhere").click();
  await expect(page.getByRole("alertdialog")).toContainText("将退出你在所有手机和浏览器上的登录");
  await page.screenshot({ path: testInfo.outputPath("sign-out-everywhere.png"), fullPage: true });
  await page.getByRole("button", { name: "全部退出" }).click();
  await expect(page).toHaveURL(/\/login/);

  // The second phone still holds its cookie, but the server refuses it on the next request.
  await second.goto("/me");
  await expect(second).toHaveURL(/\/login\?callbackUrl=%2Fme/);
  const res = await second.request.get("/api/trpc/member.me?batch=1&input=%7B%7D");
  expect(res.status()).toBe(401);
  await other.close();
});
