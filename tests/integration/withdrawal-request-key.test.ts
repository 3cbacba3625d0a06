// 申请提现 resent (the request reached the server, its answer was lost, the phone sends it again): the wallet
// form sends one key per intended withdrawal; the same key again returns the withdrawal it made and debits
// nothing, with another amount it is refused. On PostgreSQL two requests with one key overlap for real.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { requestWithdrawal } from "../../server/wallet/withdrawals";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { callerFor, refusal } from "../helpers/caller";
import { sleep } from "../helpers/races";
import { nextTestIdNumber } from "../helpers/id-numbers";

const config = parseConfig({});
const KEY = "0123456789abcdef0123456789abcdef";
const OTHER_KEY = "fedcba9876543210fedcba9876543210";
let database: Database;
let member: number;

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);
const api = (id = member) => callerFor(database.prisma, id).wallet;
const wallet = (id = member) => walletOf({ tx: database.prisma }, id);
const holds = () => database.prisma.ledgerTxn.count({ where: { kind: "withdrawal_hold" } });

async function verifiedMember(username: string, availableFen: number): Promise<number> {
  const id = (await run((ctx) => registerMember(ctx, { username }))).id;
  await run((ctx) => fromMerchant(ctx, `fund:${username}`, "fund", "merchant:commission", id, "available", availableFen));
  await run((ctx) => verifyIdentity(ctx, id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  return id;
}

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  member = await verifiedMember("shopper", 1_000_000); // 10 000 元 available
});
afterEach(() => database.close());

describe("one request key, one withdrawal", () => {
  it("the same key twice returns the first withdrawal: one row, one debit", async () => {
    const first = await api().requestWithdrawal({ amountFen: 150_000, requestKey: KEY }); // 1 500 元: approved and paid at once
    const again = await api().requestWithdrawal({ amountFen: 150_000, requestKey: KEY });
    expect(again.id).toBe(first.id);
    expect(again.payoutNo).toBe(first.payoutNo);
    expect(await database.prisma.withdrawal.count()).toBe(1);
    expect(await holds()).toBe(1);
    // 10 000 − 1 500 = 8 500 元 left, 1 500 元 paid out once.
    expect(await wallet()).toMatchObject({ available: 850_000, withdrawing: 0, withdrawn: 150_000 });
  });

  it("a resent key returns its withdrawal even once the balance it took is gone", async () => {
    const all = await api().requestWithdrawal({ amountFen: 1_000_000, requestKey: KEY }); // everything: above 2 000 元, waits for review
    expect(all.status).toBe("PENDING_REVIEW");
    expect((await api().requestWithdrawal({ amountFen: 1_000_000, requestKey: KEY })).id).toBe(all.id);
    expect(await wallet()).toMatchObject({ available: 0, withdrawing: 1_000_000 });
    expect(await holds()).toBe(1);
  });

  it("the same key with another amount is refused and changes nothing", async () => {
    const first = await api().requestWithdrawal({ amountFen: 150_000, requestKey: KEY });
    expect(await refusal(api().requestWithdrawal({ amountFen: 160_000, requestKey: KEY }))).toEqual({
      code: "BAD_REQUEST",
      message: "这笔提现已按另一金额提交，请刷新页面后重新提交",
    });
    expect(await database.prisma.withdrawal.findMany({ select: { id: true } })).toEqual([{ id: first.id }]);
    expect(await wallet()).toMatchObject({ available: 850_000, withdrawn: 150_000 });
  });

  it("different keys are different withdrawals; a key is its member's own", async () => {
    // 1 000 元 twice: 2 000 元 that day, still approved and paid at once (SPEC §6).
    const a = await api().requestWithdrawal({ amountFen: 100_000, requestKey: KEY });
    const b = await api().requestWithdrawal({ amountFen: 100_000, requestKey: OTHER_KEY });
    expect(b.id).not.toBe(a.id);
    expect(await wallet()).toMatchObject({ available: 800_000, withdrawing: 0, withdrawn: 200_000 });
    const other = await verifiedMember("other", 500_000);
    const theirs = await api(other).requestWithdrawal({ amountFen: 100_000, requestKey: KEY });
    expect(new Set([a.id, b.id, theirs.id]).size).toBe(3);
    expect(await wallet(other)).toMatchObject({ available: 400_000, withdrawn: 100_000 });
    expect(await holds()).toBe(3);
  });

  it("the shopper's request must carry a well-formed key", async () => {
    const w = api() as unknown as { requestWithdrawal(i: unknown): Promise<unknown> };
    expect((await refusal(w.requestWithdrawal({ amountFen: 150_000 }))).code).toBe("BAD_REQUEST");
    expect((await refusal(w.requestWithdrawal({ amountFen: 150_000, requestKey: "not-a-key" }))).code).toBe("BAD_REQUEST");
    expect(await database.prisma.withdrawal.count()).toBe(0);
  });

  it("other callers of the engine may leave the key out: each call is its own withdrawal", async () => {
    await run((ctx) => requestWithdrawal(ctx, member, 150_000));
    await run((ctx) => requestWithdrawal(ctx, member, 150_000));
    expect(await database.prisma.withdrawal.count()).toBe(2);
  });

  it.runIf(usingPostgres())("two requests with one key at once make one withdrawal, and both callers get it", async () => {
    // Hold the member's wallet row so both requests are inside requestWithdrawal, waiting, before either goes on.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const held = database.prisma.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${member} FOR UPDATE`;
        locked();
        await gate;
      },
      { timeout: 60_000 },
    );
    await isLocked;
    const both = [api(), api()].map((w) => w.requestWithdrawal({ amountFen: 150_000, requestKey: KEY }));
    for (let i = 0; i < 600; i++) {
      const [{ waiting }] = await database.prisma.$queryRawUnsafe<{ waiting: number }[]>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if (waiting >= 2) break;
      await sleep(50);
    }
    release();
    await held;
    const [a, b] = await Promise.all(both);
    expect(a.id).toBe(b.id);
    expect(await database.prisma.withdrawal.count()).toBe(1);
    expect(await holds()).toBe(1);
    expect(await wallet()).toMatchObject({ available: 850_000, withdrawing: 0, withdrawn: 150_000 });
  });
});
