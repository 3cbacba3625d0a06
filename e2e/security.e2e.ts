// HTTP hardening (issue 8) on the production build: security headers on a page, an API route,
// /media and a build asset; the page's scripts carry the per-request CSP nonce and run (no CSP
// violation while walking the shop and the back office); a cross-site tRPC mutation and a cross-site
// server action are refused with 403.
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import { createStaff, randomPhone, signInWithSms, staffSignIn } from "./helpers";

const EVIL = "https://evil.example";

function directive(policy: string, name: string): string | undefined {
  return policy.split(";").map((d) => d.trim()).find((d) => d === name || d.startsWith(`${name} `));
}

function expectCommonHeaders(headers: Record<string, string>, what: string) {
  expect(headers["x-content-type-options"], what).toBe("nosniff");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], what).toContain("camera=()");
  expect(directive(headers["content-security-policy"] ?? "", "frame-ancestors"), what).toBe("frame-ancestors 'none'");
  // Served over plain http here: no HSTS.
  expect(headers["strict-transport-security"], what).toBeUndefined();
}

/** Collects CSP violations (console reports and securitypolicyviolation events) of a page. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|CSP violation|Refused to (execute|load|apply|connect|frame|evaluate)/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
  });
  return violations;
}

/** Opens `path` and waits until Next's client has booted (its scripts ran under the CSP). */
async function visit(page: Page, path: string, testInfo: TestInfo, name: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version), undefined, { timeout: 20_000 });
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test("security headers on a page, an API route, /media and a build asset; the page's scripts carry the nonce", async ({ request }) => {
  const page = await request.get("/");
  const headers = page.headers();
  expectCommonHeaders(headers, "page");
  const policy = headers["content-security-policy"]!;
  const nonce = /'nonce-([^']+)'/.exec(directive(policy, "script-src") ?? "")?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(directive(policy, "script-src")).not.toContain("'unsafe-inline'");
  expect(directive(policy, "script-src")).not.toContain("'unsafe-eval'");
  // Every script in the HTML carries this response's nonce (Next read it from the request).
  const html = await page.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(scripts.length).toBeGreaterThan(2);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  // A fresh nonce per request.
  expect((await request.get("/")).headers()["content-security-policy"]).not.toBe(policy);

  const api = await request.get("/api/trpc/catalog.categories");
  expect(api.status()).toBe(200);
  expectCommonHeaders(api.headers(), "API route");
  expect(directive(api.headers()["content-security-policy"]!, "default-src")).toBe("default-src 'none'");

  const media = await request.get("/media/aa/does-not-exist.webp");
  expect(media.status()).toBe(404);
  expectCommonHeaders(media.headers(), "/media");

  const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset).toBeTruthy();
  const assetRes = await request.get(asset!);
  expect(assetRes.status()).toBe(200);
  expectCommonHeaders(assetRes.headers(), "build asset");
});

test("a cross-site tRPC mutation and a cross-site server action are refused with 403", async ({ request }) => {
  const mutation = await request.post("/api/trpc/auth.sendCode", {
    headers: { origin: EVIL, "content-type": "application/json" },
    data: { json: { phone: "13800000001" } },
  });
  expect(mutation.status()).toBe(403);
  expect(await mutation.text()).toContain("跨站请求已拒绝");
  const forged = await request.post("/api/trpc/auth.sendCode", {
    headers: { "sec-fetch-site": "cross-site", "content-type": "application/json" },
    data: { json: { phone: "13800000001" } },
  });
  expect(forged.status()).toBe(403);

  const action = await request.post("/merchant/login", { headers: { origin: EVIL, "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" }, data: "[]" });
  expect(action.status()).toBe(403);
  expect(await action.text()).toContain("跨站请求已拒绝");
});

test("bad input is a 400 with a clear message, not a 500", async ({ request }) => {
  const overflow = await request.get(`/api/trpc/catalog.product?input=${encodeURIComponent(JSON.stringify({ json: { id: 2_147_483_648 } }))}`);
  expect(overflow.status()).toBe(400);
  expect(await overflow.text()).toContain("编号无效");
  const nul = await request.get(`/api/trpc/catalog.category?input=${encodeURIComponent(JSON.stringify({ json: { slug: "tea\u0000" } }))}`);
  expect(nul.status()).toBe(400);
  expect(await nul.text()).toContain("NUL");
});

test("no CSP violation while walking the shop pages (our own mutations pass the origin check)", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const violations = await watchCsp(page);
  await visit(page, "/login", testInfo, "login");
  // Sign-in sends real tRPC mutations from the page: same-origin, so they are not refused.
  await signInWithSms(page, randomPhone(), "/");
  await expect(page).toHaveURL(/\/$/);
  await visit(page, "/", testInfo, "home");
  const product = await page.locator('a[href^="/product/"]').first().getAttribute("href");
  const category = await page.locator('a[href^="/category/"]').first().getAttribute("href");
  expect(product && category).toBeTruthy();
  await visit(page, product!, testInfo, "product");
  await visit(page, category!, testInfo, "category");
  for (const path of ["/cart", "/promote", "/me", "/me/addresses", "/orders", "/wallet", "/notifications"]) await visit(page, path, testInfo, path.slice(1));
  expect(violations).toEqual([]);
});

async function staffContextPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  return context.newPage();
}

test("no CSP violation while walking the back office as the owner", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const page = await staffContextPage(browser, testInfo);
  const violations = await watchCsp(page);
  await visit(page, "/merchant/login", testInfo, "merchant-login");
  // The sign-in is a server action posted from our own page: it passes the origin check.
  await staffSignIn(page, await createStaff(page, "owner"), "/merchant");
  await expect(page).toHaveURL(/\/merchant$/);
  for (const path of ["/merchant", "/merchant/orders", "/merchant/after-sales", "/merchant/products", "/merchant/products/new", "/merchant/categories", "/merchant/stock", "/merchant/members", "/merchant/withdrawals", "/merchant/risk", "/merchant/audit", "/merchant/staff", "/merchant/account"]) {
    await visit(page, path, testInfo, `merchant${path.replaceAll("/", "-")}`);
  }
  expect(violations).toEqual([]);
  await page.context().close();
});
