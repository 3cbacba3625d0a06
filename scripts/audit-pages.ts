// npm run audit:pages [-- --no-build] [-- --url http://host:port] [-- --runs 5] [-- --pages home,product,landing,promote]
// [-- --save DIR]: Lighthouse 12 (mobile preset) and axe-core on the shop's key pages (home /, a product page, a member's
// landing page /r/[code], /promote signed in; --pages picks some), saving each median run's Lighthouse JSON in DIR with --save,
// printing the performance / accessibility / best-practices scores (the median-performance run of --runs, 5 by default as
// Lighthouse advises on a noisy machine) and the serious and critical axe violations.
// Without --url it serves the production build itself (`npm run build` unless --no-build, then `npm start`)
// on a fresh, seeded embedded database, the way the e2e run does. Exits 1 when a target is missed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { chromium, devices, type BrowserContext } from "@playwright/test";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const args = process.argv.slice(2);
const argValue = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const CHROME_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const PORT = Number(process.env.AUDIT_PORT ?? 3190);
const RUNS = Math.max(1, Number(argValue("--runs") ?? 5));
const PAGES = new Set((argValue("--pages") ?? "home,product,landing,promote").split(","));
const SAVE_DIR = argValue("--save");
const DATA_DIR = ".data/audit";
const TARGETS = { performance: 90, accessibility: 95, "best-practices": 100 } as const;
// The demo store owner (prisma/seed.ts): signs in with an SMS code read from the dev outbox.
const DEMO_PHONE = "13800000001";
const CHROME_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

const testToken = process.env.FM_TEST_TOKEN ?? randomBytes(32).toString("hex");
let server: ChildProcess | null = null;

