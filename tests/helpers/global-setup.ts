// Vitest global setup: migrate once per run instead of once per test file (each file runs in its own
// process). PGlite: the migrated data-dir snapshot of server/db/snapshot.ts. PostgreSQL (FM_TEST_DB=postgres):
// a migrated template database for this run, copied by CREATE DATABASE … TEMPLATE for each test
// database, dropped at the end.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePostgres } from "../../server/db";
import { migratedSnapshotFile } from "../../server/db/snapshot";

declare module "vitest" {
  export interface ProvidedContext {
    /** File holding a dumpDataDir snapshot of a migrated, empty PGlite database. */
    pgliteSnapshot: string;
    /** Migrated, empty PostgreSQL database to copy (FM_TEST_DB=postgres only, else ""). */
    pgTemplate: string;
  }
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
  // Kept in .cache/ (outside node_modules, so npm ci keeps it) instead of the system's temporary folder.
  project.provide("pgliteSnapshot", await migratedSnapshotFile(path.resolve(".cache/fm-tests")));
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
