// Runs last (files run in name order): the product it creates has options and sorts first on the
// home page, where other e2e files pick products by position.
// Catalogue end to end: a merchant operator on desktop Chromium (1440×900) creates a product with two
// pictures and two SKUs (颜色 黑 / 白, each its own price, stock and picture, chosen by thumbnail); a shopper on a phone picks a SKU
// (price and stock follow it), buys two through checkout and the sandbox cashier; the SKU's stock
// drops by two and it appears in the merchant's low-stock list; an ordinary SKU is found by the stock page's search
// and restocked there. Screenshots of every page.
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import sharp from "sharp";
import { createStaff, fillAddressForm, productStock, randomPhone, signInWithSms, staffSignIn } from "./helpers";

async function desktopStaff(browser: Browser, testInfo: TestInfo, role: "operator" | "owner", path: string): Promise<Page> {
  // A desktop browser, not the project's phone: no touch, no mobile viewport, scale 1.
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: false,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
    baseURL: testInfo.project.use.baseURL,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
  });
  const page = await context.newPage();
  await staffSignIn(page, await createStaff(page, role, { totp: role === "owner" }), path);
  await expect(page).toHaveURL(new RegExp(`${path}$`));
  return page;
}

async function skuStock(page: Page): Promise<number> {
  return productStock(page);
}

