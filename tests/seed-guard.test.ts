// The demo seed never reaches a production database (its staff sign in with the password the README publishes):
// the seed's command lines refuse a DATABASE_URL without --demo / FM_ALLOW_DEMO_SEED=1, the seed refuses a
// database a production start was recorded in, and a production start refuses while an enabled staff account
// still has the demo password.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { type Env, productionEnvProblems } from "../server/env";
import { checkBeforeServing, describeStartupFailure } from "../server/startup";
import { hashPassword } from "../server/staff/password";
import { checkDemoSeedAllowed, DEMO_STAFF_PASSWORD, DemoSeedRefusedError, seedDemo } from "../prisma/seed";
import { freshDatabase } from "./helpers/db";

/** A database address nothing listens on: a refusal must come before any connection is tried. */
const PROD_URL = "postgresql://shop:secret@127.0.0.1:1/mall";

function run(script: string, args: string[], env: Env) {
  return spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PGLITE_DIR: path.join(mkdtempSync(path.join(tmpdir(), "fm-seed-guard-")), "db"), ...env } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 120_000,
  });
}
const lines = (stderr: string) => stderr.split("\n").filter((l) => l.trim());

describe("the seed's command lines with DATABASE_URL set", () => {
  it.each([
    ["npm run db:seed", "prisma/seed-cli.ts", []],
    ["npm run dev (predev) / db:migrate -- --seed", "scripts/db-migrate.ts", ["--seed"]],
  ])("%s: one line and exit code 1 without --demo", (_, script, args) => {
    const r = run(script, args, { DATABASE_URL: PROD_URL });
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^refusing to seed the demo mall .*DATABASE_URL is set.*--demo.*FM_ALLOW_DEMO_SEED=1/);
    expect(r.stderr).not.toContain("secret");
    expect(r.stdout).not.toContain("database ready");
  });

  it("--demo or FM_ALLOW_DEMO_SEED=1 allows it; the embedded database needs neither", () => {
    expect(() => checkDemoSeedAllowed(["node", "seed-cli.ts"], { DATABASE_URL: PROD_URL })).toThrow(DemoSeedRefusedError);
    expect(() => checkDemoSeedAllowed(["node", "seed-cli.ts", "--demo"], { DATABASE_URL: PROD_URL })).not.toThrow();
    expect(() => checkDemoSeedAllowed(["node", "db-migrate.ts", "--seed"], { DATABASE_URL: PROD_URL, FM_ALLOW_DEMO_SEED: "1" })).not.toThrow();
    expect(() => checkDemoSeedAllowed(["node", "db-migrate.ts", "--seed"], { DATABASE_URL: "" })).not.toThrow();
  });
});

/** A production configuration without a test token (a test run only gets a warning for the demo password). */
const PRODUCTION: Env = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "session-secret-for-tests-0123456789abcdef",
  FIELD_ENCRYPTION_KEY: "field-key-for-tests-0123456789abcdefghij",
  SITE_URL: "https://shop.example.com",
  DATABASE_URL: "postgresql://app:pw@db:5432/mall",
  PAYMENT_PROVIDER: "sandbox",
  PAYMENTS_SANDBOX: "1",
  SANDBOX_PAY_SECRET: "p".repeat(40),
  SMS_PROVIDER: "tencent",
  TENCENTCLOUD_SECRET_ID: "id",
  TENCENTCLOUD_SECRET_KEY: "key",
  TENCENT_SMS_SDK_APP_ID: "1400000000",
  TENCENT_SMS_SIGN_NAME: "裂变商城",
  TENCENT_SMS_TEMPLATE_OTP: "100001",
  TRUST_PROXY: "1",
};

describe("a production start", () => {
  let database: Database;
  let env: Env;
  const warnings: string[] = [];
  beforeEach(async () => {
    database = await freshDatabase();
    env = { ...PRODUCTION, FM_UPLOADS_DIR: mkdtempSync(path.join(tmpdir(), "fm-seed-guard-uploads-")) };
    expect(productionEnvProblems(env)).toEqual([]);
    warnings.length = 0;
    vi.spyOn(console, "warn").mockImplementation((m: unknown) => void warnings.push(String(m)));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await database.close();
  });
  const start = (over: Env = {}) => checkBeforeServing(async () => database.prisma, { ...env, ...over });
  async function staff(username: string, role: "owner" | "support", password: string, disabledAt: Date | null = null) {
    return database.prisma.staffAccount.create({ data: { username, displayName: username, role, passwordHash: await hashPassword(password), disabledAt, createdAt: new Date() } });
  }

  it("is recorded in the database, and the demo seed then refuses it and writes nothing", async () => {
    await start();
    await expect(seedDemo(database.prisma)).rejects.toThrow(/refusing to seed the demo mall .*served in production/);
    expect(await database.prisma.product.count()).toBe(0);
    expect(await database.prisma.staffAccount.count()).toBe(0);
    expect(await database.prisma.member.count()).toBe(0);
  });

  it("refuses, in one line naming the accounts, while an enabled staff account has the demo password; starts once it is changed", async () => {
    const owner = await staff("owner", "owner", DEMO_STAFF_PASSWORD);
    await staff("support", "support", DEMO_STAFF_PASSWORD, new Date());
    await staff("boss", "owner", "a-password-of-the-owners-own");
    const refusal = await start().catch((e: unknown) => e);
    const message = describeStartupFailure(refusal);
    expect(message).toMatch(/^Fission Mall cannot start: staff account\(s\) owner still sign in with the demo seed's published password: change their passwords, or disable them/);
    expect(message).not.toContain("\n");
    // A disabled account cannot sign in: not named.
    expect(message).not.toContain("support");
    expect(message).not.toContain("boss");

    await database.prisma.staffAccount.update({ where: { id: owner.id }, data: { passwordHash: await hashPassword("a-new-password-2027") } });
    await expect(start()).resolves.toBeUndefined();
  });

  it("a test run (FM_TEST_TOKEN) on the seeded demo starts with a warning; development is not checked", async () => {
    await staff("owner", "owner", DEMO_STAFF_PASSWORD);
    await expect(start({ FM_TEST_TOKEN: "t".repeat(40) })).resolves.toBeUndefined();
    expect(warnings.join("\n")).toMatch(/WARNING staff account\(s\) owner sign in with the demo password: allowed only because FM_TEST_TOKEN/);
    await expect(checkBeforeServing(async () => database.prisma, { NODE_ENV: "development" })).resolves.toBeUndefined();
  });
});
