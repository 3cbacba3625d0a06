// 注销账号's 获取验证码 within the minute after a code to the same phone (the sign-in code moments ago): the refusal
// (发送太频繁，请 N 秒后再试) carries its wait as data, so the button counts it down as after a send
// (components/SmsCodeField.tsx refusalWait, app/me/delete/DeleteAccountForm.tsx) instead of staying tappable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import type { Database } from "@/server/db";
import { appRouter } from "@/server/api/root";
import { inTx } from "@/server/context";
import { parseConfig } from "@/server/config/schema";
import { registerMember } from "@/server/referral";
import { phoneFields } from "@/server/auth/crypto";
import { sendSignInCode } from "@/server/auth/otp";
import type { ServerError } from "@/lib/i18n/labels";
import { refusalWait } from "@/components/SmsCodeField";
import { freshPglite } from "@/tests/helpers/db";
import { session } from "@/tests/helpers/caller";
import { expectTooSoonWait } from "@/tests/helpers/sms-refusal";

const PHONE = "13700004001";
let database: Database;
let memberId = 0;
beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  const config = parseConfig({});
  await db.mallConfig.create({ data: { data: config as object } });
  memberId = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "deleting", phone: phoneFields(PHONE) }))).id;
}, 180_000);
afterAll(() => database?.close());

/** account.sendDeletionCode over HTTP as the signed-in member's browser sends it: its answer, or its error as the client gets it. */
async function sendDeletionCode(): Promise<{ result?: { retryAfterSec: number }; error?: ServerError }> {
  const headers = new Headers({ "content-type": "application/json", host: "127.0.0.1:3100" });
  const req = new Request("http://127.0.0.1:3100/api/trpc/account.sendDeletionCode", { method: "POST", headers, body: JSON.stringify(superjson.serialize(undefined)) });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => ({ db: database.prisma, session: session(memberId), headers, staffToken: null, requestId: "req-1" }) as never,
  });
  const body = (await res.json()) as { result?: { data: { json: { retryAfterSec: number } } }; error?: { json: ServerError } };
  return { result: body.result?.data.json, error: body.error?.json };
}

describe("a deletion code asked for too soon", () => {
  it("is refused with the seconds to wait as data, the same number the Chinese message names", async () => {
    // The sign-in code: sent just now to the same phone.
    await sendSignInCode(database.prisma, PHONE, null);
    const { error } = await sendDeletionCode();
    expectTooSoonWait(error);
  });

  it("a refusal without a wait, or no error, counts nothing down", () => {
    expect(refusalWait(null)).toBe(0);
    expect(refusalWait({ message: "该手机号 24 小时内获取验证码的次数已达上限，请稍后再试", data: { domainCode: "PHONE_DAILY_LIMIT", domainParams: null } })).toBe(0);
    expect(refusalWait({ message: "x", data: { domainParams: { retryAfterSec: "55" } } })).toBe(0);
    expect(refusalWait({ message: "x", data: { domainParams: { retryAfterSec: 0 } } })).toBe(0);
  });
});
