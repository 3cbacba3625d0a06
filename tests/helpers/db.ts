// Test databases. Default: a fresh in-memory PGlite per call, loaded from the migrated snapshot that
// tests/helpers/global-setup.ts made once for the run (~0.5 s instead of a full migration). With
// FM_TEST_DB=postgres, a fresh database on the server named by DATABASE_URL, copied from the run's
// migrated template database, dropped on close.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { inject } from "vitest";
import { openPglite, openPostgres, type Database } from "../../server/db";

let snapshot: Promise<Blob> | undefined;
function migratedSnapshot(): Promise<Blob> {
  snapshot ??= readFile(inject("pgliteSnapshot")).then((b) => new Blob([b]));
  return snapshot;
}

export const usingPostgres = () => process.env.FM_TEST_DB === "postgres";

export async function freshPglite(): Promise<Database> {
  return openPglite({ dataDir: "memory://", loadDataDir: await migratedSnapshot(), migrate: false });
}

/** A scratch PostgreSQL database, dropped on close; `url` for other processes of the test. */
export async function freshPostgres(): Promise<Database & { url: string }> {
  const url = process.env.DATABASE_URL;
  const template = inject("pgTemplate");
  if (!url || !template) throw new Error("FM_TEST_DB=postgres needs DATABASE_URL");
  const name = `fm_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const db = await openPostgres(u.toString(), { poolSize: 20, migrate: false });
  return {
    ...db,
    url: u.toString(),
    close: async () => {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** The database the integration suite runs on: PGlite, or PostgreSQL with FM_TEST_DB=postgres. */
export function freshDatabase(): Promise<Database> {
  return usingPostgres() ? freshPostgres() : freshPglite();
}

let shared: Promise<Database> | undefined;
/**
 * One PGlite per test worker, emptied (TRUNCATE … RESTART IDENTITY) instead of closed, for suites
 * that replay many small scenarios: each replay still starts from an empty, migrated database.
 */
export async function reusablePglite(): Promise<Database> {
  shared ??= freshPglite();
  const db = await shared;
  return {
    ...db,
    close: async () => {
      const tables = await db.prisma.$queryRaw<{ tablename: string }[]>`
        SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`;
      await db.prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
    },
  };
}
