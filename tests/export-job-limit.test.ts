// Background exports per member of staff: at most 3 queued or running at once; the next is refused with a
// 4xx reason until one of them finishes or fails. Two requests at once cannot both take the last place
// (on PostgreSQL, FM_TEST_DB=postgres, the two transactions overlap for real).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx, type Ctx } from "../server/context";
import { queueExport } from "../server/exports/jobs";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";
import { overlapping } from "./helpers/races";

let database: Database;
let owner: number;
let operator: number;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, {}, fn);
const staffAccount = (username: string, role: "owner" | "operator") =>
  database.prisma.staffAccount.create({ data: { username, displayName: username, role, passwordHash: "-", createdAt: new Date() } });

/** One members export for `staffId`, or the code it was refused with. */
const queue = (ctx: Ctx, staffId: number) =>
  queueExport(ctx, { staffId }, { kind: "members", filter: {}, rowsTotal: 9_000, fileName: "会员列表.csv" }).then(
    (job) => job.id,
    (e: unknown) => {
      if (e instanceof DomainError) return e.code;
      throw e;
    },
  );

beforeEach(async () => {
  database = await freshDatabase();
  owner = (await staffAccount("boss", "owner")).id;
  operator = (await staffAccount("ops", "operator")).id;
});
afterEach(() => database.close());

describe("open exports per member of staff", () => {
  it("three are queued, the fourth is refused; another member of staff is not limited by them", async () => {
    for (let i = 0; i < 3; i++) expect(await run((ctx) => queue(ctx, owner))).toEqual(expect.any(Number));
    expect(await run((ctx) => queue(ctx, owner))).toBe("TOO_MANY_EXPORTS");
    expect(await run((ctx) => queue(ctx, operator))).toEqual(expect.any(Number));
    // The refused request left no job and no audit entry behind.
    expect(await database.prisma.exportJob.count({ where: { staffId: owner } })).toBe(3);
    expect(await database.prisma.auditLog.count({ where: { action: "export.queued", actorId: owner } })).toBe(3);
  });

  it("a running job counts; a finished, failed or expired one does not", async () => {
    const jobs = [];
    for (let i = 0; i < 3; i++) jobs.push((await run((ctx) => queue(ctx, owner))) as number);
    await database.prisma.exportJob.update({ where: { id: jobs[0]! }, data: { status: "RUNNING" } });
    expect(await run((ctx) => queue(ctx, owner))).toBe("TOO_MANY_EXPORTS");
    await database.prisma.exportJob.update({ where: { id: jobs[1]! }, data: { status: "DONE" } });
    expect(await run((ctx) => queue(ctx, owner))).toEqual(expect.any(Number));
    expect(await run((ctx) => queue(ctx, owner))).toBe("TOO_MANY_EXPORTS");
    await database.prisma.exportJob.updateMany({ where: { id: { in: [jobs[0]!, jobs[2]!] } }, data: { status: "FAILED" } });
    await database.prisma.exportJob.update({ where: { id: jobs[1]! }, data: { status: "EXPIRED" } });
    expect(await run((ctx) => queue(ctx, owner))).toEqual(expect.any(Number));
    expect(await run((ctx) => queue(ctx, owner))).toEqual(expect.any(Number));
    expect(await run((ctx) => queue(ctx, owner))).toBe("TOO_MANY_EXPORTS");
  });

  it("two requests at once for the last place: the second waits for the first and is refused", async () => {
    for (let i = 0; i < 2; i++) await run((ctx) => queue(ctx, owner));
    let first: number | string = "";
    const second = await overlapping(
      run,
      async (ctx) => (first = await queue(ctx, owner)),
      (ctx) => queue(ctx, owner),
    );
    expect([first, second]).toEqual([expect.any(Number), "TOO_MANY_EXPORTS"]);
    expect(await database.prisma.exportJob.count({ where: { staffId: owner, status: "QUEUED" } })).toBe(3);
  });

  it("the refusal is worded in both languages", () => {
    for (const locale of ["zh-CN", "en"] as const) expect(createT(locale, MESSAGES[locale])("error.TOO_MANY_EXPORTS")).not.toBe("error.TOO_MANY_EXPORTS");
  });
});
