// A fresh database (PostgreSQL when the suite runs there) and a second client on it that records every SQL
// statement it sends: for tests that check how a query pages (no OFFSET, index seeks in EXPLAIN).
import type { PGlite } from "@electric-sql/pglite";
import { postgresAdapter, PrismaClient, type Database } from "../../server/db";
import { StrictPGlite } from "../../server/db/pglite-adapter";
import { freshPglite, freshPostgres, usingPostgres } from "./db";

export interface LoggedStatement {
  query: string;
  params: string[];
}

export async function freshLoggedDatabase(): Promise<{ database: Database; logged: PrismaClient; statements: LoggedStatement[] }> {
  const database = usingPostgres() ? await freshPostgres() : await freshPglite();
  const log = [{ emit: "event" as const, level: "query" as const }];
  const logged =
    "url" in database
      ? new PrismaClient({ adapter: postgresAdapter({ connectionString: database.url as string, max: 2 }), log })
      : new PrismaClient({ adapter: new StrictPGlite((database as Database & { pglite: PGlite }).pglite), log });
  const statements: LoggedStatement[] = [];
  logged.$on("query", (e) => statements.push({ query: e.query, params: JSON.parse(e.params) as string[] }));
  return { database, logged, statements };
}

/** The value an OFFSET placeholder of a statement was given ("0" when it skips nothing). */
export function offsetOf(s: LoggedStatement): string {
  const m = /OFFSET \$(\d+)/.exec(s.query);
  return m ? s.params[Number(m[1]) - 1]! : "0";
}

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
export function planNodes(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(planNodes);
  if (!node || typeof node !== "object") return [];
  const o = node as Record<string, unknown>;
  return [...("Node Type" in o ? [o] : []), ...Object.values(o).flatMap(planNodes)];
}