test("an operator creates a product with two SKUs; a shopper buys one at its price and its stock drops", async ({ browser, page }, testInfo) => {
  test.setTimeout(240_000);
  const title = `E2E 速干T恤 ${Date.now() % 100000}`;

  // Operator, desktop: the product list, then a new product.
  const op = await desktopStaff(browser, testInfo, "operator", "/merchant/products");
  await expect(op.getByTestId("product-row").first()).toBeVisible();
  await op.screenshot({ path: testInfo.outputPath("merchant-products.png"), fullPage: true });
  await op.getByTestId("new-product").click();
  await expect(op).toHaveURL(/\/merchant\/products\/new$/);

  await op.getByLabel("商品标题").fill(title);
  await op.getByLabel("分类").selectOption("home");
  await op.getByLabel("商品详情（Markdown）").fill("## 面料\n\n**速干** 网眼面料，<script>alert(1)</script> 夏季必备。");
  // Two pictures (blue, then orange): the white SKU gets the second, chosen by its thumbnail.
  const colour = (r: number, g: number, b: number) => sharp({ create: { width: 900, height: 900, channels: 3, background: { r, g, b } } }).jpeg().toBuffer();
  await op.getByTestId("image-input").setInputFiles([
    { name: "tee.jpg", mimeType: "image/jpeg", buffer: await colour(30, 110, 200) },
    { name: "tee-orange.jpg", mimeType: "image/jpeg", buffer: await colour(240, 140, 20) },
  ]);
  await expect(op.getByTestId("gallery-image")).toHaveCount(2);
  const thumbs = await op.getByTestId("gallery-image").locator("img").evaluateAll((imgs) => imgs.map((i) => i.getAttribute("src")!));

  // Saving without prices shows the form's own messages and creates nothing.
  await op.getByRole("button", { name: "添加规格组" }).click();
  await op.getByLabel("规格名（如 颜色）").fill("颜色");
  await op.getByLabel("规格值，用逗号或空格分隔（如 红 蓝）").fill("黑 白");
  await expect(op.getByTestId("sku-row")).toHaveCount(2);
  await op.getByTestId("save-product").click();
  await expect(op.getByTestId("form-errors")).toContainText("价格：请输入金额");

  await op.getByLabel("价格（元） 黑").fill("99");
  await op.getByLabel("库存 黑").fill("5");
  await op.getByLabel("价格（元） 白").fill("129.50");
  await op.getByLabel("库存 白").fill("3");

  // Each SKU's picture is chosen by thumbnail; before a choice it is the product's main picture.
  const whiteRow = op.locator('[data-testid="sku-row"][data-options="白"]');
  const blackRow = op.locator('[data-testid="sku-row"][data-options="黑"]');
  const whitePick = whiteRow.getByRole("button", { name: "图片 白" });
  await expect(whitePick).toHaveAccessibleDescription("使用商品主图");
  await whitePick.click();
  await expect(whitePick).toHaveAttribute("aria-expanded", "true");
  const whiteChoices = whiteRow.getByRole("group", { name: "选择 白 的图片" });
  await expect(whiteChoices.getByRole("button", { name: "使用商品主图" })).toHaveAttribute("aria-pressed", "true");
  // The choices show the gallery's own thumbnails, in its order.
  expect(await whiteChoices.locator("img").evaluateAll((imgs) => imgs.map((i) => i.getAttribute("src")))).toEqual(thumbs);
  await op.screenshot({ path: testInfo.outputPath("merchant-product-sku-picture.png"), fullPage: true });
  await whiteChoices.getByRole("button", { name: "图片 2", exact: true }).click();
  await expect(whiteChoices).toHaveCount(0);
  await expect(whitePick).toBeFocused();
  await expect(whitePick).toHaveAccessibleDescription("图片 2");
  await expect(whitePick.locator("img")).toHaveAttribute("src", thumbs[1]!);
  // By keyboard: the black SKU gets picture 1 (the arrows move, Enter chooses); Escape closes without a change.
  const blackPick = blackRow.getByRole("button", { name: "图片 黑" });
  await blackPick.focus();
  await op.keyboard.press("Enter");
  await expect(blackRow.getByRole("button", { name: "使用商品主图" })).toBeFocused();
  await op.keyboard.press("ArrowRight");
  await op.keyboard.press("ArrowRight");
  await op.keyboard.press("ArrowLeft");
  await expect(blackRow.getByRole("button", { name: "图片 1", exact: true })).toBeFocused();
  await op.keyboard.press("Enter");
  await expect(blackPick).toHaveAccessibleDescription("图片 1");
  await op.keyboard.press("Enter");
  await op.keyboard.press("ArrowRight");
  await op.keyboard.press("Escape");
  await expect(blackRow.getByRole("group")).toHaveCount(0);
  await expect(blackPick).toBeFocused();
  await expect(blackPick).toHaveAccessibleDescription("图片 1");
  await expect(blackPick.locator("img")).toHaveAttribute("src", thumbs[0]!);
  await op.screenshot({ path: testInfo.outputPath("merchant-product-new.png"), fullPage: true });
  await op.getByTestId("save-product").click();

  await expect(op).toHaveURL(/\/merchant\/products$/);
  const row = op.getByTestId("product-row").filter({ hasText: title });
  await expect(row).toContainText("¥99.00 ~ ¥129.50");
  await expect(row.locator("td").nth(3)).toHaveText("8");
  await expect(row.locator("td").nth(4)).toHaveText("2");
  const productId = await row.getAttribute("data-row-id");
  await op.screenshot({ path: testInfo.outputPath("merchant-products-after.png"), fullPage: true });
  // The saved choices, shown again when the product is edited.
  await op.goto(`/merchant/products/${productId}`);
  await expect(whitePick).toHaveAccessibleDescription("图片 2");
  await expect(whitePick.locator("img")).toHaveAttribute("src", thumbs[1]!);
  await expect(blackPick).toHaveAccessibleDescription("图片 1");
  await op.screenshot({ path: testInfo.outputPath("merchant-product-edit-sku-pictures.png"), fullPage: true });
  // The stored picture of a thumbnail ("<hash>_400.webp" is the thumbnail of "<hash>.webp").
  const picture = (thumb: string) => thumb.replace(/_400\.webp$/, ".webp");

  // Shopper, phone: the SKU picker.
  const phone = randomPhone();
  await signInWithSms(page, phone, `/product/${productId}`);
  await expect(page.getByTestId("product-name")).toHaveText(title);
  await expect(page.getByTestId("product-price")).toHaveAttribute("data-fen", "9900");
  expect(await skuStock(page)).toBe(8);
  await expect(page.getByTestId("markdown").locator("strong")).toHaveText("速干");
  await expect(page.getByTestId("markdown").locator("script")).toHaveCount(0);
  await page.getByRole("button", { name: "立即购买" }).click();
  await expect(page.getByRole("status")).toHaveText("请选择 颜色");
  await page.getByRole("radio", { name: "黑" }).click();
  await expect(page.getByTestId("product-price")).toHaveAttribute("data-fen", "9900");
  expect(await skuStock(page)).toBe(5);
  // Choosing a SKU shows its picture: black the first, white the second.
  const shownPicture = page.getByTestId("gallery").getByRole("button", { name: /^商品图片/ }).and(page.locator('[aria-current="true"]'));
  await expect(page.getByTestId("gallery-counter")).toHaveText("1/2");
  await page.getByRole("radio", { name: "白" }).click();
  await expect(page.getByTestId("product-price")).toHaveAttribute("data-fen", "12950");
  await expect(page.getByTestId("product-price")).toContainText("129");
  await expect(page.getByTestId("gallery-counter")).toHaveText("2/2");
  await expect(shownPicture.locator("img")).toHaveAttribute("src", thumbs[1]!);
  expect(await skuStock(page)).toBe(3);
  await page.getByRole("button", { name: "增加数量" }).click();
  await expect(page.getByTestId("qty")).toHaveText("2");
  await page.screenshot({ path: testInfo.outputPath("shop-sku-picker.png"), fullPage: true });
  await page.getByRole("button", { name: "立即购买" }).click();

  // Checkout shows the chosen options, its price and quantity.
  await expect(page).toHaveURL(/\/checkout\?sku=/);
  await expect(page.getByTestId("checkout-line")).toContainText(title);
  await expect(page.getByTestId("checkout-sku")).toHaveText("颜色：白");
  await expect(page.getByTestId("checkout-line").locator("img")).toHaveAttribute("src", picture(thumbs[1]!));
  await expect(page.getByTestId("checkout-line")).toContainText("×2");
  await expect(page.getByTestId("checkout-goods")).toHaveAttribute("data-fen", "25900");
  await fillAddressForm(page, { name: "王小明", phone: "13912345678", region: ["浙江省", "杭州市", "西湖区"], detail: "文三路 100 号 3 幢 501 室" });
  await expect(page.getByTestId("checkout-address")).toContainText("王小明");
  await page.screenshot({ path: testInfo.outputPath("shop-checkout-sku.png"), fullPage: true });
  await page.getByRole("button", { name: "提交订单" }).click();
  await expect(page).toHaveURL(/\/pay\/sandbox\//);
  await expect(page.getByTestId("cashier-amount")).toContainText("259.00");
  await page.getByRole("button", { name: "确认支付" }).click();
  await expect(page.getByTestId("pay-result")).toHaveText("支付成功", { timeout: 20_000 });
  const orderId = /\/orders\/(\d+)\/result/.exec(page.url())![1];
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId("order-line-sku")).toHaveText("颜色：白");
  await page.screenshot({ path: testInfo.outputPath("shop-order-sku.png"), fullPage: true });

  // The white SKU's stock dropped by two; black is untouched.
  await page.goto(`/product/${productId}`);
  await page.getByRole("radio", { name: "白" }).click();
  expect(await skuStock(page)).toBe(1);
  await page.getByRole("radio", { name: "白" }).click();
  await page.getByRole("radio", { name: "黑" }).click();
  expect(await skuStock(page)).toBe(5);
  await expect(page.getByTestId("gallery-counter")).toHaveText("1/2");
  await expect(shownPicture.locator("img")).toHaveAttribute("src", thumbs[0]!);

  // The operator sees it in the low-stock list and restocks it with a reason.
  await op.goto("/merchant/stock");
  // Both SKUs are low (1 and 5 ≤ 10); the white one first, emptiest first.
  const lows = op.locator(`[data-testid="low-stock-row"]`).filter({ hasText: title });
  await expect(lows).toHaveCount(2);
  const low = lows.filter({ hasText: "颜色：白" });
  await expect(lows.first()).toContainText("颜色：白");
  await expect(low.locator("td").nth(3)).toHaveText("1");
  await low.getByRole("button", { name: "调整库存" }).click();
  await low.getByLabel("调整数量（+ 入库 / − 出库）").fill("20");
  await low.getByLabel("原因").fill("补货入库");
  await low.getByRole("button", { name: "保存" }).click();
  await expect(op.locator(`[data-testid="low-stock-row"]`).filter({ hasText: title })).toHaveCount(1);
  await expect(op.locator(`[data-testid="low-stock-row"]`).filter({ hasText: title })).toContainText("颜色：黑");
  await expect(op.getByTestId("stock-history-row").first()).toContainText("补货入库");
  await expect(op.getByTestId("stock-history-row").first()).toContainText("21");
  await op.screenshot({ path: testInfo.outputPath("merchant-stock.png"), fullPage: true });

  // A new category with an emoji icon, ordered before the others; its commission rates must fall by level.
  await op.goto("/merchant/categories");
  await expect(op.getByTestId("category-row").first()).toBeVisible();
  const slug = `e2e-${Date.now() % 100000}`;
  await op.getByLabel("标识", { exact: true }).fill(slug);
  await op.getByLabel("名称", { exact: true }).fill("户外运动");
  await op.getByLabel("图标（emoji）", { exact: true }).fill("🎽");
  await op.getByLabel("排序", { exact: true }).fill("-100");
  await op.getByRole("button", { name: "+ 新建分类" }).click();
  await expect(op.getByTestId("category-row").first()).toHaveAttribute("data-slug", slug);
  // Commission rates are program rules: the operator sees them, only the owner changes them.
  const opRow = op.locator(`[data-testid="category-row"][data-slug="${slug}"]`);
  await expect(opRow.getByLabel("L1 户外运动")).toBeDisabled();
  await expect(opRow.getByTestId("save-rates")).toHaveCount(0);
  await expect(op.getByText("佣金比例属于分销规则，仅店主可修改")).toBeVisible();
  await op.context().close();

  const owner = await desktopStaff(browser, testInfo, "owner", "/merchant/categories");
  const cat = owner.locator(`[data-testid="category-row"][data-slug="${slug}"]`);
  await cat.getByLabel("L1 户外运动").fill("5");
  await cat.getByLabel("L2 户外运动").fill("8");
  await cat.getByTestId("save-rates").click();
  // (Next.js keeps an empty role="alert" route announcer on every page: the page's own message is a <p>.)
  const problem = owner.locator('p[role="alert"]');
  await expect(problem).toHaveText("佣金比例须满足 一级 ≥ 二级 ≥ 三级");
  await cat.getByLabel("L2 户外运动").fill("2");
  await cat.getByTestId("save-rates").click();
  await expect(cat.getByRole("button", { name: "恢复默认" })).toBeVisible();
  await expect(problem).toHaveCount(0);
  await owner.screenshot({ path: testInfo.outputPath("merchant-categories.png"), fullPage: true });

  // The shop lists it first, with its icon.
  await page.goto("/category");
  await expect(page.getByRole("link").filter({ hasText: "户外运动" }).getByTestId("category-icon")).toHaveText("🎽");
  await expect(page.locator('a[href^="/category/"]').first()).toHaveAttribute("href", `/category/${slug}`);
  await page.screenshot({ path: testInfo.outputPath("shop-categories.png"), fullPage: true });

  // The owner's audit log has the product's creation and the restock, by the operator.
  await owner.goto(`/merchant/audit?target=product:${productId}`);
  await expect(owner.getByTestId("audit-row").filter({ hasText: "catalog.product.create" })).toContainText("测试operator");
  await owner.goto(`/merchant/audit?target=category:${slug}`);
  await expect(owner.getByTestId("audit-row").filter({ hasText: "catalog.category.create" })).toContainText("测试operator");
  await expect(owner.getByTestId("audit-row").filter({ hasText: "catalog.category.rates" })).toHaveCount(1);
  await owner.goto("/merchant/audit?action=catalog.stock.adjust");
  await expect(owner.getByTestId("audit-row").filter({ hasText: "补货入库" }).first()).toContainText("测试operator");
  await owner.screenshot({ path: testInfo.outputPath("merchant-audit-catalog.png"), fullPage: true });
  await owner.context().close();
});

