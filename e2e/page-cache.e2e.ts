// The shared-page cache (issue 14, item 6; server/page-cache.ts) on the production build: anonymous views
// of /, /product/ID and /r/CODE share one rendered copy, each with its own CSP nonce; a signed-in shopper's
// bits never reach that copy; each language has its own; cached landing views are still counted.
import { devices, expect, request as playwrightRequest, test, type APIResponse, type Response } from "@playwright/test";
import { randomPhone, signInWithSms } from "./helpers";

/** A browser's page load asks for HTML; the page cache serves copies to page loads only (not to the router's RSC fetches). */
const PAGE_LOAD = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
const nonceOf = (res: APIResponse) => /'nonce-([^']+)'/.exec(res.headers()["content-security-policy"] ?? "")?.[1];

test("anonymous views share a copy with a fresh nonce each; a signed-in shopper's share link never reaches it", async ({ page, request }) => {
  await signInWithSms(page, randomPhone(), "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  const productId = /\/product\/(\d+)/.exec(await (await request.get("/")).text())![1];

  // Signed in: the page is rendered for them, with their own share link (分享赚).
  const mine = await page.request.get(`/product/${productId}`);
  expect(await mine.text()).toContain(`/r/${code}?product=${productId}`);

  // Anonymous, twice: the same page, no trace of the shopper, each copy's scripts on its own nonce.
  const a = await request.get(`/product/${productId}`, { headers: PAGE_LOAD });
  const b = await request.get(`/product/${productId}`, { headers: PAGE_LOAD });
  const nonces = new Set<string>();
  for (const res of [a, b]) {
    expect(res.status()).toBe(200);
    const nonce = nonceOf(res)!;
    nonces.add(nonce);
    const html = await res.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).not.toContain(code);
    expect(res.headers()["x-frame-options"]).toBe("DENY");
  }
  expect(nonces.size).toBe(2);
  // The second was the copy the first (or an earlier view) left, not a render of its own.
  expect(b.headers()["x-fm-page-cache"]).toBe("hit");

  // And the signed-in shopper still gets their own page after anonymous views filled the cache.
  expect(await (await page.request.get(`/product/${productId}`)).text()).toContain(`/r/${code}?product=${productId}`);
  // Unknown products are still 404.
  expect((await request.get("/product/999999999")).status()).toBe(404);
});

test("each language has its own copy", async ({ baseURL }) => {
  const zh = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: PAGE_LOAD });
  const en = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: PAGE_LOAD, storageState: { cookies: [{ name: "fm_lang", value: "en", domain: new URL(baseURL!).hostname, path: "/", expires: -1, httpOnly: false, secure: false, sameSite: "Lax" }], origins: [] } });
  for (let i = 0; i < 2; i++) {
    const zhHtml = await (await zh.get("/")).text();
    const enHtml = await (await en.get("/")).text();
    expect(zhHtml).toContain('<html lang="zh-CN"');
    expect(zhHtml).toContain("为你推荐");
    expect(enHtml).toContain('<html lang="en"');
    expect(enHtml).toContain("Recommended for you");
    expect(enHtml).not.toContain("为你推荐");
  }
  expect((await zh.get("/")).headers()["x-fm-page-cache"]).toBe("hit");
  expect((await en.get("/")).headers()["x-fm-page-cache"]).toBe("hit");
  await zh.dispose();
  await en.dispose();
});

test("a landing page served from the cache still sets the ref cookie and counts the visit", async ({ page, baseURL }) => {
  await signInWithSms(page, randomPhone(), "/promote");
  await expect(page).toHaveURL(/\/promote$/);
  const code = (await page.getByTestId("my-code").textContent())!.trim();
  await page.goto("/promote?tab=team");
  const visits = page.getByTestId("funnel").locator("div.text-lg").first();
  await expect(visits).toHaveText("0");

  // Three visitors on their own phones: the first fills the cache, the next two get its copy.
  for (let i = 0; i < 3; i++) {
    // A phone's browser: a fetch without one's user agent is a script's, not a visit (lib/crawler-ua.ts).
    const visitor = await playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { ...PAGE_LOAD, "user-agent": devices["Pixel 7"].userAgent } });
    const res = await visitor.get(`/r/${code}`);
    expect(res.status()).toBe(200);
    if (i > 0) expect(res.headers()["x-fm-page-cache"]).toBe("hit");
    expect(await res.text()).toContain('data-testid="inviter"');
    expect((await visitor.storageState()).cookies.find((c) => c.name === "fm_ref")?.value).toMatch(new RegExp(`^${code}_\\d+$`));
    await visitor.dispose();
  }
  // Visits are written in batches (within a second).
  await expect(async () => {
    await page.reload();
    await expect(visits).toHaveText("3", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
});

test("a page served from a copy settles (network idle, no console error); the router's RSC fetches never get a copy", async ({ page, request }) => {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${page.url()}: console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${page.url()}: page error: ${e.message}`));
  const rsc: Response[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).searchParams.has("_rsc")) rsc.push(r);
  });
  const productPath = /\/product\/\d+/.exec(await (await request.get("/")).text())![0];
  const fresh = async () => {
    for (const path of ["/", productPath]) await request.get(path, { headers: PAGE_LOAD }); // leaves fresh copies
  };
  await fresh();
  const res = await page.goto("/");
  expect(res?.headers()["x-fm-page-cache"]).toBe("hit");
  await page.waitForLoadState("networkidle", { timeout: 15_000 });
  // A client navigation to a page that has a copy: the router fetches it as RSC. Before the fix it got the
  // HTML copy (the proxy cannot see the RSC headers); an unread copy for a prefetch kept the page from going quiet.
  await fresh();
  await page.locator(`a[href="${productPath}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`${productPath}$`));
  await page.waitForLoadState("networkidle", { timeout: 15_000 });
  await expect(page.locator("h1")).toHaveCount(1);
  expect(rsc.some((r) => new URL(r.url()).pathname === productPath), "the router fetched the product page as RSC").toBe(true);
  for (const r of rsc) {
    expect((await r.allHeaders())["content-type"], r.url()).toMatch(/^text\/x-component/);
    expect(await r.headerValue("x-fm-page-cache"), r.url()).toBeNull();
  }
  expect(problems).toEqual([]);

  // The same RSC requests from outside the browser, while / has a fresh copy: Next answers them, never the copy.
  await request.get("/", { headers: PAGE_LOAD });
  for (const [url, headers] of [
    ["/?_rsc=abcde", { rsc: "1", "next-router-prefetch": "1", "next-router-segment-prefetch": "/_tree" }],
    ["/", { rsc: "1" }],
    [productPath, { rsc: "1" }],
  ] as const) {
    const answer = await request.get(url, { headers });
    expect(answer.headers()["content-type"], url).toMatch(/^text\/x-component/);
    expect(answer.headers()["x-fm-page-cache"], url).toBeUndefined();
  }
});
