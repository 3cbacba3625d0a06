// An experiment's start takes the rule savers' lock (server/rules lockRules) and reads the rules under it, as its end
// does: B's changes are against the rules in force, also when a save commits while the start waits for the lock (read
// before it, B would be diffed against the rules the save replaced). Real concurrency needs PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, loadRules, type Ctx } from "../../server/context";
import { saveRuleVersion } from "../../server/rules";
import { startExperimentTx } from "../../server/experiments";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { heldOpen, queued } from "../helpers/races";

const OWNER = { staffId: 1, requestId: "req-exp-lock" };

describe.runIf(usingPostgres())("startExperiment reads the rules under the rules lock", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  it("a save of 返现 50% committing while the start waits makes B (50%) the rules in force: refused as no change", async () => {
    const db = database.prisma;
    const inForce = (await loadRules(db, new Date())).config;
    expect(inForce.rebate.percent).toBe(100);
    const save = heldOpen(
      (fn: (ctx: Ctx) => Promise<void>) => inTx(db, {}, fn),
      (ctx) => saveRuleVersion(ctx, OWNER, { config: { ...inForce, rebate: { ...inForce.rebate, percent: 50 } }, reason: "返现 50%" }),
    );
    await save.reached;
    const start = startExperimentTx(db, OWNER, { name: "半价", hypothesis: "", variantPercent: 50, variantRebate: { percent: 50 } }, new Date());
    const outcome = start.then(() => "started", (e: { code?: string }) => e.code ?? String(e));
    await queued(db, 1, start);
    save.release();
    await save.done;
    expect(await outcome).toBe("EXPERIMENT_REFUSED");
    expect(await db.experiment.count()).toBe(0);
  });
});
