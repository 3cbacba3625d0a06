// A wallet bucket may pass 32 bits (21 474 836.47 元): a top sharer's pending commissions, or available money never
// withdrawn. The posting that carries it past must not fail (it was the buyer's payment that failed), and reads stay exact.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { fromMerchant, walletFromLedger, walletOf } from "../../server/wallet/ledger";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({ rebate: { enabled: false } });
const NOW = new Date("2026-03-01T10:00:00+08:00");

let database: Database;
afterEach(() => database.close());

describe("wallet buckets over 2^31 fen", () => {
  it("credits pending, available and store credit past 21 474 836.47 元 and reads them exactly", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.mallConfig.create({ data: { data: config as object } });
    const m = await inTx(db, { config, now: NOW }, async (ctx) => (await registerMember(ctx, { username: "top", sponsorId: null, ip: "ip-top", device: "d-top" })).id);
    // 2 000 000 000 fen twice per bucket: 4 000 000 000 fen, over 2^31 − 1 = 2 147 483 647 after the second posting.
    await inTx(db, { config, now: NOW }, async (ctx) => {
      for (const i of [1, 2]) {
        await fromMerchant(ctx, `big:pending:${i}`, "commission_pending", "merchant:commission", m, "pending", 2_000_000_000);
        await fromMerchant(ctx, `big:available:${i}`, "adjustment", "merchant:adjustment", m, "available", 2_000_000_000);
        await fromMerchant(ctx, `big:credit:${i}`, "adjustment", "merchant:adjustment", m, "credit", 2_000_000_000);
      }
    });
    // The next commission, as a payment posts it.
    await inTx(db, { config, now: NOW }, (ctx) => fromMerchant(ctx, "next:pending", "commission_pending", "merchant:commission", m, "pending", 1_234));
    const wallet = await inTx(db, { config, now: NOW }, (ctx) => walletOf(ctx, m));
    expect(wallet).toEqual({ pending: 4_000_001_234, available: 4_000_000_000, withdrawing: 0, withdrawn: 0, credit: 4_000_000_000 });
    expect(await inTx(db, { config, now: NOW }, (ctx) => walletFromLedger(ctx, m))).toEqual(wallet);
  });
});
