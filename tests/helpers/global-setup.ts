// Vitest global setup: migrate once per run instead of once per test file (each file runs in its own
// process). PGlite: a migrated data-dir snapshot in .cache/ (outside node_modules, so npm ci keeps it),
// named by the migrations' checksums and the PGlite version. PostgreSQL (FM_TEST_DB=postgres): a migrated template
// database for this run, copied by CREATE DATABASE … TEMPLATE for each test database, dropped at the end.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { migratePostgres } from "../../server/db";
import { PGLITE_EXTENSIONS } from "../../server/db/extensions";
import { applyMigrations, listMigrations } from "../../server/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    /** File holding a dumpDataDir snapshot of a migrated, empty PGlite database. */
    pgliteSnapshot: string;
    /** Migrated, empty PostgreSQL database to copy (FM_TEST_DB=postgres only, else ""). */
    pgTemplate: string;
  }
}

async function pgliteSnapshot(): Promise<string> {
  const pgliteVersion = (JSON.parse(readFileSync(path.resolve("node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string }).version;
  const key = createHash("sha256")
    .update(pgliteVersion)
    // This file's text too: a change to how the snapshot is made makes a new one.
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .update(listMigrations().map((m) => `${m.name}:${m.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
  const dir = path.resolve(".cache/fm-tests");
  const file = path.join(dir, `pglite-migrated-${key}.tar`);
  if (existsSync(file)) return file;
  // Every test database untars this snapshot and boots from it (~250 a run), so it is kept small:
  // 1 MB WAL segments instead of 16 MB, and only the segment in use (PostgreSQL makes the next ones).
  const db = await PGlite.create("memory://", {
    extensions: PGLITE_EXTENSIONS,
    initDbStartParams: ["--wal-segsize=1"],
    startParams: [...PGlite.defaultStartParams, "-c", "min_wal_size=2MB"],
  });
  await applyMigrations({
    exec: async (s) => {
      await db.exec(s);
    },
    query: async <T,>(s: string, p?: unknown[]) => (await db.query<T>(s, p)).rows,
  });
  // Tests connect to "postgres" only and create no databases: the template databases are a third of the files.
  for (const t of ["template0", "template1"]) {
    await db.exec(`ALTER DATABASE ${t} IS_TEMPLATE false`);
    await db.exec(`DROP DATABASE ${t}`);
  }
  // Each boot clears its shared buffers; 128 MB (the default) took ~0.1 s of it, and test databases are small.
  await db.exec("ALTER SYSTEM SET shared_buffers = '16MB'");
  await db.exec("CHECKPOINT");
  const current = (await db.query<{ f: string }>("SELECT pg_walfile_name(pg_current_wal_insert_lsn()) AS f")).rows[0].f;
  const wal = `${PGlite.paths.PGDATA}/pg_wal`;
  for (const f of db.Module.FS.readdir(wal)) if (/^[0-9A-F]{24}$/.test(f) && f > current) db.Module.FS.unlink(`${wal}/${f}`);
  const blob = await db.dumpDataDir("none");
  await db.close();
  mkdirSync(dir, { recursive: true });
  // Written aside then renamed: a concurrent run never reads half a snapshot.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
  renameSync(tmp, file);
  return file;
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export default async function setup(project: TestProject) {
  project.provide("pgliteSnapshot", await pgliteSnapshot());
  const url = process.env.DATABASE_URL;
  if (process.env.FM_TEST_DB !== "postgres" || !url) {
    project.provide("pgTemplate", "");
    return;
  }
  const name = `fm_test_tpl_${randomBytes(6).toString("hex")}`;
  await admin(url, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(url);
  u.pathname = `/${name}`;
  await migratePostgres(u.toString());
  project.provide("pgTemplate", name);
  return async () => {
    await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  };
}
