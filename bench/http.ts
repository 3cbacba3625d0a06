// npm run bench -- http [--build] [--seconds 10 --connections 32 --port 3130] [--modes rendered,cache] [--targets /r]
// HTTP (issue 14, item 6): the production build (`npm start`, built first with --build) on a scratch
// PostgreSQL database with the demo seed, loaded from this machine's loopback by autocannon: the home
// page, a product page, a share-link landing page, the tRPC catalogue query, and a static file from
// public/ — the same server's own ceiling, measured in the same run. req/s, p50, p99, errors, and each
// page's req/s as a share of the static file's; once with the page cache off (the baseline) and once on
// (server/page-cache.ts). Writes bench/results/http.json and prints a table.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { openPostgres } from "../server/db";
import { seedDemo } from "../prisma/seed";
import { dropScratch, recreateScratch } from "./scratch";
import { arg } from "./args";

const seconds = Number(arg("seconds", "10"));
const connections = Number(arg("connections", "32"));
const port = Number(arg("port", "3130"));
const origin = `http://127.0.0.1:${port}`;
// A shorter run of some targets (the static file is always measured: the others' share is of it) or one mode.
const onlyTargets = process.argv.includes("--targets") ? arg("targets", "").split(",") : null;
const modes = (["rendered per view", "page cache"] as const).filter((m) => !process.argv.includes("--modes") || arg("modes", "").split(",").includes(m === "page cache" ? "cache" : "rendered"));

// The seed encrypts phone numbers: with the key the server will start with.
const FIELD_KEY = "bench-only-field-key-not-for-production-0123456789";
process.env.FIELD_ENCRYPTION_KEY = FIELD_KEY;
const scratch = await recreateScratch("_http");
{
  const db = await openPostgres(scratch.url, { poolSize: 2 });
  await seedDemo(db.prisma);
  await db.close();
}
const probe = await openPostgres(scratch.url, { migrate: false, poolSize: 1 });
const product = await probe.prisma.product.findFirstOrThrow({ where: { active: true }, orderBy: { id: "asc" }, select: { id: true, imageUrl: true } });
const sharer = await probe.prisma.member.findFirstOrThrow({ where: { frozen: false }, orderBy: { id: "asc" }, select: { referralCode: true } });
await probe.close();

