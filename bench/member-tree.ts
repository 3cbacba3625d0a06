// npx tsx bench/member-tree.ts [-- --members 100000]   (DATABASE_URL: a PostgreSQL database it may empty)
// The back office's member detail at 100 000 members below one member (issue 9): a ternary tree is
// written straight into Member / SponsorClosure / DownlineLevelCount (what sign-up would have left),
// then the detail page's reads are timed (median of 5): the detail, expanding the tree node by node
// (direct children by the sponsor index), a level page (closure rows at a depth), and the preview of
// a sponsor change moving a 1/3 subtree; then that move is run in batches and timed.
import { performance } from "node:perf_hooks";
import { openPostgres } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { downlineChildren, downlineLevel, memberDetail } from "../server/members/admin";
import { decideSponsorChange, previewSponsorChange, requestSponsorChange, runSponsorChanges } from "../server/members/sponsor-change";
import { arg } from "./args";

const below = Number(arg("members", "100000"));
const url = process.env.DATABASE_URL;
if (!url) throw new Error("set DATABASE_URL to a PostgreSQL database this benchmark may empty");
const database = await openPostgres(url);
const db = database.prisma;
const config = parseConfig({});
const now = new Date();

await db.$executeRawUnsafe(`TRUNCATE "Member", "SponsorClosure", "DownlineLevelCount", "MatrixSeat", "MatrixLevelCount", "Wallet", "SponsorChangeRequest", "SponsorBindHistory", "JobCursor", "DueTransition", "GmvCredit" RESTART IDENTITY CASCADE`);
const t0 = performance.now();
// Member 1 is the top; member i's sponsor is (i - 2) / 3 + 1: a full ternary tree of below + 1 members.
await db.$executeRawUnsafe(`INSERT INTO "Member" (id, username, "referralCode", "sponsorId", "createdAt", "teamSize")
  SELECT i, 'b' || i, 'B' || i, CASE WHEN i = 1 THEN NULL ELSE (i - 2) / 3 + 1 END, now(), 0 FROM generate_series(1, ${below + 1}) i`);
await db.$executeRawUnsafe(`SELECT setval('"Member_id_seq"', ${below + 1})`);
await db.$executeRawUnsafe(`INSERT INTO "SponsorClosure" ("ancestorId", "descendantId", depth)
  WITH RECURSIVE up AS (
    SELECT id AS d, "sponsorId" AS a, 1 AS depth FROM "Member" WHERE "sponsorId" IS NOT NULL
    UNION ALL SELECT up.d, m."sponsorId", up.depth + 1 FROM up JOIN "Member" m ON m.id = up.a WHERE m."sponsorId" IS NOT NULL)
  SELECT a, d, depth FROM up`);
await db.$executeRawUnsafe(`INSERT INTO "DownlineLevelCount" ("memberId", depth, count) SELECT "ancestorId", depth, count(*) FROM "SponsorClosure" GROUP BY 1, 2`);
await db.$executeRawUnsafe(`UPDATE "Member" m SET "teamSize" = c.n FROM (SELECT "ancestorId" AS id, count(*)::int AS n FROM "SponsorClosure" GROUP BY 1) c WHERE m.id = c.id`);
await db.$executeRawUnsafe(`ANALYZE`);
const closureRows = await db.sponsorClosure.count();
console.log(`tree: ${below + 1} members, ${closureRows} closure rows, written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

async function median(label: string, fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} ${times[2]!.toFixed(1).padStart(8)} ms`);
}

const deepest = (await db.downlineLevelCount.findFirst({ where: { memberId: 1 }, orderBy: { depth: "desc" } }))!.depth;
await median("member detail (top member, 100k below)", () => memberDetail(db, config, 1, "owner"));
await median("tree: expand the top member (3 children)", () => downlineChildren(db, 1, null));
await median("tree: expand a node 5 levels down", () => downlineChildren(db, 122, null));
await median("level view: depth 1 page", () => downlineLevel(db, 1, 1, null));
await median(`level view: deepest level (${deepest}) first page`, () => downlineLevel(db, 1, deepest, null));
await median("level view: depth 5 page after 200 rows", async () => {
  const first = await downlineLevel(db, 1, 5, null, 200);
  await downlineLevel(db, 1, 5, first.nextAfterId);
});
// Member 2 carries a third of the tree; it moves under member 4 (its sibling's first child... a member outside its subtree).
await median("sponsor change preview (member 2, 1/3 of the tree)", () => inTx(db, { config, now }, (c) => previewSponsorChange(c, 2, 3)));

const { id } = await inTx(db, { config, now }, (c) => requestSponsorChange(c, { memberId: 2, to: 3, reason: "bench" }, { staffId: 1 }));
await inTx(db, { config, now }, (c) => decideSponsorChange(c, id, true, null, { staffId: 2 }));
const moved = (await db.member.findUniqueOrThrow({ where: { id: 2 } })).teamSize + 1;
const s = performance.now();
await runSponsorChanges(db, { now, config });
const ms = performance.now() - s;
console.log(`sponsor change: moved ${moved} members in batches of 500 in ${(ms / 1000).toFixed(1)} s (${((ms / moved) * 1000).toFixed(0)} µs per member)`);
const check = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "SponsorClosure" WHERE "ancestorId" = 3`);
console.log(`member 3 now has ${check[0]!.n} below (expected ${(await db.member.findUniqueOrThrow({ where: { id: 3 } })).teamSize})`);
await database.close();
