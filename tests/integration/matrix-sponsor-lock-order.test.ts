// The matrix commission tree (SPEC §3, §4 `commission.tree = "matrix"`) under a mode other than `everyone` after an
// `everyone` period: a payment stores that period's distributor status for its buyer and the matrix ancestors it may pay
// (server/distribution), and a first payment adds a qualified direct to its sponsor (server/orders onOrderPaid). With
// spillover the sponsor sits above the buyer's nearest seats, so the payment must lock the buyer's upline nearest first
// with the sponsor in its place. Found in the previous session: the payment's first statement locked the sponsor, then
// the status update locked the seats below it; a first payment of the member in such a seat (sponsored by the same
// member) held that seat and waited for the sponsor: PostgreSQL's 40P01. inTx retries a deadlock, so these tests count
// every one a transaction met (recordingAborts). Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder } from "../../server/orders";
import { matrixAncestors } from "../../server/matrix";
import { DAY } from "../../server/clock/time";
import { usingPostgres } from "../helpers/db";
import { behind as behindRow, raceShop } from "../helpers/races";

const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const withRules = (mode: MallConfig["commission"]["distributorMode"], width: number): MallConfig => ({
  ...defaultConfig,
  commission: { ...defaultConfig.commission, tree: "matrix", distributorMode: mode },
  matrix: { ...defaultConfig.matrix, width },
});

describe.runIf(usingPostgres())("matrix tree: a first payment's sponsor locked in its place in the upline, no deadlock", () => {
  let database: Database;
  /** Every transaction of a test goes through this client: it records each deadlock or serialization failure, retried or not. */
  let db: Db;
  let aborted: string[];
  let width = 3;
  let seq = 0;

  afterEach(() => database.close());

  /** A shop whose members sign up under first_order (no status), the matrix `w` seats wide. */
  async function open(w: number) {
    aborted = [];
    width = w;
    ({ database, db } = await raceShop(withRules("first_order", w), aborted));
  }
  /** `everyone` in force on day 1 only: every member signed up before then is a distributor since day 1. */
  const everyoneForADay = async () => {
    await saveRules(db, null, { config: withRules("everyone", width), reason: "everyone" }, at(1));
    await saveRules(db, null, { config: withRules("first_order", width), reason: "first_order" }, at(2));
  };
  const reg = async (name: string, sponsorId: number | null) => {
    const n = ++seq;
    return (await inTx(db, { now: t0 }, (c) => registerMember(c, { username: `${name}-${n}`, sponsorId, ip: `10.1.${(n >> 8) & 255}.${n & 255}`, device: `dev-${n}` }))).id;
  };
  const order = (memberId: number) => inTx(db, { now: t0 }, (c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  const pay = (o: { id: number; payableFen: number }, now: Date) =>
    inTx(db, { now }, (c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  const upline = (memberId: number) => inTx(db, { now: t0 }, (c) => matrixAncestors(c, memberId, 4));
  /** What an order paid to whom: [beneficiary, fen, status] by level. */
  const earned = async (orderId: number) =>
    (await database.prisma.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.beneficiaryId, r.amountFen, r.status]);
  const members = (ids: number[]) => Promise.all(ids.map((id) => database.prisma.member.findUniqueOrThrow({ where: { id } })));

  /** Holds member `id`'s row; starts `first`, and `second` once `first` waits on a lock, then releases (helpers/races behind). */
  const behind = <A, B>(id: number, first: () => Promise<A>, second: () => Promise<B>) =>
    behindRow(database.prisma, `SELECT id FROM "Member" WHERE id = $1 FOR NO KEY UPDATE`, id, first, second);

  it("the sponsor is the buyer's L2 seat: the buyer's L1 seat locked before it", async () => {
    await open(3);
    // s sponsors a1, a2, a3 (its three seats) and x, who spills over to the first seat under a1: x's L1 is a1, L2 s.
    const s = await reg("s", null);
    const a1 = await reg("a1", s);
    await reg("a2", s);
    await reg("a3", s);
    const x = await reg("x", s);
    expect(await upline(x)).toEqual([{ memberId: a1, depth: 1 }, { memberId: s, depth: 2 }]);
    const [ox, oa] = [await order(x), await order(a1)];
    await everyoneForADay();
    // x's first payment (x, and s: a qualified direct) queues behind s, held here; a1's first payment then locks a1 and
    // waits for s too. x's goes first: it stores a1's status, and must have held a1 before it waited for s.
    const [px, pa] = await behind(s, () => pay(ox, at(3)), () => pay(oa, at(3)));
    expect([px, pa]).toEqual([{ outcome: "paid" }, { outcome: "paid" }]);
    expect(aborted).toEqual([]);
    // Distributors since the `everyone` day: x's 100 元 pays a1 10%, s 5%; a1's pays s 10% (SPEC §4 default rates).
    expect(await earned(ox.id)).toEqual([[a1, 1000, "PENDING"], [s, 500, "PENDING"]]);
    expect(await earned(oa.id)).toEqual([[s, 1000, "PENDING"]]);
    // x and a1 are s's directs with a paid order each.
    const [ms, ma, mx] = await members([s, a1, x]);
    expect([ms.qualifiedDirects, ma.qualifiedDirects, mx.qualifiedDirects]).toEqual([2, 0, 0]);
    expect([ms.distributorSince, ma.distributorSince, mx.distributorSince]).toEqual([at(1), at(1), at(1)]);
  });

  it("the sponsor is above the buyer's three commission levels: locked after them", async () => {
    await open(2);
    // Two wide: s's 14 directs fill its first three levels (a1 a2 / b1–b4 / c1–c8, b1 under a1, c1 under b1); x, its
    // 15th, spills over to the fourth, under c1. x's commission upline is c1, b1, a1; its sponsor s is the fourth seat up.
    const s = await reg("s", null);
    const team: number[] = [];
    for (let k = 0; k < 14; k++) team.push(await reg(`d${k}`, s));
    const x = await reg("x", s);
    const [a1, b1, c1] = [team[0]!, team[2]!, team[6]!];
    expect(await upline(x)).toEqual([{ memberId: c1, depth: 1 }, { memberId: b1, depth: 2 }, { memberId: a1, depth: 3 }, { memberId: s, depth: 4 }]);
    const [ox, oc] = [await order(x), await order(c1)];
    await everyoneForADay();
    // x's first payment queues behind s, held here; c1's first payment (c1 is s's direct too) locks c1 and waits for s.
    const [px, pc] = await behind(s, () => pay(ox, at(3)), () => pay(oc, at(3)));
    expect([px, pc]).toEqual([{ outcome: "paid" }, { outcome: "paid" }]);
    expect(aborted).toEqual([]);
    // x's 100 元: c1 10%, b1 5%, a1 2%; c1's: b1 10%, a1 5%, s 2%.
    expect(await earned(ox.id)).toEqual([[c1, 1000, "PENDING"], [b1, 500, "PENDING"], [a1, 200, "PENDING"]]);
    expect(await earned(oc.id)).toEqual([[b1, 1000, "PENDING"], [a1, 500, "PENDING"], [s, 200, "PENDING"]]);
    const [ms, mc] = await members([s, c1]);
    expect([ms.qualifiedDirects, mc.qualifiedDirects]).toEqual([2, 0]);
  });
});
