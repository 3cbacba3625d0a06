// Scratch PostgreSQL databases for benchmarks: on DATABASE_URL's server, named by BENCH_DB (default
// fm_bench) plus a suffix, dropped and recreated each run. A statement-counting Prisma client on them.
import { spawnSync } from "node:child_process";
import pg from "pg";
import { migratePostgres, postgresAdapter, PrismaClient } from "../server/db";
import type { MallConfig } from "../server/config/schema";
import { bulkSeedNetwork } from "./seed/bulk";
import { planNetwork } from "./seed/network";

export const serverUrl = () => process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

/** Drops and recreates `BENCH_DB[suffix]`; returns its URL. */
export async function recreateScratch(suffix = ""): Promise<{ name: string; url: string }> {
  const name = `${process.env.BENCH_DB ?? "fm_bench"}${suffix}`;
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad scratch database name ${name}`);
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Bulk-seeds a network of `members` (bench/seed, joined a minute apart from a month ago) into the database at `url`, then ANALYZE. */
export async function seedScratchNetwork(url: string, config: MallConfig, members: number, seed: number, deferClosureIndexes = false): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await bulkSeedNetwork((sql, params) => client.query(sql, params), config, planNetwork(members, seed), {
      start: new Date(Date.now() - 30 * 86_400_000),
      stepMs: 60_000,
      deferClosureIndexes,
    });
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

export async function dropScratch(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}

/**
 * The app's migrations, then a Prisma client whose every SQL statement sent to the server (BEGIN and
 * COMMIT included) is counted: pg_stat_statements needs a server restart to load, this does not.
 */
export async function countingPrisma(url: string, poolSize: number) {
  await migratePostgres(url);
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // Dropping the scratch database at the end ends idle connections: not an error of the run.
  pool.on("error", () => {});
  const counter = { statements: 0 };
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      counter.statements++;
      return query(...a);
    };
  });
  // The app's adapter; errors formatted as in production (next start), where Prisma captures no call-site stack per query.
  const prisma = new PrismaClient({ adapter: postgresAdapter(pool), errorFormat: "minimal" });
  return { prisma, counter, close: async () => { await prisma.$disconnect(); await pool.end(); } };
}

export const pct = (xs: number[], p: number) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]);

/** pgbench's TPC-B-like baseline at scale 10 in its own scratch database: `tps(clients)` runs it for `seconds`. */
export async function pgbenchBaseline(seconds: number) {
  const { name, url } = await recreateScratch("_pgbench");
  const conn = new URL(url);
  const pgArgs = ["-h", conn.hostname, "-p", conn.port || "5432", "-U", decodeURIComponent(conn.username || "postgres")];
  const init = spawnSync("pgbench", [...pgArgs, "-i", "-q", "-s", "10", name], { encoding: "utf8" });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  const tps = (clients: number): number => {
    const r = spawnSync("pgbench", [...pgArgs, "-n", "-c", String(clients), "-j", String(Math.min(clients, 2)), "-T", String(seconds), name], { encoding: "utf8" });
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(r.stdout);
    if (!m) throw new Error(`pgbench output not understood: ${r.stdout}${r.stderr}`);
    return Number(m[1]);
  };
  return { name, tps };
}
