// 绑定支付宝 refused because another change holds the member's withdrawal (server/wallet/payee.ts, NOWAIT) is a
// 409 "try again" worded in both languages, distinct from PAYOUT_IN_PROGRESS (a payout really under way, 400).
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { createCallerFactory, createTRPCRouter, publicProcedure } from "../server/api/trpc";
import { refuse } from "../server/context";
import { en } from "../lib/i18n/messages/en";
import { zhCN } from "../lib/i18n/messages/zh-CN";

const router = createTRPCRouter({
  busy: publicProcedure.query(() => refuse("WALLET_BUSY", "钱包正在处理中，请稍后重试")),
  paying: publicProcedure.query(() => refuse("PAYOUT_IN_PROGRESS", "有提现正在打款，到账后再更换支付宝账户")),
});
// No procedure here reads the context.
const caller = createCallerFactory(router)({ headers: new Headers() } as never);

async function statusOf(p: Promise<unknown>) {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(TRPCError);
  return { code: (e as TRPCError).code, status: getHTTPStatusCodeFromError(e as TRPCError) };
}

describe("WALLET_BUSY", () => {
  it("is a 409 CONFLICT; a payout in progress stays a 400", async () => {
    expect(await statusOf(caller.busy())).toEqual({ code: "CONFLICT", status: 409 });
    expect(await statusOf(caller.paying())).toEqual({ code: "BAD_REQUEST", status: 400 });
  });

  it("is worded in both languages", () => {
    expect(zhCN["error.WALLET_BUSY"]).toBe("钱包正在处理中，请稍后重试");
    expect(en["error.WALLET_BUSY"]).toBe("Your wallet is being updated, try again in a moment");
  });
});
