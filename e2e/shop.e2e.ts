// The mall as a shopper meets it, on a phone: the cart's ticks (totals per selection, checkout of the
// ticked lines only, delete, empty state with recommendations); the address book in 我的 with the
// 省/市/区 picker and the phone check; the cart's bars on a phone with a home indicator; the campaign's own
// words on the home page; the product page (gallery, sales, stock in words, 分享赚 ¥X from
// the L1 rate in force and its share sheet with the product poster, the 推三返一 cashback).
import { devices, expect, test, type Locator, type Page } from "@playwright/test";
import { completeSmsSignIn, fillAddressForm, myDisplayName, pickRegion, randomPhone, signInByRequest, signInWithSms } from "./helpers";
import { maskDisplayName } from "../server/members/profile";

/** "¥268.00" → 26800 (string arithmetic, no floats). */
function fen(text: string): number {
  const m = /(\d+)\.(\d{2})/.exec(text.replace(/[,\s]/g, ""));
  if (!m) throw new Error(`no amount in ${text}`);
  return Number(m[1]) * 100 + Number(m[2]);
}

async function openProduct(page: Page, name: string) {
  await page.goto("/");
  await page.getByTestId("product-card").filter({ hasText: name }).first().click();
  await expect(page.getByTestId("product-name")).toHaveText(name);
}

async function addToCart(page: Page, name: string) {
  await openProduct(page, name);
  await page.getByRole("button", { name: "加入购物车" }).click();
  await expect(page.getByRole("status")).toHaveText("已加入购物车");
}

test("cart: tick and untick lines, totals follow the ticks, checkout takes the ticked lines, delete, empty state", async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  await signInWithSms(page, randomPhone(), "/");
  await expect(page).toHaveURL(/\/$/);
  await addToCart(page, "明前西湖龙井 250g"); // 268.00
  await addToCart(page, "赣南脐橙 5kg 装"); // 59.90

  await page.goto("/cart");
  const lines = page.getByTestId("cart-line");
  await expect(lines).toHaveCount(2);
  await expect(page.getByTestId("cart-total")).toHaveAttribute("data-fen", "32790");
  await expect(page.getByTestId("cart-checkout")).toHaveText("去结算(2)");

  await page.getByLabel("选择 明前西湖龙井 250g").uncheck();
  await expect(page.getByTestId("cart-total")).toHaveAttribute("data-fen", "5990");
  await expect(page.getByTestId("cart-checkout")).toHaveText("去结算(1)");
  await expect(page.getByTestId("cart-select-all")).not.toBeChecked();
  await page.screenshot({ path: testInfo.outputPath("cart-partly-ticked.png"), fullPage: true });

  // 全选 on, off and on again.
  await page.getByTestId("cart-select-all").check();
  await expect(page.getByTestId("cart-total")).toHaveAttribute("data-fen", "32790");
  await page.getByTestId("cart-select-all").uncheck();
  await expect(page.getByTestId("cart-total")).toHaveAttribute("data-fen", "0");
  await expect(page.getByTestId("cart-checkout")).toHaveAttribute("aria-disabled", "true");
  await page.getByTestId("cart-select-all").check();
  await expect(page.getByTestId("cart-total")).toHaveAttribute("data-fen", "32790");

  // Checkout only the oranges: the tea stays in the cart, unticked.
  await page.getByLabel("选择 明前西湖龙井 250g").uncheck();
  await expect(page.getByTestId("cart-total")).toHaveAttribute("data-fen", "5990");
  await page.getByTestId("cart-checkout").click();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByTestId("checkout-line")).toHaveCount(1);
  await expect(page.getByTestId("checkout-line")).toContainText("赣南脐橙");
  await fillAddressForm(page, { name: "王小明", phone: "13912345678", region: ["广东省", "深圳市", "南山区"], detail: "科技园南路 8 号" });
  await expect(page.getByTestId("checkout-address")).toContainText("广东省 深圳市 南山区 科技园南路 8 号");
  await page.getByRole("button", { name: "提交订单" }).click();
  await expect(page).toHaveURL(/\/pay\/sandbox\//);

  await page.goto("/cart");
  await expect(lines).toHaveCount(1);
  await expect(lines).toContainText("明前西湖龙井");
  await expect(lines).toHaveAttribute("data-selected", "false");

  // 管理 → 删除: the empty cart recommends products.
  await page.getByTestId("cart-manage").click();
  await page.getByTestId("cart-delete").click();
  await expect(page.getByTestId("cart-empty")).toBeVisible();
  await expect(page.getByRole("region", { name: "为你推荐" }).getByTestId("product-card").first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("cart-empty.png"), fullPage: true });
});

