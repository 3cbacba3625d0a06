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
