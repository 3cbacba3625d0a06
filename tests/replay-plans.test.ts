// A scenario replay (the SPEC §10 runner, each simulator rule set) runs on a throwaway PGlite, which
// gathers no statistics, and prepares each statement once: its plan is made on nearly empty tables and
// kept while they grow. A sequential scan of a growing table in such a plan made a 5 000-member replay
// slower with every sign-up (the matrix walked up by a hash join over every seat, the pending due
// transitions scanned for the earliest one). Every statement a replay prepares must reach those tables
// through an index.
import { expect, it } from "vitest";
import { parseConfig } from "../server/config/schema";
import { runScenario, throwawayPglite } from "../server/scenario/run";
import { DEFAULT_POPULATION, generateScenario } from "../server/simulator/population";

const GROWING = ["Member", "SponsorClosure", "DownlineLevelCount", "MatrixSeat", "MatrixLevelCount", "Order", "OrderLine", "Payment", "Commission", "RebateTask", "RebateAssignment", "DueTransition", "LedgerTxn", "LedgerEntry", "Wallet"];

it("no statement a replay prepares scans a growing table, and the sweeps read the pending-transition index", { timeout: 120_000 }, async () => {
  const config = parseConfig({});
  const scenario = generateScenario({ ...DEFAULT_POPULATION, members: 120, horizonDays: 30, seed: 3 }, config);
  const plans: { sql: string; plan: string }[] = [];
  const database = await throwawayPglite();
  await runScenario(scenario, {
    simulation: true,
    open: async () => database,
    inspect: async () => {
      const prepared = await database.pglite.query<{ statement: string }>("SELECT statement FROM pg_prepared_statements");
      for (const { statement } of prepared.rows.filter((r) => /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(r.statement))) {
        // The generic plan (what a prepared statement runs once PostgreSQL stops planning per call), by the
        // simple protocol: its parameters stay unbound.
        const [result] = await database.pglite.exec(`EXPLAIN (GENERIC_PLAN) ${statement}`);
        plans.push({ sql: statement, plan: (result.rows as { "QUERY PLAN": string }[]).map((r) => r["QUERY PLAN"]).join("\n") });
      }
    },
  });
  expect(plans.length).toBeGreaterThan(30);
  // Prisma reads a whole table as `WHERE 1=1` (the replay's output at the end): a scan is its plan.
  const scans = plans.filter((p) => !/\bWHERE 1=1 OFFSET\b/.test(p.sql)).flatMap(({ sql, plan }) => GROWING.filter((t) => plan.includes(`Seq Scan on "${t}"`)).map((t) => `${t}: ${sql.replace(/\s+/g, " ").slice(0, 200)}`));
  expect(scans).toEqual([]);
  const claim = plans.find((p) => /UPDATE "DueTransition" d\s+SET "doneAt"/.test(p.sql));
  expect(claim?.plan).toContain("DueTransition_pending_idx");
  const retire = plans.find((p) => /FOR UPDATE SKIP LOCKED\) t\)/.test(p.sql));
  expect(retire?.plan).toContain("DueTransition_kind_refId_dueAt_key");
});
