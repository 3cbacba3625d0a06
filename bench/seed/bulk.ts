// Bulk seeding of a referral network (issue 14): the rows that signing the members up one by one
// (server/referral registerMember) would leave — members and wallets, sponsor closure, per-depth
// downline counters, team sizes, matrix seats with their vacancy depths and per-depth level counts —
// computed in memory in sign-up order and written with set-based statements (arrays unnested in
// chunks), not one transaction per member. tests/integration/bulk-seed.test.ts proves the equality.
// Not written: what sign-up adds besides the tree (the member/joined outbox event, risk events for
// shared IPs or devices, notifications): seeded members have no IP, device or phone.
import type { MallConfig } from "../../server/config/schema";
import { referralCodesFor } from "../../server/referral/codes";
import type { NetworkPlan } from "./network";

/** Runs one statement with positional parameters ($1 …). */
export type Exec = (sql: string, params: unknown[]) => Promise<unknown>;

export interface BulkSeedOptions {
  /** Sign-up time of member 1; member i joins `stepMs` × (i − 1) later. */
  start: Date;
  stepMs: number;
  /** Rows per statement. */
  chunk?: number;
  /**
   * Drop the closure table's keys and indexes while loading and build them once afterwards (the same
   * definitions as the migrations): much faster for millions of rows than maintaining them per row.
   */
  deferClosureIndexes?: boolean;
  /** Progress callback (phase, rows written so far). */
  progress?: (phase: string, rows: number) => void;
}

export interface BulkSeedResult {
  members: number;
  closureRows: number;
  seatLevelRows: number;
}

/** The member's username in seeded networks (the one-by-one reference path uses the same). */
export const seededUsername = (id: number) => `m${id}`;

/** Where each member sits in the matrix (SPEC §3), placed in sign-up order as placeInMatrix does. */
export function placeAll(plan: NetworkPlan, width: number) {
  const n = plan.sponsor.length;
  // Seat ids: 0 is the platform root, member i sits in seat i (seats are created in sign-up order).
  const parent = new Int32Array(n + 1).fill(-1);
  const level = new Int32Array(n + 1);
  const position = new Int32Array(n + 1);
  const childCount = new Int32Array(n + 1);
  const minVacantDepth = new Int32Array(n + 1).fill(1);
  const children = new Int32Array((n + 1) * width);
  const effective = (s: number) => (childCount[s] < width ? 1 : minVacantDepth[s]);
  for (let m = 1; m <= n; m++) {
    const sponsorId = plan.sponsor[m - 1];
    let seat = sponsorId > 0 ? sponsorId : 0;
    // First vacancy breadth-first under the start seat: descend into the leftmost child one level closer.
    let depth = effective(seat);
    while (depth > 1) {
      let next = -1;
      for (let p = 0; p < width; p++) {
        const k = children[seat * width + p];
        if (effective(k) === depth - 1) {
          next = k;
          break;
        }
      }
      if (next < 0) throw new Error(`matrix invariant broken under seat ${seat}`);
      seat = next;
      depth--;
    }
    parent[m] = seat;
    level[m] = level[seat] + 1;
    position[m] = childCount[seat];
    children[seat * width + childCount[seat]] = m;
    childCount[seat]++;
    // Vacancy depths change upwards only while they change.
    for (let cur = seat; cur >= 0; cur = parent[cur]) {
      let v = 1;
      if (childCount[cur] >= width) {
        v = Infinity;
        for (let p = 0; p < width; p++) v = Math.min(v, effective(children[cur * width + p]));
        v += 1;
      }
      if (v === minVacantDepth[cur]) break;
      minVacantDepth[cur] = v;
    }
  }
  return { parent, level, position, childCount, minVacantDepth };
}

// prisma/migrations/20261124155542_init: the closure table's key, index and foreign keys.
const DROP_CLOSURE_INDEXES = [
  `ALTER TABLE "SponsorClosure" DROP CONSTRAINT "SponsorClosure_ancestorId_fkey"`,
  `ALTER TABLE "SponsorClosure" DROP CONSTRAINT "SponsorClosure_descendantId_fkey"`,
  `ALTER TABLE "SponsorClosure" DROP CONSTRAINT "SponsorClosure_pkey"`,
  `DROP INDEX "SponsorClosure_descendantId_depth_idx"`,
];
const CREATE_CLOSURE_INDEXES = [
  `ALTER TABLE "SponsorClosure" ADD CONSTRAINT "SponsorClosure_pkey" PRIMARY KEY ("ancestorId", "descendantId")`,
  `CREATE INDEX "SponsorClosure_descendantId_depth_idx" ON "SponsorClosure"("descendantId", "depth")`,
  `ALTER TABLE "SponsorClosure" ADD CONSTRAINT "SponsorClosure_ancestorId_fkey" FOREIGN KEY ("ancestorId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE`,
  `ALTER TABLE "SponsorClosure" ADD CONSTRAINT "SponsorClosure_descendantId_fkey" FOREIGN KEY ("descendantId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE`,
];

const ints = (a: ArrayLike<number>, from: number, to: number) => Array.from({ length: to - from }, (_, i) => a[from + i]);

