// Domain rules that the scenario format does not show directly: database guards, tree queries,
// the matrix team view, and ledger integrity.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember, sponsorAncestors, downlineByDepth } from "../../server/referral";
import { matrixView, matrixAncestors } from "../../server/matrix";
import { walletFromLedger, walletOf, fromMerchant } from "../../server/wallet/ledger";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
let database: Database;
const ids = new Map<string, number>();

beforeAll(async () => {
  database = await freshDatabase();
  // root → a, b, c; a → a1..a4 (a's 4th direct spills under a1 in the matrix)
  const plan: [string, string | null][] = [["root", null], ["a", "root"], ["b", "root"], ["c", "root"], ["a1", "a"], ["a2", "a"], ["a3", "a"], ["a4", "a"], ["a11", "a1"]];
  for (const [name, sponsor] of plan) {
    const m = await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: name, sponsorId: sponsor ? ids.get(sponsor)! : null, device: name, ip: `ip-${name}` }));
    ids.set(name, m.id);
  }
});
afterAll(async () => {
  await database.close();
});

describe("sponsor tree", () => {
  it("gives ancestors nearest first, limited to the requested depth", async () => {
    const got = await inTx(database.prisma, { config }, (ctx) => sponsorAncestors(ctx, ids.get("a11")!, 2));
    expect(got).toEqual([{ memberId: ids.get("a1"), depth: 1 }, { memberId: ids.get("a"), depth: 2 }]);
  });
  it("counts the downline by depth from counters", async () => {
    const got = await inTx(database.prisma, { config }, (ctx) => downlineByDepth(ctx, ids.get("root")!));
    expect(got).toEqual([{ depth: 1, count: 3 }, { depth: 2, count: 4 }, { depth: 3, count: 1 }]);
    const root = await database.prisma.member.findUniqueOrThrow({ where: { id: ids.get("root")! } });
    expect(root.teamSize).toBe(8);
  });
  it("gives every member a unique 6-character unambiguous code", async () => {
    const codes = (await database.prisma.member.findMany()).map((m) => m.referralCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
  });
});

describe("matrix", () => {
  it("spills a's 4th direct under a1 and a11 (a1's direct) into a1's next seat", async () => {
    const seat = async (n: string) => database.prisma.matrixSeat.findUniqueOrThrow({ where: { memberId: ids.get(n)! }, include: { parent: true } });
    expect((await seat("a4")).parent?.memberId).toBe(ids.get("a1"));
    expect((await seat("a4")).position).toBe(0);
    expect((await seat("a11")).parent?.memberId).toBe(ids.get("a1"));
    expect((await seat("a11")).position).toBe(1);
    const up = await inTx(database.prisma, { config }, (ctx) => matrixAncestors(ctx, ids.get("a11")!, 3));
    expect(up.map((u) => u.memberId)).toEqual([ids.get("a1"), ids.get("a"), ids.get("root")]);
  });
  it("shows filled seats, capacity width^level and vacancies by level", async () => {
    const view = await inTx(database.prisma, { config }, (ctx) => matrixView(ctx, ids.get("a")!, 3));
    expect(view).toEqual([
      { level: 1, filled: 3, capacity: 3, vacancies: 0 },
      { level: 2, filled: 2, capacity: 9, vacancies: 7 },
      { level: 3, filled: 0, capacity: 27, vacancies: 27 },
    ]);
    expect(await inTx(database.prisma, { config }, (ctx) => matrixView(ctx, 999_999, 3))).toEqual([]);
  });
});

describe("database guards", () => {
  it("refuses a commission level outside 1..3 (CHECK constraint)", async () => {
    const o = await database.prisma.order.create({
      data: { orderNo: "guard-1", memberId: ids.get("a")!, goodsFen: 100, payableFen: 100, createdAt: new Date() },
    });
    await expect(
      database.prisma.commission.create({ data: { orderId: o.id, beneficiaryId: ids.get("root")!, level: 4, amountFen: 1, status: "PENDING", createdAt: new Date() } }),
    ).rejects.toThrow(/Commission_level_1_to_3|check/i);
  });
  it("refuses config with more than three levels or L1 < L2", () => {
    expect(() => parseConfig({ commission: { ratesBps: [1000, 500, 200, 100] } })).toThrow(/最多 3 级佣金/);
    expect(() => parseConfig({ commission: { ratesBps: [100, 500, 200] } })).toThrow(/一级 ≥ 二级 ≥ 三级/);
  });
  it("never lets a wallet bucket go negative and keeps the ledger immutable and balanced", async () => {
    const db = database.prisma;
    const m = ids.get("b")!;
    await expect(inTx(db, { config }, (ctx) => fromMerchant(ctx, "neg-1", "test", "merchant:commission", m, "available", -1))).rejects.toThrow();
    await inTx(db, { config }, (ctx) => fromMerchant(ctx, "pos-1", "test", "merchant:commission", m, "available", 500));
    // posting the same key again changes nothing
    expect(await inTx(db, { config }, (ctx) => fromMerchant(ctx, "pos-1", "test", "merchant:commission", m, "available", 500))).toBe(false);
    await expect(db.ledgerEntry.updateMany({ data: { amountFen: 1 } })).rejects.toThrow(/immutable/);
    await expect(
      db.$transaction(async (tx) => {
        const t = await tx.ledgerTxn.create({ data: { key: "unbalanced", kind: "x", createdAt: new Date() } });
        await tx.ledgerEntry.create({ data: { txnId: t.id, account: "merchant:x", amountFen: 5, createdAt: new Date() } });
      }),
    ).rejects.toThrow(/does not balance/);
    const [mirror, fromLedger] = await inTx(db, { config }, async (ctx) => [await walletOf(ctx, m), await walletFromLedger(ctx, m)]);
    expect(mirror).toEqual(fromLedger);
    expect(mirror.available).toBe(500);
  });
});