test("cart on a phone with a home indicator: the checkout bar stays above the tab bar, the last line scrolls clear of it", async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  // A small phone whose browser reports 34 px of bottom safe area (an iPhone's home indicator, viewport-fit=cover).
  await page.setViewportSize({ width: 320, height: 640 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setSafeAreaInsetsOverride", { insets: { top: 47, bottom: 34, left: 0, right: 0 } });
  await signInByRequest(page, randomPhone());
  for (const name of ["明前西湖龙井 250g", "赣南脐橙 5kg 装", "每日坚果 30袋礼盒", "福州茉莉花茶 罐装 100g", "云南勐海普洱熟茶饼 357g", "内蒙古风干牛肉干 500g"]) await addToCart(page, name);
  await page.goto("/cart");
  const lines = page.getByTestId("cart-line");
  await expect(lines).toHaveCount(6);

  const box = async (l: Locator) => (await l.boundingBox())!;
  const tabBar = await box(page.getByRole("navigation", { name: "主导航" }));
  const checkoutBar = await box(page.getByTestId("cart-total").locator(".."));
  expect(checkoutBar.y + checkoutBar.height).toBeLessThanOrEqual(tabBar.y + 1);
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  const last = await box(lines.last());
  expect(last.y + last.height).toBeLessThanOrEqual(checkoutBar.y);
  await page.screenshot({ path: testInfo.outputPath("cart-safe-area.png") });
  // Nothing lies over the last line's + or over 去结算: both take the tap.
  await lines.last().getByRole("button", { name: "增加" }).click({ trial: true });
  await page.getByTestId("cart-checkout").click();
  await expect(page).toHaveURL(/\/checkout$/);
});

test("address book in 我的: add with the 省/市/区 picker, phone check, edit, default, delete", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await signInWithSms(page, randomPhone(), "/me");
  await expect(page).toHaveURL(/\/me$/);
  await page.getByTestId("me-addresses").click();
  await expect(page).toHaveURL(/\/me\/addresses$/);
  await expect(page.getByText("还没有收货地址")).toBeVisible();

  await page.getByTestId("address-add").click();
  // A landline-like number is refused by the form before anything is sent.
  await fillAddressForm(page, { name: "李四", phone: "12912345678", region: ["浙江省", "杭州市", "西湖区"], detail: "文三路 100 号" });
  await expect(page.getByTestId("phone-error")).toHaveText("请输入 1 开头的 11 位手机号");
  await page.screenshot({ path: testInfo.outputPath("address-phone-error.png"), fullPage: true });
  await page.getByLabel("手机号").fill("13912345678");
  await page.getByRole("button", { name: "保存地址" }).click();
  const rows = page.getByTestId("address-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("浙江省 杭州市 西湖区 文三路 100 号");
  await expect(rows.first().getByTestId("address-default")).toBeVisible(); // the first address is the default

  // A municipality: 北京市 is not repeated.
  await page.getByTestId("address-add").click();
  await fillAddressForm(page, { name: "王五", phone: "13712345678", region: ["北京市", "北京市", "东城区"], detail: "东长安街 1 号" });
  await expect(rows).toHaveCount(2);
  await expect(page.getByText("北京市 东城区 东长安街 1 号")).toBeVisible();

  // 设为默认 on the second, then edit its district.
  const wang = rows.filter({ hasText: "王五" });
  await wang.getByRole("button", { name: "设为默认" }).click();
  await expect(wang.getByTestId("address-default")).toBeVisible();
  await expect(rows.first()).toContainText("王五"); // default first
  await wang.getByRole("button", { name: "编辑" }).click();
  await pickRegion(page, ["北京市", "北京市", "西城区"]);
  await page.getByRole("button", { name: "保存地址" }).click();
  await expect(page.getByText("北京市 西城区 东长安街 1 号")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("address-book.png"), fullPage: true });

  // Delete the default: the other becomes the default.
  page.once("dialog", (d) => void d.accept());
  await rows.filter({ hasText: "王五" }).getByRole("button", { name: "删除" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId("address-default")).toBeVisible();

  // Checkout reads the same book.
  await addToCart(page, "赣南脐橙 5kg 装");
  await page.goto("/checkout");
  await expect(page.getByTestId("checkout-address")).toContainText("李四");
});

test("product page: gallery, sales, stock in words, 分享赚 ¥X (L1 rate in force) with the poster, 推三返一 cashback", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  // A visitor is no distributor: no commission is promised them (SPEC §4), only the cashback their own order would get; 分享 asks them to sign in.
  await openProduct(page, "明前西湖龙井 250g");
  await expect(page.getByTestId("product-stock")).toHaveText("有货"); // 200 in stock, never shown as a number
  await expect(page.getByTestId("product-stock")).not.toContainText("200");
  await expect(page.getByTestId("product-sales")).toHaveText(/^已售 \d+$/);
  // Default rules: 推三返一 100% = 268.00.
  await expect(page.getByTestId("share-earn")).toHaveText("分享");
  await expect(page.getByTestId("share-standing")).toHaveCount(0);
  await expect(page.getByText("你可获得佣金")).toHaveCount(0);
  await expect(page.getByTestId("product-cashback")).toContainText("可返 ¥268.00");
  await expect(page.getByTestId("gallery")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("product-visitor.png"), fullPage: true });
  await page.getByTestId("share-earn").click();
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fproduct%2F\d+/);

  await signInWithSms(page, randomPhone(), new URL(page.url()).searchParams.get("callbackUrl")!);
  await expect(page.getByTestId("product-name")).toHaveText("明前西湖龙井 250g");
  // A member is a distributor from sign-up (distributorMode everyone, the default): L1 10% of 268.00 = 26.80.
  await expect(page.getByTestId("share-earn")).toHaveText("分享赚 ¥26.80");
  await expect(page.getByTestId("share-standing")).toHaveText("分享赚好友通过你的链接购买，你可获得佣金");
  await page.screenshot({ path: testInfo.outputPath("product-distributor.png"), fullPage: true });
  await page.getByTestId("share-earn").click();
  const sheet = page.getByRole("dialog", { name: "分享给好友" });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByTestId("share-sheet-link")).toHaveText(/\/r\/[A-Z0-9]+\?product=\d+$/);
  const poster = sheet.getByTestId("share-poster");
  await expect(poster).toHaveAttribute("src", /\/promote\/poster\?product=\d+$/);
  await expect.poll(() => poster.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 30_000 }).toBe(true);
  await page.screenshot({ path: testInfo.outputPath("product-share-sheet.png"), fullPage: false });
  await sheet.getByRole("button", { name: "取消" }).click();

  // The quantity stepper and a low-stock product in words.
  await page.getByRole("button", { name: "增加数量" }).click();
  await expect(page.getByTestId("qty")).toHaveText("2");
  await openProduct(page, "降噪蓝牙耳机 Pro");
  expect(fen((await page.getByTestId("share-earn").textContent())!)).toBe(3_990); // 10% of 399.00
  await expect(page.getByTestId("product-stock")).toHaveText(/^(有货|仅剩少量|已售罄)$/);
});