/** Writes the network into an empty member tree. */
export async function bulkSeedNetwork(exec: Exec, config: MallConfig, plan: NetworkPlan, opts: BulkSeedOptions): Promise<BulkSeedResult> {
  if (config.tiers.some((t) => (t.minTeam ?? 0) > 0)) {
    throw new Error("bulk seeding supports tier rules without a team-size threshold (members would be re-tiered on every sign-up)");
  }
  const n = plan.sponsor.length;
  const chunk = opts.chunk ?? 50_000;
  const width = config.matrix.width;
  const everyone = config.commission.distributorMode === "everyone";
  const baseTier = config.tiers[0]?.name ?? "member";
  const at = (id: number) => new Date(opts.start.getTime() + (id - 1) * opts.stepMs).toISOString();

  // Team sizes and closure rows: each member's sponsor chain.
  const teamSize = new Int32Array(n + 1);
  for (let m = 1; m <= n; m++) for (let a = plan.sponsor[m - 1]; a > 0; a = plan.sponsor[a - 1]) teamSize[a]++;

  // Members in id order (a sponsor always has a smaller id, so it exists when its directs are written).
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n + 1, from + chunk);
    const ids = Array.from({ length: to - from }, (_, i) => from + i);
    await exec(
      `INSERT INTO "Member" (id, username, "referralCode", "sponsorId", "createdAt", tier, "distributorSince", "teamSize")
       SELECT id, u, code, NULLIF(sp, 0), t, $6, CASE WHEN $7 THEN t END, ts
       FROM unnest($1::int[], $2::text[], $3::text[], $4::int[], $5::timestamptz[], $8::int[]) AS x(id, u, code, sp, t, ts)`,
      [ids, ids.map(seededUsername), referralCodesFor(ids), ints(plan.sponsor, from - 1, to - 1), ids.map(at), baseTier, everyone, ints(teamSize, from, to)],
    );
    opts.progress?.("members", to - 1);
  }
  await exec(`INSERT INTO "Wallet" ("memberId") SELECT generate_series(1, $1::int)`, [n]);
  await exec(`SELECT setval('"Member_id_seq"', $1::int)`, [n]);

  // Sponsor closure, streamed in chunks.
  if (opts.deferClosureIndexes) for (const sql of DROP_CLOSURE_INDEXES) await exec(sql, []);
  let closureRows = 0;
  let anc: number[] = [];
  let desc: number[] = [];
  let dep: number[] = [];
  const flushClosure = async () => {
    if (anc.length === 0) return;
    await exec(`INSERT INTO "SponsorClosure" ("ancestorId", "descendantId", depth) SELECT * FROM unnest($1::int[], $2::int[], $3::int[])`, [anc, desc, dep]);
    closureRows += anc.length;
    opts.progress?.("closure", closureRows);
    anc = [];
    desc = [];
    dep = [];
  };
  for (let m = 1; m <= n; m++) {
    let d = 1;
    for (let a = plan.sponsor[m - 1]; a > 0; a = plan.sponsor[a - 1], d++) {
      anc.push(a);
      desc.push(m);
      dep.push(d);
    }
    if (anc.length >= chunk) await flushClosure();
  }
  await flushClosure();
  if (opts.deferClosureIndexes) {
    for (const sql of CREATE_CLOSURE_INDEXES) await exec(sql, []);
    opts.progress?.("closure indexes", closureRows);
  }
  await exec(`INSERT INTO "DownlineLevelCount" ("memberId", depth, count) SELECT "ancestorId", depth, count(*)::int FROM "SponsorClosure" GROUP BY 1, 2`, []);

  // Matrix seats: the root, then member i in seat i.
  const seats = placeAll(plan, width);
  await exec(
    `INSERT INTO "MatrixSeat" (id, "memberId", "parentId", level, position, "childCount", "minVacantDepth") VALUES (0, NULL, NULL, 0, 0, $1, $2)`,
    [seats.childCount[0], seats.minVacantDepth[0]],
  );
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n + 1, from + chunk);
    const ids = Array.from({ length: to - from }, (_, i) => from + i);
    await exec(
      `INSERT INTO "MatrixSeat" (id, "memberId", "parentId", level, position, "childCount", "minVacantDepth")
       SELECT id, id, p, l, pos, c, v FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[]) AS x(id, p, l, pos, c, v)`,
      [ids, ints(seats.parent, from, to), ints(seats.level, from, to), ints(seats.position, from, to), ints(seats.childCount, from, to), ints(seats.minVacantDepth, from, to)],
    );
    opts.progress?.("seats", to - 1);
  }
  await exec(`SELECT setval('"MatrixSeat_id_seq"', $1::int)`, [n]);

  // Seats filled per depth below each seat: children before parents (a child's id is always larger).
  const below: (number[] | undefined)[] = new Array(n + 1);
  let seatLevelRows = 0;
  let sid: number[] = [];
  let sdep: number[] = [];
  let scount: number[] = [];
  const flushLevels = async () => {
    if (sid.length === 0) return;
    await exec(`INSERT INTO "MatrixLevelCount" ("seatId", depth, count) SELECT * FROM unnest($1::int[], $2::int[], $3::int[])`, [sid, sdep, scount]);
    seatLevelRows += sid.length;
    sid = [];
    sdep = [];
    scount = [];
  };
  for (let s = n; s >= 0; s--) {
    const mine = below[s] ?? [];
    below[s] = undefined;
    for (let d = 0; d < mine.length; d++) {
      sid.push(s);
      sdep.push(d + 1);
      scount.push(mine[d]);
    }
    const p = seats.parent[s];
    if (p >= 0) {
      const theirs = (below[p] ??= []);
      theirs[0] = (theirs[0] ?? 0) + 1;
      for (let d = 0; d < mine.length; d++) theirs[d + 1] = (theirs[d + 1] ?? 0) + mine[d];
    }
    if (sid.length >= chunk) await flushLevels();
  }
  await flushLevels();
  opts.progress?.("matrix levels", seatLevelRows);
  return { members: n, closureRows, seatLevelRows };
}
