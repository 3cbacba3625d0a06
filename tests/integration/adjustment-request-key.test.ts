// 提交 clicked twice on the 手工调账 dialog, the two requests overlapping for real on PostgreSQL (FM_TEST_DB=postgres):
// one adjustment, the member credited once; the key reused for another member at the same time is refused, not a
// unique-index error.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx, type Ctx } from "../../server/context";
import { registerMember } from "../../server/referral";
import { walletOf } from "../../server/wallet/ledger";
import { requestAdjustment } from "../../server/wallet/adjustments";
import type { AdjustmentRequest } from "../../server/wallet/schemas";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping } from "../helpers/races";

const KEY = "0123456789abcdef0123456789abcdef";
let database: Database;
let member: number;
let other: number;
let fa: number;

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, {}, fn);
const request = (input: AdjustmentRequest) => (ctx: Ctx) => requestAdjustment(ctx, { staffId: fa }, input);
const credit = () => ({ member: `#${member}`, bucket: "available", amountFen: 30_000, reason: "活动补发", requestKey: KEY }) as const;

beforeEach(async () => {
  database = await freshDatabase();
  fa = (await database.prisma.staffAccount.create({ data: { username: "fa", displayName: "fa", role: "finance", passwordHash: "x", createdAt: new Date() } })).id;
  member = (await run((ctx) => registerMember(ctx, { username: "shopper", ip: "1.1.1.1", device: "d1" }))).id;
  other = (await run((ctx) => registerMember(ctx, { username: "other", ip: "2.2.2.2", device: "d2" }))).id;
});
afterEach(() => database.close());

describe.runIf(usingPostgres())("one adjustment key, concurrently", () => {
  it("two identical requests at once: one adjustment, 300 元 credited once, both answered with it", async () => {
    const [a, b] = await Promise.all([run(request(credit())), run(request(credit()))]);
    expect([a.id, a.status, b.status]).toEqual([b.id, "APPLIED", "APPLIED"]);
    expect(await database.prisma.ledgerAdjustment.count()).toBe(1);
    expect(await database.prisma.ledgerTxn.count({ where: { kind: "manual_adjustment" } })).toBe(1);
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 30_000 });
  });

  it("the second of two overlapping requests waits for the first and gets it back", async () => {
    let first: { id: number } | undefined;
    const second = await overlapping(run, async (ctx) => (first = await request(credit())(ctx)), request(credit()));
    expect(second.id).toBe(first!.id);
    expect(await database.prisma.ledgerAdjustment.count()).toBe(1);
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 30_000 });
  });

  it("the key sent for another member while the first is open is refused as reused, no unique-index error", async () => {
    const outcome = await overlapping(run, request(credit()), request({ ...credit(), member: `#${other}` })).then(
      () => "ok",
      (e) => (e instanceof DomainError ? e.code : String(e)),
    );
    expect(outcome).toBe("ADJUSTMENT_KEY_REUSED");
    expect(await walletOf({ tx: database.prisma }, member)).toMatchObject({ available: 30_000 });
    expect(await walletOf({ tx: database.prisma }, other)).toMatchObject({ available: 0 });
  });
});
