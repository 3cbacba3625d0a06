// HTTP hardening (issue 8) on the production build: security headers on a page, an API route,
// /media and a build asset; the page's scripts carry the per-request CSP nonce; a cross-site tRPC
// mutation and a cross-site server action are refused with 403. That the scripts run with no CSP
// violation is checked on every page the two walks open (console.e2e.ts, merchant-pages.e2e.ts).
import { expect, test } from "@playwright/test";
import { watchPage } from "./helpers";

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

test("the walks' watcher reports a CSP violation (a script without the nonce)", async ({ page }) => {
  const problems = await watchPage(page);
  await page.route("http://csp.test/", (r) =>
    r.fulfill({ contentType: "text/html", headers: { "content-security-policy": "script-src 'nonce-abc'" }, body: `<title>t</title><script>document.title = "ran"</script>` }),
  );
  await page.goto("http://csp.test/");
  await expect.poll(() => problems.join("\n")).toContain("CSP violation: script-src");
  expect(await page.title()).not.toBe("ran");
});

test("an idle keep-alive connection stays open past Node's default 5 s (a proxy in front reuses it)", async ({ baseURL }) => {
  const { Agent, get } = await import("node:http");
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const fetchOnce = () =>
    new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
      const req = get(`${baseURL}/products/tea-puer_400.webp`, { agent }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
      });
      req.on("error", reject);
    });
  try {
    expect(await fetchOnce()).toEqual({ status: 200, reused: false });
    await new Promise((r) => setTimeout(r, 6_000));
    expect(await fetchOnce()).toEqual({ status: 200, reused: true });
  } finally {
    agent.destroy();
  }
});
