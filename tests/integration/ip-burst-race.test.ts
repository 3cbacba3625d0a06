// SPEC §8 ip_burst: a sign-up that makes 5 or more from one IP within 60 minutes flags the member. A bot farm signs
// up from one IP all at once, so the rule must count sign-ups that start together as it counts serial ones. Found in
// review: the count sat in the statement that waits for the placement lock (server/referral registerMember), so its
// snapshot predated the wait and sign-ups queued together never saw each other. A helper transaction holds the
// placement lock so that every sign-up is under way before the first one commits. Real concurrency needs
// PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { IP_BURST_COUNT, registerMember } from "../../server/referral";
import { ROOT_SEAT_ID } from "../../server/matrix";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { sleep } from "../helpers/races";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
const IP = "203.0.113.7";

/** Starts `start`'s sign-ups while a helper transaction holds the placement lock (the root seat), so all are under way before any commits. */
async function whilePlacementHeld<T>(db: Db, start: () => Promise<T>[]): Promise<T[]> {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const held = db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM "MatrixSeat" WHERE id = ${ROOT_SEAT_ID} FOR UPDATE`;
      await gate;
    },
    { timeout: 60_000 },
  );
  await sleep(300);
  const started = start();
  await sleep(1000);
  release();
  const [, ...done] = await Promise.all([held, ...started]);
  return done as T[];
}

describe.runIf(usingPostgres())("concurrent sign-ups: ip_burst from one IP, one name twice", () => {
  let database: Database;
  afterEach(() => database.close());

  it("six sign-ups from one IP at once: the fifth and the sixth to join are flagged, as if they had signed up one after another", async () => {
    expect(IP_BURST_COUNT).toBe(5);
    database = await freshDatabase();
    const db = database.prisma;
    const signUp = (username: string, ip: string) => inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username, ip, device: `dev-${username}` }));
    // Someone from elsewhere first: the matrix root exists, and this sign-up is not from IP.
    await signUp("first", "198.51.100.1");

    // The placement lock (the root seat) held: each sign-up starts before any commits.
    const joined = await whilePlacementHeld(db, () => Array.from({ length: 6 }, (_, i) => signUp(`bot-${i + 1}`, IP)));

    // Serially, the k-th sign-up from IP counts k (itself and the k − 1 before it, all at t0): the 5th and the 6th
    // reach 5, one event each, flagging its own member.
    const events = await db.riskEvent.findMany({ where: { rule: "ip_burst" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.evidence)).toEqual([
      { ip: IP, signupsInWindow: 5 },
      { ip: IP, signupsInWindow: 6 },
    ]);
    const ids = new Set(joined.map((m) => m.id));
    for (const e of events) {
      expect(e.memberIds).toHaveLength(1);
      expect(ids.has(e.memberIds[0])).toBe(true);
    }
    const flags = await db.riskFlag.findMany({ orderBy: { eventId: "asc" } });
    expect(flags.map((f) => [f.eventId, f.memberId])).toEqual(events.map((e) => [e.id, e.memberIds[0]]));
  });
  it("two sign-ups of one name at once: one joins, the other is told the name is taken (not an internal error)", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    const signUp = (username: string, ip: string) => inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username, ip, device: `dev-${ip}` }));
    await signUp("first", "198.51.100.1");

    // The placement lock held: both name checks run before either sign-up commits.
    const outcome = (p: Promise<unknown>) => p.then(() => "joined", (e: unknown) => (e as { code?: string }).code ?? String(e));
    const twins = await whilePlacementHeld(db, () => [outcome(signUp("twin", "198.51.100.2")), outcome(signUp("twin", "198.51.100.3"))]);
    expect(twins.sort()).toEqual(["USERNAME_TAKEN", "joined"]);
    expect(await db.member.count({ where: { username: "twin" } })).toBe(1);
    expect(await db.wallet.count()).toBe(2);
  });
});
