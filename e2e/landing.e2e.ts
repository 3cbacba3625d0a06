import { devices, expect, test } from "@playwright/test";
import { completeSmsSignIn, myDisplayName, randomPhone, signInWithSms, testDoorPost } from "./helpers";
import { maskDisplayName } from "../server/members/profile";
import { writeFileSync } from "node:fs";

test.describe("referral landing page", () => {
  test("a member's share link previews well and sets the attribution cookie", async ({ page, request, context }, testInfo) => {
    // Sign up, then read our own code from the 推广 page.
    const sponsorPhone = randomPhone();
    await signInWithSms(page, sponsorPhone, "/promote");
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();
    expect(code).toMatch(/^[2-9A-Z]{6}$/);
    // Sign-up gave a friendly generated name, never the phone's digits.
    const sponsorName = await myDisplayName(page);
    expect(sponsorName).not.toContain(sponsorPhone.slice(-4));
    expect(sponsorName).not.toMatch(/^会员/);

    // Crawlers (no cookies) see Open Graph + Twitter tags in <head>.
    const html = await (await request.get(`/r/${code}`, { headers: { "user-agent": "facebookexternalhit/1.1" } })).text();
    const head = html.slice(0, html.indexOf("</head>"));
    expect(head).toContain('property="og:title"');
    expect(head).toContain('property="og:description"');
    expect(head).toContain(`property="og:image" content="${testInfo.project.use.baseURL}/api/og/r/${code}"`);
    expect(head).toContain('name="twitter:card" content="summary_large_image"');
    expect(head).toContain(`${maskDisplayName(sponsorName)} 邀请你加入裂变商城`);

    // The OG image is a real PNG.
    const image = await request.get(`/api/og/r/${code}`);
    expect(image.status()).toBe(200);
    expect(image.headers()["content-type"]).toBe("image/png");
    const bytes = await image.body();
    expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    await testInfo.attach("og-image", { body: bytes, contentType: "image/png" });

    // A visitor on another phone (another device fingerprint: a shared device would refuse the
    // binding, SPEC §8) sees who invited them and the offer, and gets the fm_ref cookie.
    const visitor = await context.browser()!.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", baseURL: testInfo.project.use.baseURL });
    const vpage = await visitor.newPage();
    await vpage.goto(`/r/${code}`);
    await expect(vpage.getByTestId("inviter")).toHaveText(`${maskDisplayName(sponsorName)} 邀请你加入裂变商城`);
    await expect(vpage.getByText("推三返一").first()).toBeVisible();
    const cookies = await visitor.cookies();
    expect(cookies.find((c) => c.name === "fm_ref")?.value).toMatch(new RegExp(`^${code}_\\d+$`));
    await vpage.screenshot({ path: testInfo.outputPath("landing.png"), fullPage: true });
    // On this 320 px phone the steps wrap only between words: 首单 stays on one line.
    const stepLines = await vpage.getByTestId("landing-steps").evaluate((ol) =>
      [...ol.querySelectorAll("li")].map((li) => {
        const text = li.childNodes[1]!;
        const range = document.createRange();
        const lines = new Map<number, string>();
        for (let i = 0; i < text.textContent!.length; i++) {
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          const top = Math.round(range.getBoundingClientRect().top);
          lines.set(top, (lines.get(top) ?? "") + text.textContent![i]);
        }
        return [...lines.values()].map((l) => l.replace(/[\u200b\u00a0 ]/g, "")).filter(Boolean);
      }),
    );
    expect(stepLines[2]).toEqual(stepLines[2]!.length === 1 ? ["好友首单后返现"] : ["好友首单", "后返现"]);
    expect(stepLines[1]).toEqual(stepLines[1]!.length === 1 ? ["分享给3位好友"] : ["分享给", "3位好友"]);
    expect(stepLines[0]).toEqual(["注册并下单"]);

    // Signing up binds the visitor to the sponsor (their 推荐人).
    await vpage.getByTestId("accept-invite").click();
    await expect(vpage).toHaveURL(/\/login/);
    await signInWithSms(vpage, randomPhone(), "/me");
    await expect(vpage).toHaveURL(/\/me$/);
    await expect(vpage.getByTestId("sponsor")).toHaveText(maskDisplayName(sponsorName));
    await visitor.close();
  });

  test("a product share link shows the product; 接受邀请 signs up and returns to it with a banner naming the inviter", async ({ page, context }, testInfo) => {
    await signInWithSms(page, randomPhone(), "/promote");
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();
    const inviter = maskDisplayName(await myDisplayName(page));

    const visitor = await context.browser()!.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", baseURL: testInfo.project.use.baseURL });
    const vpage = await visitor.newPage();
    await vpage.goto(`/r/${code}?product=1`);
    const shared = vpage.getByTestId("shared-product");
    await expect(shared).toContainText(`${inviter} 分享给你的好物`);
    await expect(shared).toContainText("¥");
    const productName = (await shared.getByRole("link").nth(1).textContent())!.trim();
    await vpage.screenshot({ path: testInfo.outputPath("landing-product.png"), fullPage: true });

    await vpage.getByTestId("accept-invite").click();
    await expect(vpage).toHaveURL(/\/login\?callbackUrl=%2Fproduct%2F1%3Fjoined%3D1$/);
    await completeSmsSignIn(vpage, randomPhone());
    await expect(vpage).toHaveURL(/\/product\/1\?joined=1$/);
    // (The banner starts with the inviter's avatar glyph.)
    await expect(vpage.getByTestId("joined-banner")).toContainText(`欢迎加入裂变商城！你的推荐人是 ${inviter}`);
    await expect(vpage.getByTestId("product-name")).toHaveText(productName);
    await vpage.screenshot({ path: testInfo.outputPath("joined-product.png") });
    // Opening the share link again as a member: no sign-up any more, the product is the next step.
    await vpage.goto(`/r/${code}?product=1`);
    await expect(vpage.getByTestId("accept-invite")).toHaveCount(0);
    await expect(vpage.getByTestId("landing-next")).toHaveText("查看这件商品");
    await expect(vpage.getByTestId("landing-next")).toHaveAttribute("href", "/product/1");
    await visitor.close();
  });

  test("a friend on the same phone model is bound; a sign-up on the sponsor's own phone is refused as a shared device, explained on return and in 我的", async ({ page, context }, testInfo) => {
    // The inviter signs up on a Pixel 7.
    await signInWithSms(page, randomPhone(), "/promote");
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();
    const inviter = maskDisplayName(await myDisplayName(page));

    // A friend on another Pixel 7 (every signal of the model alike) is another device: bound (SPEC §2).
    const friend = await context.browser()!.newContext({ ...devices["Pixel 7"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL: testInfo.project.use.baseURL });
    const mate = await friend.newPage();
    await mate.goto(`/r/${code}`);
    await mate.getByTestId("accept-invite").click();
    await completeSmsSignIn(mate, randomPhone());
    await expect(mate).toHaveURL(new RegExp(`/r/${code}\\?joined=1$`));
    await expect(mate.getByTestId("binding-refusal")).toHaveCount(0);
    await mate.goto("/me");
    await expect(mate.getByTestId("sponsor")).toHaveText(inviter);
    await friend.close();

    // A second account signed up on the inviter's own phone (signed out, the browser's storage kept): the same device (SPEC §8).
    await context.clearCookies();
    const fpage = await context.newPage();
    await fpage.goto(`/r/${code}`);
    await fpage.getByTestId("accept-invite").click();
    await completeSmsSignIn(fpage, randomPhone());
    // Back on the campaign page that was shared, told why no one is their 推荐人.
    await expect(fpage).toHaveURL(new RegExp(`/r/${code}\\?joined=1$`));
    await expect(fpage.getByTestId("binding-refusal")).toContainText("同一台设备");
    // Signed up: the page says what to do next instead of asking to sign up again.
    await expect(fpage.getByTestId("accept-invite")).toHaveCount(0);
    await expect(fpage.getByTestId("landing-next")).toHaveText("去逛逛，下单即可参与");
    await fpage.screenshot({ path: testInfo.outputPath("joined-refused.png") });
    await fpage.goto("/me");
    await expect(fpage.getByTestId("sponsor")).toHaveText("无");
    await expect(fpage.getByTestId("binding-refusal")).toContainText("同一台设备");
  });

  test("a member is told at once their sponsor stays; the sharer's own link is their invitation page; a gone product says so; 44 px taps", async ({ page, context }, testInfo) => {
    // A shares; B, a member from before, opens A's link later (no ?joined=1).
    await signInWithSms(page, randomPhone(), "/promote");
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();
    const inviter = maskDisplayName(await myDisplayName(page));
    const other = await context.browser()!.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", baseURL: testInfo.project.use.baseURL });
    const b = await other.newPage();
    await signInWithSms(b, randomPhone(), "/me");
    await expect(b).toHaveURL(/\/me$/);
    await b.goto(`/r/${code}`);
    await expect(b.getByTestId("already-member")).toHaveText("你已是会员，推荐人保持不变，此邀请仅对新用户有效");
    await expect(b.getByTestId("inviter")).toHaveText(`${inviter} 的分享`);
    await expect(b.getByText("新人注册即可参与")).toHaveCount(0);
    await expect(b.getByTestId("accept-invite")).toHaveCount(0);
    await expect(b.getByTestId("landing-next")).toHaveAttribute("href", "/");
    await b.screenshot({ path: testInfo.outputPath("member-other-link.png"), fullPage: true });
    // A product that is gone or off sale is named as such above the invitation, not silently dropped.
    await b.goto(`/r/${code}?product=999999`);
    await expect(b.getByTestId("product-gone")).toHaveText("该商品已下架或不存在");
    await expect(b.getByTestId("shared-product")).toHaveCount(0);
    await b.screenshot({ path: testInfo.outputPath("product-gone.png"), fullPage: true });
    await other.close();

    // A on their own link: not "invited by themselves", but their invitation page leading to sharing it.
    await page.goto(`/r/${code}?product=1`);
    await expect(page.getByTestId("inviter")).toHaveText("这是你的邀请页");
    await expect(page.getByText("邀请你加入")).toHaveCount(0);
    await expect(page.getByTestId("own-share")).toHaveAttribute("href", "/promote");
    await expect(page.getByTestId("landing-next")).toHaveAttribute("href", "/product/1");
    await expect(page.getByTestId("accept-invite")).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath("own-link.png"), fullPage: true });

    // A visitor's text links are tap targets at least 44 px high.
    const visitor = await context.browser()!.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", baseURL: testInfo.project.use.baseURL });
    const v = await visitor.newPage();
    await v.goto(`/r/${code}?product=1`);
    for (const link of [v.getByTestId("landing-browse"), v.getByTestId("shared-product").getByRole("link").nth(1)]) expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await visitor.close();
  });

  test("in English on a 320 px phone the invitation's pill holds its label", async ({ page, context }, testInfo) => {
    await signInWithSms(page, randomPhone(), "/promote");
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();
    const phone = await context.browser()!.newContext({ ...devices["Pixel 7"], viewport: { width: 320, height: 640 }, locale: "en-US", baseURL: testInfo.project.use.baseURL });
    await phone.addCookies([{ name: "fm_lang", value: "en", url: testInfo.project.use.baseURL! }]);
    const v = await phone.newPage();
    await v.goto(`/r/${code}?product=1`);
    const pill = v.getByTestId("accept-invite");
    await expect(pill).toHaveText("Accept the invitation and see this product");
    // The label's lines sit inside the pill, clear of its rounded ends (12 px at least each side), and the pill inside the 320 px page.
    const fit = await pill.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const [box, text] = [el.getBoundingClientRect(), range.getBoundingClientRect()];
      return { left: text.left - box.left, right: box.right - text.right, top: text.top - box.top, bottom: box.bottom - text.bottom, pageRight: box.right };
    });
    expect(fit.left).toBeGreaterThanOrEqual(12);
    expect(fit.right).toBeGreaterThanOrEqual(12);
    expect(fit.top).toBeGreaterThanOrEqual(0);
    expect(fit.bottom).toBeGreaterThanOrEqual(0);
    expect(fit.pageRight).toBeLessThanOrEqual(320);
    await v.screenshot({ path: testInfo.outputPath("landing-en-320.png"), fullPage: true });
    await phone.close();
  });

  test("with 推三返一 off the landing promises no cashback, and the site's description follows the rules in force", async ({ page, request }, testInfo) => {
    test.setTimeout(120_000);
    const before = (await testDoorPost(request, "/api/test/config", {})) as { config: { rebate: object } };
    const description = async (path: string) => {
      const html = await (await request.get(path, { headers: { "user-agent": "facebookexternalhit/1.1" } })).text();
      return /<meta name="description" content="([^"]*)"/.exec(html.slice(0, html.indexOf("</head>")))?.[1] ?? null;
    };
    await signInWithSms(page, randomPhone(), "/promote");
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();
    const visitor = await page.context().browser()!.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", baseURL: testInfo.project.use.baseURL });
    const v = await visitor.newPage();
    try {
      await testDoorPost(request, "/api/test/config", { rebate: { enabled: false } });
      // An anonymous page may be the shared page cache's copy for a few seconds more: look again until it follows.
      await expect(async () => {
        await v.goto(`/r/${code}`);
        await expect(v.getByTestId("landing-headline")).toHaveText("好友推荐，一起逛逛", { timeout: 1_000 });
      }).toPass({ timeout: 30_000 });
      await expect(v.getByText("推三返一")).toHaveCount(0);
      await expect(v.getByText("返现")).toHaveCount(0);
      await expect(v.getByTestId("landing-steps")).toHaveCount(0);
      await v.screenshot({ path: testInfo.outputPath("landing-rebate-off.png"), fullPage: true });
      writeFileSync(testInfo.outputPath("og-rebate-off.png"), await (await request.get(`/api/og/r/${code}`)).body());
      await expect.poll(() => description("/r/ZZZZZZ"), { timeout: 30_000 }).toBe("精选正品好物，新人注册即可购物。");

      await testDoorPost(request, "/api/test/config", { rebate: { enabled: true, n: 5, percent: 50 } });
      await expect.poll(() => description("/r/ZZZZZZ"), { timeout: 30_000 }).toBe("好物低价，推三返一：下单后 30 天内邀请 5 位好友完成首单，你的订单返还 50%。");
    } finally {
      // Later tests see the seeded campaign again.
      await testDoorPost(request, "/api/test/config", { rebate: before.config.rebate });
      await visitor.close();
    }
  });

  test("an unknown code's link carrying a product previews the product it offers", async ({ request }, testInfo) => {
    const preview = async (path: string) => {
      const html = await (await request.get(path, { headers: { "user-agent": "facebookexternalhit/1.1" } })).text();
      const head = html.slice(0, html.indexOf("</head>"));
      return Object.fromEntries([...head.matchAll(/<meta property="(og:[a-z:_]+)" content="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    };
    const product = await preview("/product/1");
    expect(product["og:title"]).toBeTruthy();
    expect(await preview("/r/ZZZZZZ?product=1")).toMatchObject({ "og:title": product["og:title"], "og:image": product["og:image"] });
    // The unknown code's own picture: the shop's, nothing to claim (its words: tests/share-landing-honesty.test.ts).
    const image = await request.get("/api/og/r/ZZZZZZ");
    expect(image.headers()["content-type"]).toBe("image/png");
    writeFileSync(testInfo.outputPath("og-unknown.png"), await image.body());
  });

  test("an unknown code shows a friendly page and does not displace an earlier link", async ({ page, context }, testInfo) => {
    const earlier = `ABCDEF.${Math.floor(Date.now() / 1000) + 3600}`;
    await context.addCookies([{ name: "fm_ref", value: earlier, url: testInfo.project.use.baseURL }]);
    const res = await page.goto("/r/ZZZZZZ");
    expect(res?.status()).toBe(200);
    await expect(page.getByTestId("invalid-invite")).toBeVisible();
    await expect(page.getByRole("link", { name: "进入商城" })).toBeVisible();
    // The proxy made ZZZZZZ current; the page puts the earlier link back since no member owns ZZZZZZ.
    await expect.poll(async () => (await context.cookies()).find((c) => c.name === "fm_ref")?.value ?? null).toBe(earlier);
  });
});
