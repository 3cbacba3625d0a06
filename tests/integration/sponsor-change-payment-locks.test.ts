// A sponsor change's start, batches and finish (server/members/sponsor-change) racing payments (server/orders
// confirmPayment → server/commission) by members inside, above and beside the moved team. A payment that makes its
// buyer a qualified direct (SPEC §4) locks the buyer's Member row, then its sponsor's: child before sponsor. The move
// must lock member rows in that order too, or the two deadlock (40P01) and only inTx's retry hides it — so these
// tests count every deadlock a transaction met, not only errors that reached a caller. Found in review: the batch
// locked its members by id and the ancestors' team sizes in heap order, the start moved a qualified direct from the
// old sponsor to the new one (old first), and the finish re-tiered the ancestors in heap order — each a sponsor
// before its downline in some trees. Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig, type MallConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../../server/orders";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../../server/members/sponsor-change";
import { usingPostgres } from "../helpers/db";
import { raceShop, sleep } from "../helpers/races";

// Defaults: commissions 10/5/2% of a 10 000 fen tea = 1 000 / 500 / 200 fen; the default tiers carry no commission bonus.
const LEVEL_FEN = [1000, 500, 200];
const t0 = new Date("2026-03-10T02:00:00Z");
const requester = { staffId: 101, requestId: "req-1" };
const approver = { staffId: 202, requestId: "req-2" };
const ROUNDS = 12;

