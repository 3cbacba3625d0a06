// Every server the project starts for tests and audits starts as `npm start` does (package.json): its prestart checks,
// its Node flags and NEXT_MANUAL_SIG_HANDLE, without which Next exits on SIGTERM before our shutdown handler
// (server/scheduler/in-process.ts onShutdownSignal) has written the queued visits and closed the database.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

/** The source without its comments (a comment may name `next start` to say why it is not used). */
const code = (file: string) =>
  readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|[^:])\/\/.*$/gm, "$1");

/** A bare Next start: `next start` in a command line, or "next", "start" as a spawned command's arguments. */
const BARE_NEXT_START = /\bnext\s+start\b|["'`]next["'`]\s*,\s*\[?\s*["'`]start["'`]/;

describe("the production start path", () => {
  it("npm start hands the signals to our handler", () => {
    expect(pkg.scripts.start).toMatch(/^NEXT_MANUAL_SIG_HANDLE=true /);
  });

  it("the e2e web server is served by `npm start` on the run's port, with the run's test settings", async () => {
    // The config sets the run's secrets in process.env: kept from the test files that share this worker.
    const before = { ...process.env };
    const { default: config } = await import("../playwright.config");
    const token = process.env.FM_TEST_TOKEN;
    for (const k of Object.keys(process.env)) if (!(k in before)) delete process.env[k];
    const servers = [config.webServer ?? []].flat();
    const app = servers.find((s) => s.url?.endsWith("/login"))!;
    const steps = app.command.split("&&").map((s) => s.trim());
    expect(steps.at(-1)).toBe(`npm start -- -p ${Number(process.env.E2E_PORT ?? 3100)}`);
    expect(steps.filter((s) => BARE_NEXT_START.test(s))).toEqual([]);
    // The flags the e2e run needs: its throwaway database, the outbox, the test doors and clock, the sandbox cashier.
    expect(app.env).toMatchObject({ PGLITE_DIR: ".data/e2e", FM_EMBEDDED_DB: "1", SMS_PROVIDER: "outbox", DEV_OUTBOX: "1", FM_TEST_CLOCK: "1", PAYMENTS_SANDBOX: "1", TRUST_PROXY: "0" });
    expect(app.env?.FM_TEST_TOKEN).toBe(token);
  });

  it("no script, benchmark or config starts a bare `next start`", () => {
    const files = ["playwright.config.ts", ...["scripts", "bench", "bench/faults"].flatMap((d) => readdirSync(d).filter((f) => /\.(ts|mjs|js|sh)$/.test(f)).map((f) => path.join(d, f)))];
    expect(files.filter((f) => BARE_NEXT_START.test(code(f)))).toEqual([]);
  });
});
