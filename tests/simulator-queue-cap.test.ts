// The simulator's queue is capped: each run replays a population in child processes for minutes on a 2-core machine,
// so a member of staff may have 2 runs queued or running and everyone together 4; a double click or a script past
// that is refused with a 400, and two requests at once cannot both slip under a cap. Runs are queued, never performed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { queueSimulation, queueSimulationTx } from "../server/simulator";
import { DEFAULT_POPULATION, type Population } from "../server/simulator/population";
import { freshDatabase, usingPostgres } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";
import { heldOpen, sleep } from "./helpers/races";

const small: Population = { ...DEFAULT_POPULATION, members: 24, sharerPercent: 50, invitesPerSharer: 2, firstOrderPercent: 80, repeatOrders: 0.5, horizonDays: 30, seed: 7 };
const staff = (staffId: number) => ({ staffId, requestId: `req-${staffId}` });
const input = { name: "x", population: small };

let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

const queue = (staffId: number) => queueSimulationTx(database.prisma, staff(staffId), input, new Date());
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof DomainError ? e.code : Promise.reject(e)));
const openRuns = () => database.prisma.simulationRun.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } });

describe("the simulator's queue cap", () => {
  it("refuses a third open run of one member of staff and a fifth in all; a finished run frees its place", async () => {
    await queue(1);
    await queue(1);
    expect(await codeOf(queue(1))).toBe("TOO_MANY_SIMULATIONS");
    expect(await database.prisma.simulationRun.count({ where: { staffId: 1 } })).toBe(2);
    // Another member of staff has places of their own…
    await queue(2);
    await queue(2);
    // …until 4 runs wait or run in all.
    expect(await codeOf(queue(3))).toBe("SIMULATOR_BUSY");
    expect(await openRuns()).toBe(4);

    // A running run counts; a finished or failed one does not.
    const [a, b] = await database.prisma.simulationRun.findMany({ where: { staffId: 1 }, orderBy: { id: "asc" } });
    await database.prisma.simulationRun.update({ where: { id: a!.id }, data: { status: "RUNNING", startedAt: new Date() } });
    await database.prisma.simulationRun.update({ where: { id: b!.id }, data: { status: "DONE", finishedAt: new Date() } });
    expect(await codeOf(queue(3))).toBe("ok");
    expect(await codeOf(queue(1))).toBe("SIMULATOR_BUSY");
    await database.prisma.simulationRun.updateMany({ where: { staffId: 2 }, data: { status: "FAILED" } });
    expect(await codeOf(queue(1))).toBe("ok");
    expect(await codeOf(queue(1))).toBe("TOO_MANY_SIMULATIONS");
    expect(await openRuns()).toBe(3);
  });

  it("through the API: a 400 with the message, no run queued", async () => {
    const { caller } = await signedInStaff(database.prisma, "operator");
    await caller.merchantSimulator.queue(input);
    await caller.merchantSimulator.queue(input);
    const refused = await refusal(caller.merchantSimulator.queue(input));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.message).toContain("进行中的模拟已达上限");
    expect(await database.prisma.simulationRun.count()).toBe(2);
  });

  it.runIf(usingPostgres())("two requests at once at the cap (PostgreSQL): the second waits for the first, counts its run, and is refused", async () => {
    await queue(1);
    // The first of the two holds its transaction open, its run written but not committed.
    const first = heldOpen((fn) => inTx(database.prisma, {}, fn), (ctx) => queueSimulation(ctx, staff(1), input));
    await first.reached;
    const second = codeOf(queue(1));
    await sleep(500);
    first.release();
    await first.done;
    expect(await second).toBe("TOO_MANY_SIMULATIONS");
    expect(await database.prisma.simulationRun.count({ where: { staffId: 1 } })).toBe(2);

    // The global cap the same way: 3 open, two other members of staff at once, one refused.
    await queue(2);
    const both = await Promise.all([codeOf(queue(3)), codeOf(queue(4))]);
    expect(both.sort()).toEqual(["SIMULATOR_BUSY", "ok"]);
    expect(await openRuns()).toBe(4);
  });
});
