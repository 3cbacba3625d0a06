// The sponsor-change preview's tier projection (server/members/sponsor-change previewSponsorChange, SPEC §7 gmv90)
// reads the gmv90 of the moved member and of every ancestor above it, before and after, in one statement (issue 14):
// it was one statement per ancestor. The figures are worked out by hand from the orders below.
// Runs on PGlite, and on PostgreSQL with FM_TEST_DB=postgres.
import { afterEach, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient, postgresAdapter, type Database } from "../../server/db";
import { StrictPGlite } from "../../server/db/pglite-adapter";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { recordCompletedGmv } from "../../server/tiers";
import { previewSponsorChange } from "../../server/members/sponsor-change";
import { DAY } from "../../server/clock/time";
import { freshPglite, freshPostgres, usingPostgres } from "../helpers/db";

let opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.reverse()) await o.close();
  opened = [];
});

const NOW = new Date("2026-03-10T02:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

it("projects tiers from gmv90 read in one statement for the moved member and both uplines (several ancestors each)", async () => {
  const database = usingPostgres() ? await freshPostgres() : ((await freshPglite()) as Database & { pglite: PGlite });
  const adapter = "url" in database ? postgresAdapter({ connectionString: database.url, max: 2 }) : new StrictPGlite(database.pglite);
  const db = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  opened.push(database, { close: () => db.$disconnect() });
  const gmvReads: string[] = [];
  db.$on("query", (e) => {
    if (/FROM "GmvCredit"/.test(e.query) && /sum\(/i.test(e.query)) gmvReads.push(e.query);
  });

  // gold from 300 元 of gmv90 only, so only gmv decides the tiers here.
  const config = parseConfig({ tiers: [{ name: "member" }, { name: "gold", minGmv90Fen: 30_000 }] });
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(db, { config, now: NOW }, fn);
  const reg = async (username: string, sponsorId: number | null) => (await run((c) => registerMember(c, { username, sponsorId, ip: `10.0.${username.length}.${username.charCodeAt(0)}`, device: `dev-${username}` }))).id;
  // Old upline r2 → r1 → old → a → a1 (a and a1 move); new upline z2 → z1 → n.
  const r2 = await reg("r2", null);
  const r1 = await reg("r1", r2);
  const old = await reg("old", r1);
  const a = await reg("a", old);
  const a1 = await reg("a1", a);
  const z2 = await reg("z2", null);
  const z1 = await reg("z1", z2);
  const n = await reg("n", z1);

  let seq = 0;
  const completed = async (memberId: number, goodsFen: number, completedAt: Date) => {
    const o = await db.order.create({ data: { orderNo: `G-${++seq}`, memberId, goodsFen, payableFen: goodsFen, status: "COMPLETED", createdAt: completedAt, completedAt } });
    await run((c) => recordCompletedGmv(c, { id: o.id, memberId, goodsFen, completedAt }));
  };
  await completed(a1, 20_000, daysAgo(1));
  await completed(a, 5_000, daysAgo(2));
  await completed(a, 50_000, daysAgo(100)); // outside the 90 days
  await completed(old, 10_000, daysAgo(1));
  await completed(r2, 30_000, daysAgo(89));
  await completed(n, 6_000, daysAgo(3));
  await completed(z2, 5_000, daysAgo(91)); // outside the 90 days

  // By hand: the moved team's gmv90 = 20 000 + 5 000 = 25 000.
  // old 10 000 + 25 000 = 35 000 (gold) → 10 000 (member); r1 (old's and the team's) 35 000 (gold) → 10 000 (member).
  // r2 30 000 + 35 000 = 65 000 (gold) → 40 000 (gold, unchanged).
  // n 6 000 → 31 000 (gold); z1 6 000 → 31 000 (gold); z2 6 000 → 31 000 (gold).
  const stored = async (id: number) => (await db.member.findUniqueOrThrow({ where: { id }, select: { tier: true } })).tier;
  expect([await stored(old), await stored(r1), await stored(r2), await stored(n), await stored(z1), await stored(z2)]).toEqual(["gold", "gold", "gold", "member", "member", "member"]);

  gmvReads.length = 0;
  const preview = await run((c) => previewSponsorChange(c, a, n));
  expect(preview.tiers.sort((p, q) => p.id - q.id)).toEqual([
    { id: r1, name: "r1", from: "gold", to: "member" },
    { id: old, name: "old", from: "gold", to: "member" },
    { id: z2, name: "z2", from: "member", to: "gold" },
    { id: z1, name: "z1", from: "member", to: "gold" },
    { id: n, name: "n", from: "member", to: "gold" },
  ]);
  expect(gmvReads).toHaveLength(1);
});