function run(cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, cmdArgs, { stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(" ")} exited with ${r.status}`);
}

async function waitFor(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/** Serves the production build on a fresh seeded embedded database (the same settings as the e2e run, minus WeChat). */
async function startServer(base: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGLITE_DIR: DATA_DIR,
    FM_EMBEDDED_DB: "1",
    NEXTAUTH_SECRET: "audit-only-secret-not-for-production-0123456789",
    FIELD_ENCRYPTION_KEY: "audit-only-field-key-not-for-production-0123456789",
    SITE_URL: base,
    NEXTAUTH_URL: base,
    PAYMENT_PROVIDER: "sandbox",
    PAYMENTS_SANDBOX: "1",
    SANDBOX_PAY_SECRET: randomBytes(16).toString("hex"),
    SMS_PROVIDER: "outbox",
    DEV_OUTBOX: "1",
    FM_TEST_TOKEN: testToken,
    NEXT_TELEMETRY_DISABLED: "1",
    // The browser connects to the server directly: no proxy's X-Forwarded-For to believe.
    TRUST_PROXY: "0",
  };
  rmSync(DATA_DIR, { recursive: true, force: true });
  run("npx", ["tsx", "scripts/db-migrate.ts", "--seed"], { ...env, NODE_ENV: "development" });
  if (!args.includes("--no-build")) run("npm", ["run", "build"], env);
  // `npm start` as deployed (prestart checks, Node flags, NEXT_MANUAL_SIG_HANDLE for our shutdown), not a bare `next start`.
  server = spawn("npm", ["start", "--", "-p", String(PORT)], { env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  await waitFor(`${base}/login`, 120_000);
}

/** Signs the demo owner in through /login (SMS code from /dev/sms); returns the share code shown at /promote. */
async function signIn(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  await page.goto("/login?callbackUrl=%2Fpromote");
  await page.getByPlaceholder("请输入手机号").fill(DEMO_PHONE);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await page.getByText("验证码已发送至").waitFor();
  const outbox = await context.newPage();
  await outbox.setExtraHTTPHeaders({ "x-fm-test-token": testToken });
  await outbox.goto("/dev/sms");
  const body = await outbox.locator(`[data-testid="sms-item"][data-phone="138****0001"] [data-testid="sms-body"]`).first().textContent();
  await outbox.close();
  const code = /\b(\d{6})\b/.exec(body ?? "")?.[1];
  if (!code) throw new Error("no SMS code in the dev outbox (is FM_TEST_TOKEN the server's?)");
  await page.getByPlaceholder("6 位验证码").fill(code);
  await page.getByRole("button", { name: "登录 / 注册" }).click();
  await page.waitForURL(/\/promote/);
  const shareCode = (await page.getByTestId("my-code").textContent())?.trim();
  await page.close();
  if (!shareCode) throw new Error("no share code on /promote");
  return shareCode;
}

type Row = { path: string; scores: Record<string, number>; axe: { id: string; impact: string; nodes: number; help: string }[]; failed: string[] };

async function main() {
  const base = argValue("--url") ?? `http://127.0.0.1:${PORT}`;
  if (!argValue("--url")) await startServer(base);

  const browser = await chromium.launch({ executablePath: CHROME_PATH, args: CHROME_FLAGS });
  const context = await browser.newContext({ ...devices["Pixel 7"], baseURL: base, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const home = await context.newPage();
  await home.goto("/");
  const productHref = await home.getByTestId("product-card").first().getAttribute("href");
  await home.close();
  if (!productHref) throw new Error("no product on the home page (is the database seeded?)");
  // The landing and promotion pages need the demo owner's share code and session.
  const shareCode = PAGES.has("landing") || PAGES.has("promote") ? await signIn(context) : "";
  const cookie = (await context.cookies(base)).map((c) => `${c.name}=${c.value}`).join("; ");

  const pages = (
    [
      { name: "home", path: "/", signedIn: false },
      { name: "product", path: productHref, signedIn: false },
      { name: "landing", path: `/r/${shareCode}`, signedIn: false },
      { name: "promote", path: "/promote", signedIn: true },
    ] as const
  ).filter((p) => PAGES.has(p.name));
  if (SAVE_DIR) mkdirSync(SAVE_DIR, { recursive: true });

  const chrome = await chromeLauncher.launch({ chromePath: CHROME_PATH, chromeFlags: CHROME_FLAGS });
  const anon = await browser.newContext({ ...devices["Pixel 7"], baseURL: base, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const rows: Row[] = [];
  try {
    for (const p of pages) {
      // Warm the route once so the first Lighthouse run does not measure a cold server.
      await fetch(base + p.path, { headers: p.signedIn ? { cookie } : {} });
      const runs = [];
      for (let i = 0; i < RUNS; i++) {
        const r = await lighthouse(
          base + p.path,
          {
            port: chrome.port,
            output: "json",
            logLevel: "error",
            onlyCategories: Object.keys(TARGETS),
            extraHeaders: p.signedIn ? { Cookie: cookie } : undefined,
          },
          undefined,
        );
        if (!r) throw new Error(`Lighthouse returned nothing for ${p.path}`);
        runs.push(r);
      }
      runs.sort((a, b) => (a.lhr.categories.performance?.score ?? 0) - (b.lhr.categories.performance?.score ?? 0));
      const result = runs[Math.floor(runs.length / 2)];
      if (SAVE_DIR) writeFileSync(`${SAVE_DIR}/${p.name}.json`, result.report as string);
      const perfRuns = runs.map((r) => Math.round((r.lhr.categories.performance?.score ?? 0) * 100)).join(", ");
      const scores: Record<string, number> = {};
      const failed: string[] = [];
      for (const key of Object.keys(TARGETS) as (keyof typeof TARGETS)[]) {
        const cat = result.lhr.categories[key];
        scores[key] = Math.round((cat?.score ?? 0) * 100);
        // The audits that cost points, to know what to fix.
        for (const ref of cat?.auditRefs ?? []) {
          const a = result.lhr.audits[ref.id];
          if (ref.weight > 0 && a && a.score !== null && a.score < 0.9) failed.push(`${key}: ${a.id} (${a.displayValue ?? a.score})`);
        }
      }
      const lcp = result.lhr.audits["largest-contentful-paint"]?.displayValue;
      const fcp = result.lhr.audits["first-contentful-paint"]?.displayValue;
      if (lcp) failed.unshift(`metrics: FCP ${fcp}, LCP ${lcp}, TBT ${result.lhr.audits["total-blocking-time"]?.displayValue}, performance of the ${RUNS} runs: ${perfRuns}, transfer ${Math.round((result.lhr.audits["total-byte-weight"]?.numericValue ?? 0) / 1024)} KiB`);

      const page = await (p.signedIn ? context : anon).newPage();
      await page.goto(p.path, { waitUntil: "networkidle" });
      const axe = await new AxeBuilder({ page }).analyze();
      await page.close();
      const serious = axe.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({ id: v.id, impact: v.impact!, nodes: v.nodes.length, help: `${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}` }));
      rows.push({ path: p.path, scores, axe: serious, failed });
    }
  } finally {
    await chrome.kill();
    await browser.close();
  }

  let ok = true;
  for (const r of rows) {
    const miss = (Object.keys(TARGETS) as (keyof typeof TARGETS)[]).filter((k) => r.scores[k] < TARGETS[k]);
    if (miss.length || r.axe.length) ok = false;
    console.log(`\n${r.path}\n  performance ${r.scores.performance}  accessibility ${r.scores.accessibility}  best-practices ${r.scores["best-practices"]}  axe serious/critical: ${r.axe.length}`);
    for (const f of r.failed) console.log(`    ${f}`);
    for (const v of r.axe) console.log(`    axe ${v.impact} ${v.id} (${v.nodes}): ${v.help}`);
  }
  console.log(ok ? "\nall targets met" : `\ntargets missed (performance ≥ ${TARGETS.performance}, accessibility ≥ ${TARGETS.accessibility}, best practices ${TARGETS["best-practices"]}, no serious/critical axe violations)`);
  return ok;
}

main()
  .then((ok) => {
    process.exitCode = ok ? 0 : 1;
  })
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => {
    // Stop the server this script started (its whole process group: npm → next).
    if (server?.pid) process.kill(-server.pid, "SIGTERM");
  });
