// The shop keeps one enabled owner: refused one change at a time (PGlite and PostgreSQL), and when two owners
// disable or demote each other at the same moment (PostgreSQL: real concurrent transactions).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { setStaffDisabled, setStaffRole } from "../server/staff/accounts";
import { freshDatabase, usingPostgres } from "./helpers/db";

const config = parseConfig({});
let database: Database;
beforeEach(async () => {
  database = await freshDatabase();
});
afterEach(() => database.close());

async function twoOwners() {
  const mk = (username: string) => database.prisma.staffAccount.create({ data: { username, displayName: username, role: "owner", passwordHash: "x", createdAt: new Date() } });
  return [await mk("owner-a"), await mk("owner-b")] as const;
}

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: new Date() }, fn);
const enabledOwners = () => database.prisma.staffAccount.count({ where: { role: "owner", disabledAt: null } });

async function refusedCode(p: Promise<unknown>): Promise<string> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DomainError);
  return (e as DomainError).code;
}

describe("one change at a time", () => {
  it("refuses disabling the last enabled owner", async () => {
    const [a, b] = await twoOwners();
    await run((ctx) => setStaffDisabled(ctx, { staffId: a.id }, b.id, true));
    expect(await refusedCode(run((ctx) => setStaffDisabled(ctx, { staffId: b.id }, a.id, true)))).toBe("LAST_OWNER");
    expect(await enabledOwners()).toBe(1);
  });

  it("refuses demoting the last enabled owner", async () => {
    const [a, b] = await twoOwners();
    await run((ctx) => setStaffRole(ctx, { staffId: a.id }, b.id, "support"));
    expect(await refusedCode(run((ctx) => setStaffRole(ctx, { staffId: b.id }, a.id, "operator")))).toBe("LAST_OWNER");
    expect(await enabledOwners()).toBe(1);
  });
});

describe.runIf(usingPostgres())("two owners at the same moment (PostgreSQL)", () => {
  /**
   * Each change runs in its own transaction and waits, before committing, until the other has done its change too
   * (or 500 ms, when the other is queued behind its lock): without the owners' lock both check, write, then commit.
   */
  async function together(first: (ctx: Ctx) => Promise<unknown>, second: (ctx: Ctx) => Promise<unknown>) {
    let arrived = 0;
    let release!: () => void;
    const bothDone = new Promise<void>((r) => (release = r));
    const wait = async () => {
      if (++arrived === 2) release();
      await Promise.race([bothDone, new Promise((r) => setTimeout(r, 500))]);
    };
    return Promise.allSettled([run(async (ctx) => { await first(ctx); await wait(); }), run(async (ctx) => { await second(ctx); await wait(); })]);
  }

  const outcome = (r: PromiseSettledResult<unknown>[]) =>
    r.map((x) => (x.status === "fulfilled" ? "done" : x.reason instanceof DomainError ? x.reason.code : String(x.reason))).sort();

  it("disabling each other: one succeeds, the other is refused, one owner stays enabled", async () => {
    const [a, b] = await twoOwners();
    const r = await together((ctx) => setStaffDisabled(ctx, { staffId: a.id }, b.id, true), (ctx) => setStaffDisabled(ctx, { staffId: b.id }, a.id, true));
    expect(outcome(r)).toEqual(["LAST_OWNER", "done"]);
    expect(await enabledOwners()).toBe(1);
  });

  it("demoting each other: one succeeds, the other is refused, one owner stays", async () => {
    const [a, b] = await twoOwners();
    const r = await together((ctx) => setStaffRole(ctx, { staffId: a.id }, b.id, "support"), (ctx) => setStaffRole(ctx, { staffId: b.id }, a.id, "support"));
    expect(outcome(r)).toEqual(["LAST_OWNER", "done"]);
    expect(await enabledOwners()).toBe(1);
  });

  it("one disables the other while the other demotes the first: one owner stays", async () => {
    const [a, b] = await twoOwners();
    const r = await together((ctx) => setStaffDisabled(ctx, { staffId: a.id }, b.id, true), (ctx) => setStaffRole(ctx, { staffId: b.id }, a.id, "finance"));
    expect(outcome(r)).toEqual(["LAST_OWNER", "done"]);
    expect(await enabledOwners()).toBe(1);
  });
});