test("a product with 规格 (the demo's 草莓, its gift box sold out): 已售罄 on the chip, the price over what can be bought, 推三返一 stated once", async ({ page }, testInfo) => {
  // Seeded: 1kg 尝鲜装 69.90 (240), 2kg 家庭装 129.00 (150), 2kg 精品礼盒（限量） 169.00 sold out; default 推三返一 100%, no cap.
  await openProduct(page, "丹东红颜草莓 现摘现发");
  const gift = page.getByRole("radio", { name: "2kg 精品礼盒（限量），已售罄" });
  await expect(gift).toHaveAttribute("aria-disabled", "true");
  await expect(gift.getByTestId("sku-sold-out")).toHaveText("已售罄");
  await expect(page.getByTestId("sku-sold-out")).toHaveCount(1);
  // The range before a choice is of the buyable 规格 (69.90-129.00, not -169.00); the cashback the highest of theirs.
  await expect(page.getByTestId("product-price")).toHaveText("¥69.90-¥129.00");
  await expect(page.getByTestId("product-stock")).toHaveText("有货");
  await expect(page.getByTestId("product-cashback")).toHaveCount(1);
  await expect(page.getByTestId("product-cashback")).toContainText("最高可返 ¥129.00");
  await expect(page.getByText(/本单全额返现/)).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("product-sku-before-choice.png"), fullPage: true });
  // A tap on the sold-out chip chooses nothing and says why (force: Playwright waits for an aria-disabled element to enable; a finger does not).
  await gift.click({ force: true });
  await expect(gift).toHaveAttribute("aria-checked", "false");
  await expect(page.getByRole("status")).toHaveText("2kg 精品礼盒（限量） 已售罄，请选择其他规格");
  await expect(page.getByTestId("product-price")).toHaveText("¥69.90-¥129.00");
  await page.screenshot({ path: testInfo.outputPath("product-sku-sold-out-tapped.png"), fullPage: false });
  // Choosing a 规格: its price and its own cashback.
  await page.getByRole("radio", { name: "1kg 尝鲜装" }).click();
  await expect(page.getByTestId("product-price")).toHaveText("¥69.90");
  await expect(page.getByTestId("product-cashback")).toContainText("可返 ¥69.90");
  await expect(page.getByTestId("product-cashback")).not.toContainText("最高");
  await page.getByRole("radio", { name: "2kg 家庭装" }).click();
  await expect(page.getByTestId("product-cashback")).toContainText("可返 ¥129.00");
  await expect(page.getByTestId("sku-selected")).toHaveText("已选：2kg 家庭装");
  await page.screenshot({ path: testInfo.outputPath("product-sku-chosen.png"), fullPage: true });
});

