// Personal data stays out of the server log: a payout that fails right after a withdrawal is approved automatically
// (server/api/routers/wallet.ts) is logged through describeError, which reduces a Prisma error to its class and code;
// a Prisma message quotes the query's values (here the member's real name, ID number and Alipay login).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { Prisma } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { fromMerchant } from "../server/wallet/ledger";
import { verifyIdentity } from "../server/wallet/identity";
import { freshPglite } from "./helpers/db";
import { callerFor } from "./helpers/caller";

const PERSONAL = ["张三丰", "11010519491231002X", "zhang.sanfeng@example.com"];
vi.mock("@/server/wallet/withdrawals", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  executePayout: async () => {
    throw new Prisma.PrismaClientKnownRequestError(`Unique constraint failed on the value (张三丰, 11010519491231002X, zhang.sanfeng@example.com)`, {
      code: "P2002",
      clientVersion: "test",
    });
  },
}));

let database: Database;
let memberId: number;
beforeAll(async () => {
  database = await freshPglite();
  const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config: parseConfig({}) }, fn);
  memberId = (await run((ctx) => registerMember(ctx, { username: "zhang" }))).id;
  await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", memberId, "available", 1_000_000));
  await run((ctx) => verifyIdentity(ctx, memberId, { realName: "张三丰", idNumber: "11010519491231002X" }));
}, 180_000);
afterAll(() => database?.close());

describe("a failed payout after automatic approval", () => {
  it("is logged with the error's class and code, without the values its message quotes", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      // 200 元: above the 100 元 minimum, below the 2 000 元 of automatic approval (SPEC §6).
      const w = await callerFor(database.prisma, memberId).wallet.requestWithdrawal({ amountFen: 20_000, requestKey: "0123456789abcdef0123456789abcdef" });
      expect(w.status).toBe("APPROVED");
      const logged = errors.mock.calls.map((args) => args.map(String).join(" ")).join("\n");
      for (const value of PERSONAL) expect(logged).not.toContain(value);
      expect(logged).toContain("payout");
      expect(logged).toContain("PrismaClientKnownRequestError P2002");
    } finally {
      errors.mockRestore();
    }
  });
});
