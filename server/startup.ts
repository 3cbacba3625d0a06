// What must hold before the app serves a request: in production the settings (server/env.ts) and a
// writable upload directory, and everywhere a reachable database whose field-encryption key matches.
// Called by scripts/prestart.ts and by instrumentation.ts, so `next start` run by hand cannot skip it.
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Db } from "./db";
import { EnvError, databaseAddress, enforceProductionEnv, isProduction, productionWarnings, type Env } from "./env";
import { checkFieldKey, KeyMismatchError } from "./auth/key-check";
import { backfillIdNumberHashes } from "./wallet/id-number-backfill";
import { fieldKeyFingerprint } from "./auth/crypto";
import { verifyPassword } from "./staff/password";
import { uploadsDir } from "./storage";

export { EnvError, KeyMismatchError };

/** The database cannot be opened: one line naming where (never who) and PostgreSQL's or the network's code. */
export class DatabaseStartError extends Error {
  constructor(
    public readonly code: string,
    where: string,
    hint: string,
  ) {
    super(`Fission Mall cannot start: DATABASE_URL: the database ${where} cannot be opened (${code}): ${hint}.`);
    this.name = "DatabaseStartError";
  }
}

/** The upload directory cannot be written: one line naming it and the system's code. */
export class StorageStartError extends Error {
  constructor(dir: string, code: string) {
    super(`Fission Mall cannot start: FM_UPLOADS_DIR: cannot write to ${dir} (${code}): uploaded pictures and CSV exports are kept there; mount a writable persistent volume, shared by every instance, at that path.`);
    this.name = "StorageStartError";
  }
}

/** Connection failures by code: the network's (Node) and PostgreSQL's connection classes (SQLSTATE 08, 28, 3D, 53300, 57P03). */
const DATABASE_HINTS: Record<string, string> = {
  ECONNREFUSED: "nothing accepts connections there; check that PostgreSQL is running and the host and port are right",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name could not be resolved now (DNS)",
  ETIMEDOUT: "no answer in time: a firewall, or the wrong host",
  EHOSTUNREACH: "the host cannot be reached from this machine",
  ENETUNREACH: "the host's network cannot be reached from this machine",
  ECONNRESET: "the server closed the connection (does it require SSL? add ?sslmode=require)",
  "3D000": "that database does not exist on the server; create it (CREATE DATABASE) or correct its name",
  "28P01": "the server refused the user name or password",
  "28000": "the server refused this client (pg_hba.conf) or the user",
  "53300": "the server has no free connection slots; lower DATABASE_POOL_MAX or raise max_connections",
  "57P03": "the server is starting up or shutting down; try again",
};

/** "at host:port, database "db"" of a postgresql:// URL, without its user or password. */
export function databaseWhere(url: string | undefined): string {
  const a = databaseAddress(url ?? "");
  return a ? `at ${a.host || "(no host)"}:${a.port}, database "${a.database || "(default)"}"` : "(DATABASE_URL unreadable)";
}

/** The DatabaseStartError for a failure to connect, else null (a failing migration keeps its own error). */
export function databaseStartError(e: unknown, url: string | undefined): DatabaseStartError | null {
  if (!url || typeof e !== "object" || e === null) return null;
  const raw = (e as { code?: unknown }).code;
  const code = typeof raw === "string" ? raw : /timeout/i.test(String((e as Error).message)) ? "ETIMEDOUT" : "";
  const hint = DATABASE_HINTS[code] ?? (/^(08|28)/.test(code) ? "the connection was refused or broken" : null);
  return hint ? new DatabaseStartError(code, databaseWhere(url), hint) : null;
}

/** Opens the database, a connection failure turned into a DatabaseStartError. */
export async function openingDatabase<T>(open: () => Promise<T>, env: Env = process.env): Promise<T> {
  try {
    return await open();
  } catch (e) {
    throw databaseStartError(e, env.DATABASE_URL) ?? e;
  }
}