test("a shared product in distributorMode first_order: the visitor is promised no amount and 先逛逛 goes back to it; a new member is told how to qualify", async ({ page, browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const setCommission = async (commission: object) => {
    const res = await page.request.post("/api/test/config", { data: { commission } });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()) as { config: { commission: object } };
  };
  const before = (await (await page.request.post("/api/test/config", { data: {} })).json()) as { config: { commission: object } };
  const friend = await browser.newContext({ ...devices["Galaxy S9+"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL: testInfo.project.use.baseURL });
  try {
    await setCommission({ distributorMode: "first_order" });
    // A shares the tea: their link with the product.
    await signInWithSms(page, randomPhone(), "/promote");
    await expect(page).toHaveURL(/\/promote$/);
    const code = (await page.getByTestId("my-code").textContent())!.trim();
    const nameA = maskDisplayName(await myDisplayName(page));
    await page.goto("/");
    const productId = /\/product\/(\d+)$/.exec((await page.getByTestId("product-card").filter({ hasText: "明前西湖龙井 250g" }).first().getAttribute("href"))!)![1]!;

    // The friend, signed out: 接受邀请 leads to the login page, which names A as the landing did and goes back to the product.
    const b = await friend.newPage();
    await b.goto(`/r/${code}?product=${productId}`);
    await b.getByTestId("accept-invite").click();
    await expect(b).toHaveURL(/\/login\?callbackUrl=/);
    await expect(b.getByTestId("login-inviter")).toHaveText(`由 ${nameA} 邀请`);
    await expect(b.getByTestId("login-back")).toHaveAttribute("href", `/product/${productId}`);
    await b.screenshot({ path: testInfo.outputPath("login-from-share.png"), fullPage: true });
    await b.getByTestId("login-back").click();
    await expect(b).toHaveURL(new RegExp(`/product/${productId}$`));
    await expect(b.getByTestId("product-name")).toHaveText("明前西湖龙井 250g");
    await expect(b.getByTestId("share-earn")).toHaveText("分享");
    await expect(b.getByTestId("share-standing")).toHaveCount(0);
    await expect(b.getByText("你可获得佣金")).toHaveCount(0);
    await b.screenshot({ path: testInfo.outputPath("first-order-visitor-product.png"), fullPage: true });

    // Signed up (not a distributor until a first order is paid, SPEC §4): a plain 分享 and how to qualify, the promotion centre's words.
    await b.getByTestId("share-earn").click();
    await expect(b).toHaveURL(/\/login\?callbackUrl=%2Fproduct%2F\d+/);
    await completeSmsSignIn(b, randomPhone());
    await expect(b.getByTestId("product-name")).toHaveText("明前西湖龙井 250g");
    await expect(b.getByTestId("share-earn")).toHaveText("分享");
    await expect(b.getByTestId("share-standing")).toHaveAttribute("data-kind", "qualify");
    await expect(b.getByTestId("share-standing")).toHaveText("分享完成首单即可成为分销员");
    await expect(b.getByText("你可获得佣金")).toHaveCount(0);
    await b.screenshot({ path: testInfo.outputPath("first-order-member-product.png"), fullPage: true });

    // The anonymous copy (the page cache's) holds none of a member's words.
    const html = await (await request.get(`/product/${productId}`, { headers: { accept: "text/html" } })).text();
    expect(html).toContain("明前西湖龙井 250g");
    expect(html).not.toContain("完成首单即可成为分销员");
    // (The page's client messages hold the words "分享赚 ¥{amount}" themselves: look for an amount.)
    expect(html).not.toContain("分享赚 ¥26.80");
    expect(html).not.toContain("你可获得佣金");
    expect(html).toContain('data-testid="share-earn" data-fen="0">分享</button>');
  } finally {
    await friend.close();
    await setCommission(before.config.commission);
  }
});

test("home: the 推三返一 banner and strip state the campaign in force (invitees, cashback), and go while it is off", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const before = (await (await page.request.post("/api/test/config", { data: {} })).json()) as { config: { rebate: object } };
  const setRebate = async (rebate: object) => {
    const res = await page.request.post("/api/test/config", { data: { rebate } });
    expect(res.status(), await res.text()).toBe(200);
  };
  // An anonymous home page may be the shared page cache's copy for a few seconds more: look again until it follows.
  const onHome = (check: () => Promise<void>) =>
    expect(async () => {
      await page.goto("/");
      await check();
    }).toPass({ timeout: 30_000 });
  const events = page.getByRole("region", { name: "活动" });
  try {
    await setRebate({ enabled: true, n: 5, percent: 50 });
    await onHome(() => expect(page.getByTestId("home-rebate")).toContainText("下单后邀请 5 位好友首单，本单返还 50%", { timeout: 1_000 }));
    await expect(events).toContainText("邀请 5 位好友首单，你的订单返还 50%");
    await page.screenshot({ path: testInfo.outputPath("home-rebate-5.png") });

    await setRebate({ enabled: false });
    await onHome(() => expect(page.getByTestId("home-rebate")).toHaveCount(0, { timeout: 1_000 }));
    await expect(events.getByText("立即参与")).toHaveCount(0);
    await expect(events.getByTestId("product-banner").first()).toBeVisible();
  } finally {
    // Later tests see the seeded campaign again.
    await setRebate(before.config.rebate);
  }
});