describe.runIf(usingPostgres())("sponsor change against concurrent payments: one lock order, no deadlock", () => {
  let database: Database;
  /** Every transaction of a test goes through this client: it records each deadlock or serialization failure, retried or not. */
  let db: Db;
  /** The aborted transactions, each as the domain function whose statement PostgreSQL chose as the victim. */
  let aborted: string[];
  let config: MallConfig;
  let seq = 0;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: t0 }, fn);

  async function open(c: MallConfig) {
    config = c;
    aborted = [];
    ({ database, db } = await raceShop(c, aborted));
  }
  beforeEach(() => open(parseConfig({})));
  afterEach(() => database.close());

  const reg = async (name: string, sponsorId: number | null) => {
    const n = ++seq;
    return (await run((c) => registerMember(c, { username: `${name}-${n}`, sponsorId, ip: `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`, device: `dev-${n}` }))).id;
  };
  const order = (memberId: number) => run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  const pay = (o: { id: number; payableFen: number }) =>
    run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  const ask = async (memberId: number, to: number) => (await run((c) => requestSponsorChange(c, { memberId, to, reason: "团队合并" }, requester))).id;
  const approve = (id: number) => run((c) => decideSponsorChange(c, id, true, null, approver));
  const status = async (id: number) => (await database.prisma.sponsorChangeRequest.findUniqueOrThrow({ where: { id } })).status;
  const member = (id: number) => database.prisma.member.findUniqueOrThrow({ where: { id } });
  /** What an order paid to whom: [level, beneficiary, fen] by level. */
  const earned = async (orderId: number) =>
    (await database.prisma.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.level, r.beneficiaryId, r.amountFen]);
  const expected = (upline: number[]) => upline.slice(0, 3).map((id, i) => [i + 1, id, LEVEL_FEN[i]]);

  /** Holds a Member row (as another writer would) until released, so the steps after it queue in a known order. */
  function holdMember(id: number) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = database.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Member" WHERE id = ${id} FOR NO KEY UPDATE`;
        await gate;
      },
      { timeout: 60_000 },
    );
    return { release, held };
  }

  it("a batch holding the moved member while its direct's first payment waits: the batch locks the direct first", async () => {
    const g = await reg("g", null);
    const so = await reg("so", g);
    const m = await reg("m", so);
    const c1 = await reg("c1", m);
    const x = await reg("x", null);
    const o = await order(c1);
    const id = await ask(m, x);
    await approve(id);
    // The first batch (two members by id: m, c1) queues behind m; then c1 pays, which locks c1, then m.
    const { release, held } = holdMember(m);
    await sleep(300);
    const batch = runSponsorChanges(db, { now: t0, config, batchSize: 2, maxBatches: 1 });
    await sleep(300);
    const paid = pay(o);
    await sleep(600);
    release();
    await Promise.all([held, batch, paid]);
    expect(aborted).toEqual([]);
    // Paid while the move ran: c1 → m → x.
    expect(await earned(o.id)).toEqual(expected([m, x]));
    await runSponsorChanges(db, { now: t0, config });
    expect(await status(id)).toBe("DONE");
    expect((await member(m)).qualifiedDirects).toBe(1);
  });

  it("the start moves a qualified direct to a sibling of the moved member while that sibling qualifies again: the start locks the sibling first", async () => {
    const g = await reg("g", null);
    const so = await reg("so", g);
    const m = await reg("m", so);
    const sn = await reg("sn", so);
    await pay(await order(m));
    // sn paid and was refunded: its next payment qualifies it again (so gains a qualified direct) without being its first.
    const first = await order(sn);
    await pay(first);
    expect((await run((c) => refundOrder(c, first.id))).refunded).toBe(true);
    const again = await order(sn);
    const id = await ask(m, sn);
    // The approval queues behind so (m's old sponsor loses its qualified direct); then sn pays, which locks sn, then so.
    const { release, held } = holdMember(so);
    await sleep(300);
    const approval = approve(id);
    await sleep(300);
    const paid = pay(again);
    await sleep(600);
    release();
    await Promise.all([held, approval, paid]);
    expect(aborted).toEqual([]);
    expect(await earned(again.id)).toEqual(expected([so, g]));
    // so: m left (−1), sn qualified again (+1); sn: m arrived with its paid order.
    expect([(await member(so)).qualifiedDirects, (await member(sn)).qualifiedDirects]).toEqual([1, 1]);
    await runSponsorChanges(db, { now: t0, config });
    expect(await status(id)).toBe("DONE");
  });

  it("a batch holding an old ancestor's sponsor while that ancestor's first payment waits: the batch locks the ancestor first", async () => {
    const g = await reg("g", null);
    const p = await reg("p", g);
    const a = await reg("a", p);
    const so = await reg("so", a);
    const m = await reg("m", so);
    const x = await reg("x", null);
    const o = await order(a);
    const id = await ask(m, x);
    await approve(id);
    // The heap in id order (sponsors before their downline), as after a bulk import: a scan of it meets p before a.
    await database.prisma.$executeRawUnsafe(`CLUSTER "Member" USING "Member_pkey"`);
    // The batch takes the team sizes of so, a, p, g (m leaves them) and x; it queues behind p; then a pays: a, then p.
    const { release, held } = holdMember(p);
    await sleep(300);
    const batch = runSponsorChanges(db, { now: t0, config, batchSize: 2 });
    await sleep(300);
    const paid = pay(o);
    await sleep(600);
    release();
    await Promise.all([held, batch, paid]);
    expect(aborted).toEqual([]);
    expect(await earned(o.id)).toEqual(expected([p, g]));
    expect(await status(id)).toBe("DONE");
    expect([(await member(p)).teamSize, (await member(p)).qualifiedDirects, (await member(x)).teamSize]).toEqual([2, 1, 1]);
  });

  it("the finish re-tiering two old ancestors while the lower one's first payment waits: the finish locks the lower one first", async () => {
    await database.close();
    // A promoter needs a team of 3: a (so, m, c) and p (a, so, m, c) are promoters until m's team leaves them.
    await open(parseConfig({ tiers: [{ name: "member" }, { name: "promoter", minTeam: 3 }] }));
    const g = await reg("g", null);
    const p = await reg("p", g);
    const a = await reg("a", p);
    const so = await reg("so", a);
    const m = await reg("m", so);
    await reg("c", m);
    const x = await reg("x", null);
    expect([(await member(a)).tier, (await member(p)).tier]).toEqual(["promoter", "promoter"]);
    const o = await order(a);
    const id = await ask(m, x);
    await approve(id);
    // The one batch (m, c) runs; the finish, next, re-tiers a and p and queues behind p; then a pays: a, then p.
    await runSponsorChanges(db, { now: t0, config, batchSize: 2, maxBatches: 1 });
    expect(await status(id)).toBe("RUNNING");
    // The heap in id order (sponsors before their downline): a scan of it meets p before a.
    await database.prisma.$executeRawUnsafe(`CLUSTER "Member" USING "Member_pkey"`);
    const { release, held } = holdMember(p);
    await sleep(300);
    const finish = runSponsorChanges(db, { now: t0, config, batchSize: 2 });
    await sleep(300);
    const paid = pay(o);
    await sleep(600);
    release();
    await Promise.all([held, finish, paid]);
    expect(aborted).toEqual([]);
    expect(await status(id)).toBe("DONE");
    expect(await earned(o.id)).toEqual(expected([p, g]));
    // a keeps so (team 1), p keeps a and so (team 2): neither is a promoter any more.
    expect([(await member(a)).tier, (await member(p)).tier]).toEqual(["member", "member"]);
  });

  /**
   * g → so → {sib, m → {c1 → c11 → c111, c2 → {c21, c22}, c3}}; the new sponsor sn hangs under x (another tree),
   * under g (a cousin of m) or under so (a sibling of m). m moves from so to sn while everyone pays.
   */
  async function round(r: number) {
    const g = await reg("g", null);
    const so = await reg("so", g);
    const sib = await reg("sib", so);
    const m = await reg("m", so);
    const [c1, c2, c3] = [await reg("c1", m), await reg("c2", m), await reg("c3", m)];
    const c11 = await reg("c11", c1);
    const c111 = await reg("c111", c11);
    const [c21, c22] = [await reg("c21", c2), await reg("c22", c2)];
    const x = await reg("x", null);
    const snParent = [x, g, so][r % 3];
    const sn = await reg("sn", snParent);
    // Every other round m has paid before: the start moves m's qualified direct from so to sn.
    const mPaid = r % 2 === 1;
    if (mPaid) await pay(await order(m));
    const outside = new Map<number, number[]>([
      [g, []],
      [so, [g]],
      [sib, [so, g]],
      [x, []],
      [sn, snParent === x ? [x] : snParent === g ? [g] : [so, g]],
    ]);
    const newAbove = [sn, ...outside.get(sn)!];
    // The team with its upline inside the team, nearest first; above m: [so, g] before the start, newAbove after.
    const team = new Map<number, number[]>([
      [m, []],
      [c1, [m]],
      [c2, [m]],
      [c3, [m]],
      [c11, [c1, m]],
      [c111, [c11, c1, m]],
      [c21, [c2, m]],
      [c22, [c2, m]],
    ]);
    const buyers = [...team.keys(), ...outside.keys()].filter((b) => !(b === m && mPaid));
    const orders = new Map<number, { id: number; payableFen: number }>();
    for (const b of buyers) orders.set(b, await order(b));
    const id = await ask(m, sn);

    const errors: string[] = [];
    const caught = (p: Promise<unknown>) => p.catch((e: unknown) => void errors.push(e instanceof Error ? e.message : String(e)));
    let approved = false;
    const approval = approve(id).then(() => (approved = true));
    // The move's batches (two members each) start as soon as the approval commits, as the scheduler would.
    const mover = approval.then(() => runSponsorChanges(db, { now: t0, config, batchSize: 2 }));
    const afterStart = new Set<number>();
    const payments = buyers.map(async (b, k) => {
      await sleep((k * 7 + r * 3) % 45);
      if (approved) afterStart.add(b);
      await pay(orders.get(b)!);
    });
    await Promise.all([caught(approval), caught(mover), ...payments.map(caught)]);
    expect(errors).toEqual([]);
    expect(await status(id)).toBe("DONE");

    // Outside the team the upline stays; a team member's order earns for the old upline or, once the move has
    // started (surely so for a payment begun after the approval committed), for the new one.
    for (const [b, up] of outside) expect(await earned(orders.get(b)!.id)).toEqual(expected(up));
    for (const [b, inTeam] of team) {
      if (!orders.has(b)) continue;
      const after = expected([...inTeam, ...newAbove]);
      const got = await earned(orders.get(b)!.id);
      if (afterStart.has(b)) expect(got).toEqual(after);
      else expect([expected([...inTeam, so, g]), after]).toContainEqual(got);
    }
  }

  it(`${ROUNDS} rounds of approval, batches and payments at once: no error, no deadlock, commissions follow the start, the books add up`, { timeout: 600_000 }, async () => {
    for (let r = 0; r < ROUNDS; r++) await round(r);
    expect(aborted).toEqual([]);

    const p = database.prisma;
    // The tree's derived rows equal what the sponsors imply: closure rows, team sizes, qualified directs.
    const [tree] = await p.$queryRaw<{ closure: number; team: number; directs: number }[]>`
      WITH RECURSIVE chain AS (
        SELECT id AS member, "sponsorId" AS ancestor, 1 AS depth FROM "Member" WHERE "sponsorId" IS NOT NULL
        UNION ALL
        SELECT c.member, m."sponsorId", c.depth + 1 FROM chain c JOIN "Member" m ON m.id = c.ancestor WHERE m."sponsorId" IS NOT NULL)
      SELECT
        (SELECT count(*)::int FROM ((SELECT ancestor, member, depth FROM chain EXCEPT SELECT "ancestorId", "descendantId", depth FROM "SponsorClosure")
          UNION ALL (SELECT "ancestorId", "descendantId", depth FROM "SponsorClosure" EXCEPT SELECT ancestor, member, depth FROM chain)) d) AS closure,
        (SELECT count(*)::int FROM "Member" m WHERE m."teamSize" <> (SELECT count(*) FROM "SponsorClosure" c WHERE c."ancestorId" = m.id)) AS team,
        (SELECT count(*)::int FROM "Member" m WHERE m."qualifiedDirects" <> (SELECT count(*) FROM "Member" k WHERE k."sponsorId" = m.id AND k."paidUnrefundedCount" > 0)) AS directs`;
    expect(tree).toEqual({ closure: 0, team: 0, directs: 0 });
    // Every ledger transaction balances, every pending commission was accrued, and the wallets mirror the ledger.
    const [{ n: unbalanced }] = await p.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT "txnId" FROM "LedgerEntry" GROUP BY 1 HAVING sum("amountFen") <> 0) u`;
    expect(unbalanced).toBe(0);
    expect(await p.ledgerTxn.count({ where: { kind: "commission_accrue" } })).toBe(await p.commission.count({ where: { status: "PENDING" } }));
    const [{ n: drift }] = await p.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Wallet" w
      WHERE w.pending <> COALESCE((SELECT sum("amountFen") FROM "LedgerEntry" e WHERE e."memberId" = w."memberId" AND e.bucket = 'pending'), 0)
         OR w.available <> COALESCE((SELECT sum("amountFen") FROM "LedgerEntry" e WHERE e."memberId" = w."memberId" AND e.bucket = 'available'), 0)`;
    expect(drift).toBe(0);
  });
});