/** Writes and deletes a probe file in the upload directory (created if missing). Throws StorageStartError. */
export async function checkUploadsWritable(dir: string): Promise<void> {
  const probe = path.join(dir, `.start-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, "");
    await rm(probe);
  } catch (e) {
    throw new StorageStartError(dir, (e as NodeJS.ErrnoException).code ?? "error");
  }
}

/** Throws EnvError listing every missing production setting. Prints the loud warnings. */
export function checkSettings(env: Env = process.env, log: (line: string) => void = console.warn): void {
  if (!isProduction(env)) return;
  enforceProductionEnv(env);
  for (const w of productionWarnings(env)) log(`[startup] WARNING ${w}`);
}

/** Production: the settings, then the upload directory. Throws EnvError or StorageStartError. */
export async function checkSettingsAndStorage(env: Env = process.env): Promise<void> {
  checkSettings(env);
  if (isProduction(env)) await checkUploadsWritable(uploadsDir(env));
}

/** An enabled staff account still accepts the demo seed's password, which the README publishes. */
export class DemoPasswordError extends Error {
  constructor(usernames: string[]) {
    super(
      `Fission Mall cannot start: staff account(s) ${usernames.join(", ")} still sign in with the demo seed's published password: ` +
        `change their passwords, or disable them (UPDATE "StaffAccount" SET "disabledAt" = now() WHERE username IN (${usernames.map((u) => `'${u}'`).join(", ")})), then start again.`,
    );
    this.name = "DemoPasswordError";
  }
}

/** The KeyFingerprint row (server/auth/key-check.ts) recording a production start: the demo seed refuses such a database. */
const PRODUCTION_START = "production-start";

/** Records, once, that this database is served in production (the fingerprint of the field key it started with). */
export async function recordProductionStart(db: Db, now = new Date()): Promise<void> {
  await db.keyFingerprint.createMany({ data: [{ purpose: PRODUCTION_START, fingerprint: fieldKeyFingerprint(), createdAt: now }], skipDuplicates: true });
}

/** When this database was first served in production, or null if never. */
export async function productionStartedAt(db: Db): Promise<Date | null> {
  return (await db.keyFingerprint.findUnique({ where: { purpose: PRODUCTION_START } }))?.createdAt ?? null;
}

/**
 * Throws DemoPasswordError while an enabled staff account verifies the demo seed's password (one argon2 check
 * per account: staff are few). A test run (FM_TEST_TOKEN, e2e on the seeded demo) only gets a warning.
 */
export async function checkNoDemoPasswords(db: Db, env: Env = process.env, log: (line: string) => void = console.warn): Promise<void> {
  // Imported here: the seed's module graph is needed only for this check.
  const { DEMO_STAFF_PASSWORD } = await import("../prisma/seed");
  const staff = await db.staffAccount.findMany({ where: { disabledAt: null }, select: { username: true, passwordHash: true }, orderBy: { id: "asc" } });
  const demo: string[] = [];
  for (const s of staff) if (await verifyPassword(s.passwordHash, DEMO_STAFF_PASSWORD)) demo.push(s.username);
  if (demo.length === 0) return;
  if (!env.FM_TEST_TOKEN) throw new DemoPasswordError(demo);
  log(`[startup] WARNING staff account(s) ${demo.join(", ")} sign in with the demo password: allowed only because FM_TEST_TOKEN marks a test run.`);
}

/**
 * Settings, upload directory, database, then the key fingerprint; in production the start is recorded and
 * no staff account may keep the demo password. Throws one of the errors above.
 */
export async function checkBeforeServing(getDb: () => Promise<Db>, env: Env = process.env): Promise<void> {
  await checkSettingsAndStorage(env);
  const db = await openingDatabase(getDb, env);
  await checkFieldKey(db);
  // Under the checked key: members verified before one-account-per-ID-number get their ID number's lookup hash.
  await backfillIdNumberHashes(db);
  if (!isProduction(env)) return;
  await recordProductionStart(db);
  await checkNoDemoPasswords(db, env);
}

/** Prints a start-up refusal as one message (no stack: it is an operator's to-do list). */
export function describeStartupFailure(e: unknown): string | null {
  if (e instanceof EnvError || e instanceof KeyMismatchError || e instanceof DatabaseStartError || e instanceof StorageStartError || e instanceof DemoPasswordError) return e.message;
  return null;
}

/**
 * For instrumentation.ts: runs the checks and ends the process with the message when they fail
 * (Node.js only; kept out of instrumentation.ts, which is also compiled for the edge runtime).
 */
export async function checkBeforeServingOrExit(getDb: () => Promise<Db>): Promise<void> {
  try {
    await checkBeforeServing(getDb);
  } catch (e) {
    const message = describeStartupFailure(e);
    if (!message) throw e;
    console.error(`\n${message}\n`);
    process.exit(1);
  }
}