const env = {
  ...process.env,
  NODE_ENV: "production" as const,
  DATABASE_URL: scratch.url,
  NEXTAUTH_SECRET: "bench-only-secret-not-for-production-0123456789",
  FIELD_ENCRYPTION_KEY: FIELD_KEY,
  SITE_URL: origin,
  NEXTAUTH_URL: origin,
  // Production refuses to start without an SMS provider; the outbox one is allowed for a run with its own token.
  SMS_PROVIDER: "outbox",
  DEV_OUTBOX: "1",
  FM_TEST_TOKEN: randomBytes(32).toString("hex"),
  PAYMENT_PROVIDER: "sandbox",
  PAYMENTS_SANDBOX: "1",
  SANDBOX_PAY_SECRET: "bench-only-sandbox-secret-0123456789abcdef",
  NEXT_TELEMETRY_DISABLED: "1",
  // Required in production: autocannon connects directly (no proxy), and uploads go to a scratch directory.
  TRUST_PROXY: "0",
  FM_UPLOADS_DIR: mkdtempSync(path.join(tmpdir(), "fm-bench-uploads-")),
};
if (process.argv.includes("--build")) {
  const b = spawnSync("npm", ["run", "build"], { env, stdio: "inherit" });
  if (b.status !== 0) throw new Error("next build failed");
}
// The pages are loaded as a browser loads a page (the page cache serves copies to page loads only).
// A phone's page load: a request without a browser's user agent is no visit (lib/crawler-ua.ts), and the
// landing page's visit counting is part of what is measured.
const PAGE_LOAD = {
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  "sec-fetch-mode": "navigate",
  "user-agent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
};
const targets: { name: string; path: string; headers?: Record<string, string> }[] = [
  { name: "static file (ceiling)", path: `/products/${(product.imageUrl ?? "/products/beauty-cream.svg").split("/").pop()}` },
  { name: "/", path: "/", headers: PAGE_LOAD },
  { name: "/product/[id]", path: `/product/${product.id}`, headers: PAGE_LOAD },
  { name: "/r/[code]", path: `/r/${sharer.referralCode}`, headers: PAGE_LOAD },
  { name: "tRPC catalog.home", path: "/api/trpc/catalog.home" },
].filter((t, i) => i === 0 || onlyTargets === null || onlyTargets.some((name) => t.name.startsWith(name)));
/** A GET with exactly these headers (Node's fetch adds Sec-Fetch-Mode: cors, which is not a page load). */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${origin}${path}`, { headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on("error", reject);
  });
}
function load(t: { path: string; headers?: Record<string, string> }, duration: number) {
  return autocannon({ url: `${origin}${t.path}`, headers: t.headers, connections, duration, timeout: 10 });
}

// The same build twice: the page cache off (PAGE_CACHE_TTL_MS=0, every view rendered: the baseline) and on.
const rows: Record<string, string | number>[] = [];
for (const mode of modes) {
  // `npm start` as deployed (its prestart checks and migrates; its Node flags, package.json), not a bare `next start`.
  const server = spawn("npm", ["start", "--", "-p", String(port), "-H", "127.0.0.1"], {
    // BENCH_SERVER_NODE_OPTIONS: Node flags for the server only (e.g. GC sizes), not for the load generator.
    env: { ...env, PAGE_CACHE_TTL_MS: mode === "page cache" ? "5000" : "0", NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS ?? "" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const stopServer = () => {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  };
  process.on("exit", stopServer);
  let exited = false;
  server.on("exit", () => (exited = true));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${origin}/login`)).ok) break;
    } catch {
      // not listening yet
    }
    if (exited || i > 120) throw new Error("npm start did not answer within 60 s (see its output above)");
    await new Promise((r) => setTimeout(r, 500));
  }
  // Every copy carries its own response's nonce (a cached page must not replay the fill's).
  for (let i = 0; i < 2; i++) {
    const res = await get("/", PAGE_LOAD);
    const nonce = /'nonce-([^']+)'/.exec(String(res.headers["content-security-policy"] ?? ""))?.[1];
    if (!nonce || !res.body.includes(`nonce="${nonce}"`)) throw new Error(`/ (${mode}): the scripts do not carry the response's CSP nonce`);
  }
  let ceiling = 0;
  for (const t of targets) {
    const check = await get(t.path, t.headers);
    if (check.status !== 200) throw new Error(`${t.path} answered ${check.status}`);
    // With the cache on, a page load must be served a copy (else this measures renders).
    if (mode === "page cache" && t.headers && (await get(t.path, t.headers)).headers["x-fm-page-cache"] !== "hit") throw new Error(`${t.path}: not served from the page cache`);
    await load(t, 2); // warm-up
    const r = await load(t, seconds);
    if (t.path.startsWith("/products/")) ceiling = r.requests.average;
    const row = {
      mode,
      target: t.name,
      "req/s": r.requests.average.toFixed(0),
      "% of static": ((100 * r.requests.average) / ceiling).toFixed(1),
      "p50 ms": r.latency.p50,
      "p99 ms": r.latency.p99,
      errors: r.errors + r.timeouts,
      "non-2xx": r.non2xx,
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  stopServer();
  await new Promise<void>((r) => (exited ? r() : server.on("exit", () => r())));
}
console.table(rows);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/http.json", JSON.stringify({ at: new Date().toISOString(), seconds, connections, rows }, null, 2) + "\n");
await new Promise((r) => setTimeout(r, 1000));
await dropScratch(scratch.name);