test("stock search: an operator finds an ordinary SKU (not low) by name or code and restocks it from the stock page", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const op = await desktopStaff(browser, testInfo, "operator", "/merchant/stock");
  // The seeded rice has hundreds in stock: never in the low-stock list.
  await expect(op.getByRole("heading", { name: "库存预警" })).toBeVisible();
  await expect(op.locator(`[data-testid="low-stock-row"][data-code="fresh-rice"]`)).toHaveCount(0);

  const search = op.getByRole("searchbox", { name: "SKU 编码或商品名称" });
  await search.fill("稻花香");
  await op.getByRole("search").getByRole("button", { name: "搜索" }).click();
  await expect(op).toHaveURL(/[?&]q=/);
  const row = op.locator(`[data-testid="stock-search-row"][data-code="fresh-rice"]`);
  await expect(row).toContainText("五常稻花香大米 5kg");
  const before = Number(await row.locator("td").nth(3).textContent());
  expect(before).toBeGreaterThan(10);

  // By code, in another case: the same SKU.
  await search.fill("FRESH-RICE");
  await search.press("Enter");
  await expect(op.getByTestId("stock-search-row")).toHaveCount(1);
  await expect(row.locator("td").nth(3)).toHaveText(String(before));

  await row.getByRole("button", { name: "调整库存" }).click();
  await row.getByLabel("调整数量（+ 入库 / − 出库）").fill("5");
  await row.getByLabel("原因").fill("到货入库（搜索）");
  await op.screenshot({ path: testInfo.outputPath("merchant-stock-search-adjust.png"), fullPage: true });
  await row.getByRole("button", { name: "保存" }).click();
  await expect(row.locator("td").nth(3)).toHaveText(String(before + 5));
  await expect(op.getByTestId("stock-history-row").first()).toContainText("到货入库（搜索）");
  await expect(op.getByTestId("stock-history-row").first()).toContainText(String(before + 5));
  await op.screenshot({ path: testInfo.outputPath("merchant-stock-search.png"), fullPage: true });

  await search.fill("没有这个商品");
  await search.press("Enter");
  await expect(op.getByTestId("stock-search-none")).toHaveText("没有编码或商品名称包含「没有这个商品」的 SKU");
  await op.context().close();
});

