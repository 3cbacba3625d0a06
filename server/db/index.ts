// Database access: embedded PGlite (default, data under .data/) or real PostgreSQL when
// DATABASE_URL is set. The same committed migrations run on both, automatically on open.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLITE_EXTENSIONS } from "./extensions";
import { StrictPGlite } from "./pglite-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient, Prisma } from "./generated/client";
import { applyMigrations, type SqlRunner } from "./migrate";
import { databasePoolMax } from "../env";

export { Prisma, PrismaClient };
export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

export interface Database {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded database is used. */
  url?: string | null;
  /** PGlite data directory, or "memory://" for a throwaway database. */
  dataDir?: string;
  /** PGlite snapshot (from dumpDataDir) to start from instead of an empty database. */
  loadDataDir?: Blob | File;
  migrate?: boolean;
  poolSize?: number;
  /** Errors without the caller's source location: the client then records no call site per query (as under NODE_ENV=production). */
  minimalErrors?: boolean;
}

export const DEFAULT_DATA_DIR = path.resolve(process.cwd(), ".data/pglite");

function pgliteRunner(db: PGlite): SqlRunner {
  return {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T,>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
  };
}

export async function openPglite(opts: OpenOptions = {}): Promise<Database & { pglite: PGlite }> {
  const dataDir = opts.dataDir ?? DEFAULT_DATA_DIR;
  if (!dataDir.startsWith("memory://")) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { extensions: PGLITE_EXTENSIONS, ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}) });
  if (opts.migrate !== false) await applyMigrations(pgliteRunner(pglite));
  const prisma = new PrismaClient({ adapter: new StrictPGlite(pglite), ...(opts.minimalErrors ? { errorFormat: "minimal" as const } : {}) });
  return {
    prisma,
    pglite,
    kind: "pglite",
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** How long opening a connection, or waiting for a free one in the pool, may take. */
const CONNECT_TIMEOUT_MS = 10_000;

export async function migratePostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    return await applyMigrations({
      exec: async (sql) => {
        await client.query(sql);
      },
      query: async <T,>(sql: string, params?: unknown[]) => (await client.query(sql, params as unknown[])).rows as T[],
    });
  } finally {
    await client.end();
  }
}

/** Names of the SQL texts prepared so far; past MAX_PREPARED a new text runs unprepared. */
const preparedNames = new Map<string, string>();
const MAX_PREPARED = 500;

/**
 * Prisma's adapter on a pg pool, with each SQL text prepared once per connection: PostgreSQL then
 * parses (and, once it settles on a generic plan, plans) a statement once instead of at every call.
 * Caveat: a migration that changes a table's columns fails `SELECT *` statements already prepared
 * on open connections ("cached plan must not change result type") until they reconnect.
 */
export function postgresAdapter(pool: pg.Pool | pg.PoolConfig): PrismaPg {
  return new PrismaPg(pool, {
    statementNameGenerator: (query) => {
      let name = preparedNames.get(query.sql);
      if (name === undefined && preparedNames.size < MAX_PREPARED) {
        name = `fm_${preparedNames.size}`;
        preparedNames.set(query.sql, name);
      }
      // A query without a name is sent unprepared (pg), so a rare text past the cap costs nothing kept.
      return name as string;
    },
  });
}

export async function openPostgres(url: string, opts: OpenOptions = {}): Promise<Database> {
  if (opts.migrate !== false) await migratePostgres(url);
  // A saturated pool or an unanswering server fails the request after CONNECT_TIMEOUT_MS instead of holding it.
  const prisma = new PrismaClient({ adapter: postgresAdapter({ connectionString: url, max: opts.poolSize ?? databasePoolMax(), connectionTimeoutMillis: CONNECT_TIMEOUT_MS }) });
  return { prisma, kind: "postgres", close: () => prisma.$disconnect() };
}

export function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const url = opts.url === undefined ? process.env.DATABASE_URL : opts.url;
  return url ? openPostgres(url, opts) : openPglite(opts);
}

// The app's shared database, kept on globalThis so dev reloads reuse one PGlite instance.
const g = globalThis as unknown as { __fmDb?: Promise<Database> };
export function getDatabase(): Promise<Database> {
  g.__fmDb ??= openDatabase({ dataDir: process.env.PGLITE_DIR ? path.resolve(process.env.PGLITE_DIR) : undefined });
  return g.__fmDb;
}
export async function getDb(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}
