// `withdrawn` is a member's lifetime payouts and a reconciliation run's totals a day's net: past 21 474 836.47 元
// (32 bits of fen) a posting must still succeed — the provider has already paid — and read back as a plain number.
// PGlite, or PostgreSQL with FM_TEST_DB=postgres.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { fromMerchant, move, walletFromLedger, walletOf } from "../server/wallet/ledger";
import { listReconciliationRuns } from "../server/payments/reconcile";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});

describe("amounts beyond 32 bits of fen", () => {
  let database: Database;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config }, fn);
  beforeEach(async () => {
    database = await freshDatabase();
  });
  afterEach(() => database.close());

  const payOut = (ctx: Ctx, memberId: number, n: number, fen: number) =>
    fromMerchant(ctx, `fund:${n}`, "test", "merchant:commission", memberId, "available", fen)
      .then(() => move(ctx, `wd:${n}:hold`, "withdrawal_hold", memberId, "available", "withdrawing", fen))
      .then(() => move(ctx, `wd:${n}:paid`, "withdrawal_paid", memberId, "withdrawing", "withdrawn", fen));

  it("a wallet that has paid out 20 000 000 元 takes another 2 000 000 元 payout", async () => {
    const memberId = (await run((ctx) => registerMember(ctx, { username: "big" }))).id;
    await run((ctx) => payOut(ctx, memberId, 1, 2_000_000_000));
    await run((ctx) => payOut(ctx, memberId, 2, 200_000_000));
    // 2 000 000 000 + 200 000 000 fen = 22 000 000 元, above int4's 2 147 483 647.
    const expected = { pending: 0, available: 0, withdrawing: 0, withdrawn: 2_200_000_000, credit: 0 };
    expect(await run((ctx) => walletOf(ctx, memberId))).toStrictEqual(expected);
    expect(await run((ctx) => walletFromLedger(ctx, memberId))).toStrictEqual(expected);
  });

  it("a reconciliation run's totals read back as numbers", async () => {
    await database.prisma.reconciliationRun.create({
      data: { provider: "alipay", billDate: "2026-12-01", status: "MATCHED", billTotalFen: 3_000_000_000, ourTotalFen: 3_000_000_000, ranAt: new Date() },
    });
    const [r] = await listReconciliationRuns(database.prisma);
    expect(r).toMatchObject({ billTotalFen: 3_000_000_000, ourTotalFen: 3_000_000_000 });
    expect(typeof r!.billTotalFen).toBe("number");
  });
});