test("shoppers and staff of other areas are kept out of the catalogue pages and the upload route", async ({ page }, testInfo) => {
  await signInWithSms(page, randomPhone(), "/");
  await page.goto("/merchant/products");
  await expect(page).toHaveURL(/\/merchant\/login/);
  const png = { file: { name: "x.png", mimeType: "image/png", buffer: Buffer.from("x") } };
  expect((await page.request.post("/api/merchant/uploads", { multipart: png })).status()).toBe(401);
  await staffSignIn(page, await createStaff(page, "finance"), "/merchant");
  for (const path of ["/merchant/products", "/merchant/products/new", "/merchant/stock", "/merchant/categories"]) {
    await page.goto(path);
    await expect(page.getByTestId("forbidden")).toBeVisible();
  }
  await page.screenshot({ path: testInfo.outputPath("finance-forbidden.png"), fullPage: true });
  expect((await page.request.post("/api/merchant/uploads", { multipart: png })).status()).toBe(403);
});

test("two operators edit one product: the later save from the older page is refused, nothing of the first is undone", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const first = await desktopStaff(browser, testInfo, "operator", "/merchant/products");
  const id = await first.getByTestId("product-row").first().getAttribute("data-row-id");
  const second = await desktopStaff(browser, testInfo, "operator", "/merchant/products");
  await first.goto(`/merchant/products/${id}`);
  await second.goto(`/merchant/products/${id}`);
  const original = await first.getByLabel("商品标题").inputValue();

  await first.getByLabel("商品标题").fill(`${original}（新版）`);
  await first.getByTestId("save-product").click();
  await expect(first).toHaveURL(/\/merchant\/products$/);

  // The second page still holds the version it loaded: its save is refused and says why.
  await second.getByLabel("商品详情（Markdown）").fill("另一位同事的修改");
  await second.getByTestId("save-product").click();
  await expect(second.getByTestId("form-errors")).toContainText("商品已被他人修改，请刷新后再保存");
  await expect(second.getByTestId("save-product")).toBeDisabled();
  await second.screenshot({ path: testInfo.outputPath("merchant-product-stale.png"), fullPage: true });
  await second.getByTestId("reload-product").click();
  await expect(second.getByLabel("商品标题")).toHaveValue(`${original}（新版）`);

  // Put the title back (other files pick products by name): a save from the fresh page goes through.
  await second.getByLabel("商品标题").fill(original);
  await second.getByTestId("save-product").click();
  await expect(second).toHaveURL(/\/merchant\/products$/);
  await first.context().close();
  await second.context().close();
});

