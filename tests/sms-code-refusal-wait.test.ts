// The sign-in page's 获取验证码 and 绑定支付宝's, asked for within the minute after a code to the same phone: the refusal
// (发送太频繁，请 N 秒后再试) carries its wait as data, so the button counts it down as after a send (components/SmsCodeField.tsx
// refusalWait; app/login/LoginForm.tsx, app/wallet/PayeeSection.tsx), and English names the same seconds. As
// tests/deletion-code-wait.test.ts does for 注销账号.
import { afterAll, beforeAll, describe, it, vi } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import type { Database } from "@/server/db";
import { appRouter } from "@/server/api/root";
import { inTx } from "@/server/context";
import { parseConfig } from "@/server/config/schema";
import { registerMember } from "@/server/referral";
import { phoneFields } from "@/server/auth/crypto";
import { sendSignInCode } from "@/server/auth/otp";
import { registerProvider } from "@/server/payments";
import { AlipayProvider } from "@/server/payments/providers/alipay";
import { verifyIdentity } from "@/server/wallet/identity";
import { freshPglite } from "@/tests/helpers/db";
import { session } from "@/tests/helpers/caller";
import { AlipayTestServer } from "@/tests/helpers/alipay-server";
import { expectTooSoonWait } from "@/tests/helpers/sms-refusal";
import type { ServerError } from "@/lib/i18n/labels";

const SIGN_IN_PHONE = "13700004101";
const PAYEE_PHONE = "13700004102";
let database: Database;
let ali: AlipayTestServer;
let payeeMember = 0;
beforeAll(async () => {
  ali = await new AlipayTestServer().start();
  registerProvider(new AlipayProvider(ali.config()));
  database = await freshPglite();
  const db = database.prisma;
  const config = parseConfig({});
  await db.mallConfig.create({ data: { data: config as object } });
  payeeMember = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "payee", phone: phoneFields(PAYEE_PHONE) }))).id;
  await inTx(db, { config }, (ctx) => verifyIdentity(ctx, payeeMember, { realName: "张三丰", idNumber: "11010519491231002X" }));
}, 180_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await ali?.stop();
  await database?.close();
});

/** A tRPC mutation over HTTP as the browser sends it: its error as the client gets it. */
async function refused(path: string, input: unknown, memberId: number | null): Promise<ServerError | undefined> {
  const headers = new Headers({ "content-type": "application/json", host: "127.0.0.1:3100" });
  const req = new Request(`http://127.0.0.1:3100/api/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(superjson.serialize(input)) });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => ({ db: database.prisma, session: memberId === null ? null : session(memberId), headers, staffToken: null, requestId: "req-1" }) as never,
  });
  const body = (await res.json()) as { error?: { json: ServerError } };
  return body.error?.json;
}

describe("a code asked for too soon", () => {
  it("the sign-in page's: refused with the seconds to wait as data", async () => {
    await sendSignInCode(database.prisma, SIGN_IN_PHONE, null);
    const caller = appRouter.createCaller({ db: database.prisma, session: null, headers: new Headers(), staffToken: null, requestId: "x" } as never);
    const consent = await caller.legal.versions();
    expectTooSoonWait(await refused("auth.sendCode", { phone: SIGN_IN_PHONE, consent }, null));
  });

  it("绑定支付宝's: refused with the seconds to wait as data", async () => {
    vi.stubEnv("PAYOUT_PROVIDER", "alipay");
    // The sign-in code: sent just now to the same phone.
    await sendSignInCode(database.prisma, PAYEE_PHONE, null);
    expectTooSoonWait(await refused("wallet.sendPayeeCode", undefined, payeeMember));
  });
});
