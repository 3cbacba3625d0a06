// The distributor status an earlier `everyone` period gave (SPEC §4), stored at a payment for its buyer and the members
// it may pay (server/distribution updateDistributorOnPayment) and nightly in id ranges (recordEveryoneDistributorsInBatches),
// racing payments in the same upline. A payment locks its buyer's Member row, then its sponsor's (a qualified direct),
// then the members it pays nearest first: the status update must lock its rows in that order too. Found in review: it
// updated them in the order its plan met them (by id, or the heap's order: a sponsor before its downline), so a payment
// storing an ancestor's status held it while waiting on a member below it that another payment held, which in turn
// waited for the ancestor; the nightly batch did the same to a first payment. inTx retries a deadlock, so these tests
// count every one a transaction met. Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder } from "../../server/orders";
import { recordEveryoneDistributorsInBatches } from "../../server/distribution";
import { DAY } from "../../server/clock/time";
import { usingPostgres } from "../helpers/db";
import { behind as behindRow, raceShop } from "../helpers/races";

const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);
const withMode = (mode: MallConfig["commission"]["distributorMode"]): MallConfig => ({ ...defaultConfig, commission: { ...defaultConfig.commission, distributorMode: mode } });

describe.runIf(usingPostgres())("storing `everyone` distributor status against payments in the same upline: one lock order, no deadlock", () => {
  let database: Database;
  /** Every transaction of a test goes through this client: it records each deadlock or serialization failure, retried or not. */
  let db: Db;
  let aborted: string[];
  let seq = 0;

  afterEach(() => database.close());

  /** A shop whose members sign up under first_order (no status), then `everyone` is in force from day 1. */
  async function open() {
    aborted = [];
    ({ database, db } = await raceShop(withMode("first_order"), aborted));
  }
  const rules = (mode: MallConfig["commission"]["distributorMode"], now: Date) => saveRules(db, null, { config: withMode(mode), reason: mode }, now);
  const reg = async (name: string, sponsorId: number | null) => {
    const n = ++seq;
    return (await inTx(db, { now: t0 }, (c) => registerMember(c, { username: `${name}-${n}`, sponsorId, ip: `10.0.${(n >> 8) & 255}.${n & 255}`, device: `dev-${n}` }))).id;
  };
  const order = (memberId: number) => inTx(db, { now: t0 }, (c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
  const pay = (o: { id: number; payableFen: number }, now: Date) =>
    inTx(db, { now }, (c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  /** What an order paid to whom: [beneficiary, fen, status] by level. */
  const earned = async (orderId: number) =>
    (await database.prisma.commission.findMany({ where: { orderId }, orderBy: { level: "asc" } })).map((r) => [r.beneficiaryId, r.amountFen, r.status]);
  const since = async (ids: number[]) => Promise.all(ids.map(async (id) => (await database.prisma.member.findUniqueOrThrow({ where: { id } })).distributorSince));

  /** Holds member `id`'s row; starts `first`, and `second` once `first` waits on a lock, then releases (helpers/races behind). */
  const behind = <A, B>(id: number, first: () => Promise<A>, second: () => Promise<B>) =>
    behindRow(database.prisma, `SELECT id FROM "Member" WHERE id = $1 FOR NO KEY UPDATE`, id, first, second);

  it("a payment storing its upline's status while a payment below an ancestor holds that ancestor: nearest first", async () => {
    await open();
    // s → y → z → x, and w under y; none a distributor yet. `everyone` for a day, then first_order again.
    const s = await reg("s", null);
    const y = await reg("y", s);
    const z = await reg("z", y);
    const x = await reg("x", z);
    const w = await reg("w", y);
    const ox = await order(x);
    const ow = await order(w);
    await rules("everyone", at(1));
    await rules("first_order", at(2));
    // The heap in id order (sponsors before their downline), as after a bulk import: a scan of it meets s before y.
    await database.prisma.$executeRawUnsafe(`CLUSTER "Member" USING "Member_pkey"`);
    // w's first payment (w, then y: a qualified direct) queues behind y; x's then locks x and z, and stores the status of
    // x, z, y and s: it must wait on y before it takes s, which w's payment stores next.
    const [pw, px] = await behind(y, () => pay(ow, at(3)), () => pay(ox, at(3)));
    expect([pw, px]).toEqual([{ outcome: "paid" }, { outcome: "paid" }]);
    expect(aborted).toEqual([]);
    // Distributors since the `everyone` day, all of them: each level earned (10/5/2% of 100 元).
    expect(await earned(ox.id)).toEqual([[z, 1000, "PENDING"], [y, 500, "PENDING"], [s, 200, "PENDING"]]);
    expect(await earned(ow.id)).toEqual([[y, 1000, "PENDING"], [s, 500, "PENDING"]]);
    expect(await since([s, y, z, x, w])).toEqual([at(1), at(1), at(1), at(1), at(1)]);
  });

  it("the nightly batch while a first payment holds its buyer: the batch locks the buyer before the sponsor", async () => {
    await open();
    // s → b, neither a distributor: signed up under first_order, `everyone` in force from day 1.
    const s = await reg("s", null);
    const b = await reg("b", s);
    const ob = await order(b);
    await rules("everyone", at(1));
    await database.prisma.$executeRawUnsafe(`CLUSTER "Member" USING "Member_pkey"`);
    // b's first payment (b, then s: a qualified direct) queues behind b; the batch stores s's and b's status.
    const [pb, stamped] = await behind(b, () => pay(ob, at(2)), () => recordEveryoneDistributorsInBatches(db, { now: at(2) }));
    expect(pb).toEqual({ outcome: "paid" });
    expect(aborted).toEqual([]);
    // The payment stored b's status (its buyer's) first; the batch s's.
    expect(stamped).toBe(1);
    expect(await earned(ob.id)).toEqual([[s, 1000, "PENDING"]]);
    expect(await since([s, b])).toEqual([at(1), at(1)]);
  });
});
