// A migrated, empty embedded database as a data-directory snapshot, made once and kept in a cache
// folder, named by the PGlite version, the migrations and the recipe below: a throwaway database (the
// scenario runner, each rule set of a simulator run) or a test database boots from it in ~1 s instead
// of running initdb and every migration (~5 s).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "./extensions";
import { applyMigrations, listMigrations } from "./migrate";

/** Bump when the way the snapshot is made changes (the file name changes with it). */
const RECIPE = 1;

export const DEFAULT_SNAPSHOT_DIR = path.join(os.tmpdir(), "fission-mall-pglite");

function snapshotKey(): string {
  const pkg = path.resolve("node_modules/@electric-sql/pglite/package.json");
  const version = existsSync(pkg) ? (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version : "unknown";
  return createHash("sha256")
    .update(`${RECIPE}:${version}\n`)
    .update(listMigrations().map((m) => `${m.name}:${m.checksum}`).join("\n"))
    .digest("hex")
    .slice(0, 16);
}

async function makeSnapshot(): Promise<Blob> {
  // Booted many times (~250 test databases a run), so it is kept small: 1 MB WAL segments instead of
  // 16 MB, and only the segment in use (PostgreSQL makes the next ones).
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
  // Nothing connects to another database or creates one: the template databases are a third of the files.
  for (const t of ["template0", "template1"]) {
    await db.exec(`ALTER DATABASE ${t} IS_TEMPLATE false`);
    await db.exec(`DROP DATABASE ${t}`);
  }
  // Each boot clears its shared buffers; 128 MB (the default) took ~0.1 s of it.
  await db.exec("ALTER SYSTEM SET shared_buffers = '16MB'");
  await db.exec("CHECKPOINT");
  const current = (await db.query<{ f: string }>("SELECT pg_walfile_name(pg_current_wal_insert_lsn()) AS f")).rows[0].f;
  const wal = `${PGlite.paths.PGDATA}/pg_wal`;
  for (const f of db.Module.FS.readdir(wal)) if (/^[0-9A-F]{24}$/.test(f) && f > current) db.Module.FS.unlink(`${wal}/${f}`);
  const blob = await db.dumpDataDir("none");
  await db.close();
  return blob;
}

/** The snapshot's file in `dir`, made first if missing; null if `dir` cannot be written (see migratedSnapshot). */
export async function migratedSnapshotFile(dir = DEFAULT_SNAPSHOT_DIR): Promise<string> {
  const file = path.join(dir, `pglite-migrated-${snapshotKey()}.tar`);
  if (existsSync(file)) return file;
  const bytes = Buffer.from(await (await makeSnapshot()).arrayBuffer());
  mkdirSync(dir, { recursive: true });
  // Written aside then renamed: a concurrent process never reads half a snapshot.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return file;
}

let cached: Promise<Blob> | undefined;
/** The snapshot, read once per process; made in memory alone when the cache folder cannot be written. */
export function migratedSnapshot(): Promise<Blob> {
  cached ??= migratedSnapshotFile()
    .then((f) => new Blob([readFileSync(f)]))
    .catch(() => makeSnapshot());
  return cached;
}