test("home: catalogue banners and search (partial Chinese input, categories); category sorts; 404 titles", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.goto("/");
  await expect(page.getByTestId("product-banner").first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("home-search.png") });

  // "龙井绿茶" is in no title: its two-character pieces still find the 龙井.
  await page.getByTestId("search-input").fill("龙井绿茶");
  await page.getByTestId("search-input").press("Enter");
  await expect(page).toHaveURL(/\/search\?q=/);
  await expect(page.getByTestId("search-results").getByTestId("product-card").first()).toContainText("明前西湖龙井");
  await expect(page).toHaveTitle(/^搜索“龙井绿茶” · /);
  await page.screenshot({ path: testInfo.outputPath("search-results.png"), fullPage: true });

  // A category name finds its products; nothing found says so and recommends.
  await page.goto(`/search?q=${encodeURIComponent("茗茶")}`);
  await expect(page.getByTestId("search-results").getByTestId("product-card")).toHaveCount(3);
  await page.goto(`/search?q=${encodeURIComponent("咖啡机")}`);
  await expect(page.getByTestId("search-empty")).toContainText("没有找到");
  await expect(page.getByTestId("product-card").first()).toBeVisible();

  // The demo's 草莓 comes in 规格 of 69.90, 129.00 and 169.00 元: its card reads from the lowest (起); one price reads bare.
  await page.goto("/category/fresh");
  await expect(page.getByTestId("product-card").filter({ hasText: "丹东红颜草莓" }).getByTestId("card-price")).toHaveText("¥69.90起");
  await expect(page.getByTestId("product-card").filter({ hasText: "赣南脐橙" }).getByTestId("card-price")).toHaveText("¥59.90");

  // Category sorts (茉莉花茶 69.00 < 普洱 158.00 < 龙井 268.00).
  await page.goto("/category/tea");
  await page.getByTestId("sort-bar").getByRole("link", { name: "价格从低到高" }).click();
  await expect(page).toHaveURL(/\/category\/tea\?sort=price_asc$/);
  const cards = page.getByTestId("product-card");
  await expect(cards.first()).toContainText("福州茉莉花茶");
  await expect(cards.last()).toContainText("明前西湖龙井");
  await page.getByTestId("sort-bar").getByRole("link", { name: "价格从高到低" }).click();
  await expect(page).toHaveURL(/sort=price_desc$/);
  await expect(cards.first()).toContainText("明前西湖龙井");
  // Cards never show a stock number: words when low or sold out, else what sold (已售 N) or nothing.
  for (const text of await page.getByTestId("card-stock").allTextContents()) expect(text).toMatch(/^(|已售 \d+|仅剩少量|已售罄)$/);
  await page.getByTestId("sort-bar").getByRole("link", { name: "销量" }).click();
  await expect(page.getByTestId("sort-bar").getByRole("link", { name: "销量" })).toHaveAttribute("aria-current", "true");
  await page.screenshot({ path: testInfo.outputPath("category-sorted.png"), fullPage: true });
  // A 加载更多 cursor the page did not make (edited, or another sort's) shows the first page with a notice, not a 500.
  expect((await page.goto("/category/tea?sort=price_asc&cursor=sales.0.0.1"))?.status()).toBe(200);
  await expect(page.getByTestId("category-cursor-reset")).toHaveText("翻页位置无效，已为你显示第一页");
  await expect(cards.first()).toContainText("福州茉莉花茶");
  // The seeded tea category fits on one page: no 加载更多.
  await expect(page.getByTestId("category-load-more")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("category-cursor-reset.png"), fullPage: true });

  // Not-found pages say what was not found in their title.
  // (A missing product or category keeps its own title, or the not-found page's: both say it.)
  expect((await page.goto("/product/999999"))?.status()).toBe(404);
  await expect(page).toHaveTitle(/^(商品不存在|页面不存在) · /);
  expect((await page.goto("/category/no-such-category"))?.status()).toBe(404);
  await expect(page).toHaveTitle(/^(分类不存在|页面不存在) · /);
  expect((await page.goto("/no-such-page"))?.status()).toBe(404);
  await expect(page).toHaveTitle(/^页面不存在 · /);
});