test("a category of 45 products pages 40 at a time: 加载更多 shows the other 5, and a bad cursor shows the first page with a notice", async ({ browser, page }, testInfo) => {
  test.setTimeout(240_000);
  // A category of its own, listed last; its products sort last on the home page too (other files pick products by position).
  const op = await desktopStaff(browser, testInfo, "operator", "/merchant/products");
  const slug = `e2e-paging-${Date.now() % 100000}`;
  const trpc = async (path: string, json: unknown) => {
    const res = await op.request.post(`/api/trpc/${path}`, { data: { json } });
    expect(res.status(), await res.text()).toBe(200);
    return ((await res.json()) as { result: { data: { json: unknown } } }).result.data.json;
  };
  await trpc("merchantCatalog.createCategory", { slug, name: "分页测试", sort: 10_000 });
  // Shelf sorts 900000..900002 in turn, so the page order (shelf sort, then id) is not creation order.
  const created: { id: number; sort: number }[] = [];
  for (let i = 0; i < 45; i++) {
    const sort = 900_000 + (i % 3);
    const { id } = (await trpc("merchantCatalog.createProduct", { name: `分页商品 ${i + 1}`, category: slug, skus: [{ options: [], priceFen: 1000 + i, stock: 10 }], sort })) as { id: number };
    created.push({ id, sort });
  }
  await op.context().close();
  const expected = [...created].sort((a, b) => a.sort - b.sort || a.id - b.id).map((p) => `/product/${p.id}`);
  const cards = page.getByTestId("product-card");
  const shown = () => cards.evaluateAll((as) => as.map((a) => a.getAttribute("href")));

  // The first page: the first 40 in order, and 加载更多.
  await page.goto(`/category/${slug}`);
  await expect(cards).toHaveCount(40);
  const first = await shown();
  expect(first).toEqual(expected.slice(0, 40));
  await expect(page.getByTestId("category-cursor-reset")).toHaveCount(0);
  await expect(page.getByTestId("category-first-page")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("category-page-1.png"), fullPage: true });

  // 加载更多: the other 5, none of the first page's, and nothing more to load.
  await page.getByTestId("category-load-more").click();
  await expect(page).toHaveURL(/[?&]cursor=/);
  await expect(cards).toHaveCount(5);
  const rest = await shown();
  expect(rest).toEqual(expected.slice(40));
  expect(new Set([...first, ...rest]).size).toBe(45);
  await expect(page.getByTestId("category-load-more")).toHaveCount(0);
  await expect(page.getByText("没有更多了")).toBeVisible();
  await expect(page.getByTestId("category-first-page")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("category-page-2.png"), fullPage: true });
  const cursor = new URL(page.url()).searchParams.get("cursor")!;

  // A cursor the catalogue did not make, or another sort's: the first page again, with a notice, never an error page.
  for (const bad of [`cursor=garbage`, `sort=price_desc&cursor=${encodeURIComponent(cursor)}`]) {
    const res = await page.goto(`/category/${slug}?${bad}`);
    expect(res?.status(), bad).toBe(200);
    await expect(page.getByTestId("category-cursor-reset")).toHaveText("翻页位置无效，已为你显示第一页");
    await expect(cards).toHaveCount(40);
    await expect(page.getByTestId("category-load-more")).toBeVisible();
    await expect(page.getByTestId("category-first-page")).toHaveCount(0);
  }
  // By price, high to low: the 40 dearest (1044 … 1005 fen, created last first).
  expect(await shown()).toEqual(created.slice(5).reverse().map((p) => `/product/${p.id}`));
  await page.screenshot({ path: testInfo.outputPath("category-bad-cursor.png"), fullPage: true });
});
