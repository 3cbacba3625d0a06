import { Prisma, type Db } from "../../server/db";

/**
 * The plan of `sql` with sequential scans priced out: the planner then takes an index whenever one serves the
 * query, so a scan left in the plan means no index does (whatever the statistics of a small test database).
 */
export function planWithoutSeqscan(db: Db, sql: Prisma.Sql): Promise<string> {
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${sql}`);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}
