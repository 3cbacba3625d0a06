// A code the SMS vendor refused (it answered with an error code; server/auth/otp.ts) never signs in, but the attempt reached
// the vendor and counts as a send: the minute between sends, the requester's 3 a day for the phone, the network's 20 an
// hour, so a script retrying cannot hammer the vendor. A send that failed without the vendor's refusal (a timeout, a reset
// connection, its server error) may have delivered the code: it is kept, counts as a send and signs in. The shopper is
// told to retry later (503), or, when the vendor refused the number itself, to use another (400); both worded by domain
// code. The log names the phone masked, and says whether the code may have gone out.
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import type { Database } from "@/server/db";
import { lookupHash } from "@/server/auth/crypto";
import { TencentSmsProvider } from "@/server/sms/tencent";
import { AliyunSmsProvider } from "@/server/sms/aliyun";
import { SmsSendError } from "@/server/sms/errors";
import type { SmsMessageInput, SmsProvider } from "@/server/sms";
import { errorText, type ServerError } from "@/lib/i18n/labels";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { freshDatabase } from "@/tests/helpers/db";
import { TencentSmsTestServer } from "@/tests/helpers/tencent-sms-server";

const holder = vi.hoisted(() => ({ provider: null as unknown }));
vi.mock("@/server/sms", async (importOriginal) => ({ ...(await importOriginal<object>()), getSmsProvider: () => holder.provider }));
const { OtpError, SEND_PER_IP_PER_HOUR, SEND_PER_PHONE_PER_REQUESTER_PER_DAY, sendSignInCode, verifySignInCode } = await import("@/server/auth/otp");
const { appRouter } = await import("@/server/api/root");

const en = createT("en", MESSAGES.en);
let database: Database;
let tc: TencentSmsTestServer;
let answering: Server;
let answerWith: object = {};
/** Reads the request, then resets the connection: the vendor may have sent the message. `asked` gets each code it was sent. */
let resetting: Server;
const asked: string[] = [];
/** An Alibaba Cloud endpoint answering every request with `aliyunAnswer` (the SDK checks no signature of answers). */
let aliyun: Server;
let aliyunAnswer = { status: 200, body: {} as object };

beforeAll(async () => {
  tc = await new TencentSmsTestServer().start();
  // A Tencent Cloud API endpoint that answers any request with `answerWith` (the SDK checks no signature of answers).
  answering = createServer((req, res) => {
    req.resume().on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ Response: { ...answerWith, RequestId: "r-1" } })));
  });
  await new Promise<void>((resolve) => answering.listen(0, "127.0.0.1", resolve));
  resetting = createServer((req) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      asked.push((JSON.parse(body) as { TemplateParamSet: string[] }).TemplateParamSet[0]!);
      req.socket.destroy();
    });
  });
  await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", resolve));
  aliyun = createServer((req, res) => {
    req.resume().on("end", () => res.writeHead(aliyunAnswer.status, { "content-type": "application/json" }).end(JSON.stringify(aliyunAnswer.body)));
  });
  await new Promise<void>((resolve) => aliyun.listen(0, "127.0.0.1", resolve));
  database = await freshDatabase();
});
afterAll(async () => {
  await tc.stop();
  await new Promise<void>((resolve) => answering.close(() => resolve()));
  await new Promise<void>((resolve) => resetting.close(() => resolve()));
  await new Promise<void>((resolve) => aliyun.close(() => resolve()));
  await database.close();
});
// Each failed send logs a line; the test of the log reads them.
beforeEach(() => vi.spyOn(console, "error").mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

const working = () => new TencentSmsProvider(tc.config());
/** Tencent Cloud at a local server's port. */
const tencentAt = (server: Server) => new TencentSmsProvider(tc.config({ endpoint: `sms.tencentcloudapi.com:${(server.address() as AddressInfo).port}` }));
/** The vendor refusing every message with an error code of its own (the account out of credit). */
function outOfCredit(): SmsProvider {
  answerWith = { Error: { Code: "FailedOperation.InsufficientBalanceInSmsPackage", Message: "套餐包余量不足" } };
  return tencentAt(answering);
}
/** A provider the vendor refuses after seeing the message: `codes` gets each code it was asked to send. */
function failing(codes: string[]): SmsProvider {
  return {
    name: "failing",
    send: async (msg: SmsMessageInput) => {
      codes.push(msg.template!.params[0]!);
      throw new SmsSendError("unavailable", "FailedOperation.InsufficientBalanceInSmsPackage", "refused", false);
    },
  };
}
const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof OtpError ? e.code : e));
const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);
const lastSent = () => tc.sent.at(-1)!.params[0]!;

/** auth.sendCode over HTTP as the login page calls it; the error as the client gets it, with the HTTP status. */
async function sendCodeOverHttp(phone: string): Promise<{ status: number; error?: ServerError }> {
  const ctx = { db: database.prisma, session: null, headers: new Headers(), staffToken: null, requestId: "x" };
  const consent = await appRouter.createCaller(ctx as never).legal.versions();
  const headers = new Headers({ "content-type": "application/json", host: "127.0.0.1:3100" });
  const req = new Request("http://127.0.0.1:3100/api/trpc/auth.sendCode", { method: "POST", headers, body: JSON.stringify(superjson.serialize({ phone, consent })) });
  const res = await fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext: () => ({ ...ctx, headers, requestId: "req-1" }) as never });
  const body = (await res.json()) as { error?: { json: ServerError } };
  return { status: res.status, error: body.error?.json };
}

describe("a send the vendor refused", () => {
  it("answers 503 SMS_UNAVAILABLE, worded in both languages; a send right after waits the minute, as after any send", async () => {
    const phone = "13700000001";
    holder.provider = outOfCredit();
    const failed = await sendCodeOverHttp(phone);
    expect(failed.status).toBe(503);
    expect(failed.error?.data?.domainCode).toBe("SMS_UNAVAILABLE");
    expect(failed.error?.message).toBe("短信发送失败，请稍后再试");
    expect(errorText(en, failed.error)).toBe("The SMS could not be sent, please try again later");
    holder.provider = working();
    const sentBefore = tc.sent.length;
    const retried = await sendCodeOverHttp(phone);
    expect(retried.status).toBe(429);
    expect(retried.error?.data?.domainCode).toBe("TOO_SOON");
    expect(tc.sent).toHaveLength(sentBefore);
    // A minute later it goes out.
    expect(await outcome(sendSignInCode(database.prisma, phone, null, new Date(Date.now() + 61_000)))).toBe("ok");
    expect(tc.sent.at(-1)!.phone).toBe(`+86${phone}`);
  });

  it("ends the code: it never signs in, and the attempt counts as a send (the minute, the requester's 3 a day)", async () => {
    const phone = "13700000002";
    const ip = "198.51.100.20";
    const t0 = new Date("2026-12-01T08:00:00Z");
    const unsent: string[] = [];
    holder.provider = failing(unsent);
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, t0))).toBe("SMS_UNAVAILABLE");
    // A second later: the minute between sends holds, and the vendor is not asked.
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 1000)))).toBe("TOO_SOON");
    expect(unsent).toHaveLength(1);
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 61_000)))).toBe("SMS_UNAVAILABLE");
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 122_000)))).toBe("SMS_UNAVAILABLE");
    expect(unsent).toHaveLength(SEND_PER_PHONE_PER_REQUESTER_PER_DAY);
    // Three refused attempts are the requester's 3 a day for the phone, even with the vendor working again.
    holder.provider = working();
    const sentBefore = tc.sent.length;
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 183_000)))).toBe("PHONE_REQUESTER_LIMIT");
    expect(tc.sent).toHaveLength(sentBefore);
    // None of the refused codes signs in: no code of the phone is live.
    for (const code of unsent) expect(await outcome(verifySignInCode(database.prisma, phone, code, at(t0, 184_000), ip))).toBe("CODE_EXPIRED");
  });

  it("counts toward the network's 20 an hour: a script refused for phone after phone reaches the vendor 20 times, no more", async () => {
    const ip = "198.51.100.30";
    const t0 = new Date("2026-12-01T11:00:00Z");
    const unsent: string[] = [];
    holder.provider = failing(unsent);
    for (let i = 0; i < SEND_PER_IP_PER_HOUR; i++) {
      expect(await outcome(sendSignInCode(database.prisma, `1370001${String(i).padStart(4, "0")}`, ip, at(t0, i * 1000)))).toBe("SMS_UNAVAILABLE");
    }
    expect(await outcome(sendSignInCode(database.prisma, "13700019999", ip, at(t0, 30_000)))).toBe("IP_LIMIT");
    expect(unsent).toHaveLength(20);
  });

  it("keeps the requester's earlier code: the new one never reached the phone", async () => {
    const phone = "13700000003";
    const ip = "198.51.100.21";
    const t0 = new Date("2026-12-01T09:00:00Z");
    holder.provider = working();
    await sendSignInCode(database.prisma, phone, ip, t0);
    const first = lastSent();
    holder.provider = failing([]);
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 61_000)))).toBe("SMS_UNAVAILABLE");
    await expect(verifySignInCode(database.prisma, phone, first, at(t0, 62_000), ip)).resolves.toMatchObject({ phone });
  });

  it("logs the phone masked, no vendor text, and whether the code may have gone out", async () => {
    const logged = vi.mocked(console.error);
    const lines = () => logged.mock.calls.map((c) => c.join(" ")).join("\n");
    holder.provider = tencentAt(answering);
    answerWith = { Error: { Code: "InternalError.Timeout", Message: "下发 +8613700000004 超时" } };
    expect(await outcome(sendSignInCode(database.prisma, "13700000004", "198.51.100.22"))).toBe("SMS_UNAVAILABLE");
    expect(lines()).toContain("[sms] code to 137****0004 may have been sent: ");
    expect(lines()).not.toContain("not sent");
    expect(lines()).toContain("InternalError.Timeout");
    expect(lines()).not.toContain("13700000004");
    expect(lines()).not.toContain("超时");
    logged.mockClear();
    holder.provider = outOfCredit();
    expect(await outcome(sendSignInCode(database.prisma, "13700000009", "198.51.100.22"))).toBe("SMS_UNAVAILABLE");
    expect(lines()).toContain("[sms] code to 137****0009 not sent: ");
    expect(lines()).toContain("FailedOperation.InsufficientBalanceInSmsPackage");
    expect(lines()).not.toContain("13700000009");
  });
});

describe("a send that may have gone out", () => {
  it("a reset connection keeps the code: it signs in, and it counts as a send (the minute, the requester's 3 a day)", async () => {
    const phone = "13700000007";
    const ip = "198.51.100.24";
    const t0 = new Date("2026-12-01T10:00:00Z");
    holder.provider = tencentAt(resetting);
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, t0))).toBe("SMS_UNAVAILABLE");
    expect(asked).toHaveLength(1);
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 1000)))).toBe("TOO_SOON");
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 61_000)))).toBe("SMS_UNAVAILABLE");
    expect(asked).toHaveLength(2);
    await expect(verifySignInCode(database.prisma, phone, asked[0]!, at(t0, 62_000), ip)).resolves.toMatchObject({ phone });
    holder.provider = working();
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 122_000)))).toBe("ok");
    // Two codes that may have arrived and one sent: the requester's 3 a day are used up.
    expect(await outcome(sendSignInCode(database.prisma, phone, ip, at(t0, 183_000)))).toBe("PHONE_REQUESTER_LIMIT");
  });

  it("only an error code the vendor answered is a refusal: no code, InternalError.*, an Alibaba Cloud 5xx may have sent", async () => {
    const msg = { phone: "13700000008", phoneHash: "h", phoneMasked: "m", body: "x", template: { kind: "otp" as const, params: ["123456", "5"] } };
    const failure = (p: SmsProvider) => p.send(msg).then(() => null, (e: unknown) => e);
    expect(await failure(tencentAt(resetting))).toMatchObject({ refusal: "unavailable", code: "no code", mayHaveSent: true });
    answerWith = { Error: { Code: "InternalError.Timeout", Message: "超时" } };
    expect(await failure(tencentAt(answering))).toMatchObject({ code: "InternalError.Timeout", mayHaveSent: true });
    expect(await failure(outOfCredit())).toMatchObject({ code: "FailedOperation.InsufficientBalanceInSmsPackage", mayHaveSent: false });
    const ali = new AliyunSmsProvider({ accessKeyId: "id", accessKeySecret: "secret", signName: "s", templates: { otp: "SMS_1" }, endpoint: `http://127.0.0.1:${(aliyun.address() as AddressInfo).port}` });
    aliyunAnswer = { status: 503, body: { Code: "ServiceUnavailable", Message: "busy" } };
    expect(await failure(ali)).toMatchObject({ refusal: "unavailable", mayHaveSent: true });
    aliyunAnswer = { status: 400, body: { Code: "isv.MOBILE_NUMBER_ILLEGAL", Message: "illegal" } };
    expect(await failure(ali)).toMatchObject({ refusal: "phone", code: "isv.MOBILE_NUMBER_ILLEGAL", mayHaveSent: false });
    aliyunAnswer = { status: 200, body: { Code: "isv.SMS_TEMPLATE_ILLEGAL", Message: "template" } };
    expect(await failure(ali)).toMatchObject({ refusal: "unavailable", code: "isv.SMS_TEMPLATE_ILLEGAL", mayHaveSent: false });
  });
});

describe("the vendor refusing the number", () => {
  it("a number on the operator's blacklist: 400 SMS_PHONE_REFUSED, worded in both languages, no live code", async () => {
    const phone = "13700000005";
    tc.blacklist.add(`+86${phone}`);
    holder.provider = working();
    const refused = await sendCodeOverHttp(phone);
    expect(refused.status).toBe(400);
    expect(refused.error?.data?.domainCode).toBe("SMS_PHONE_REFUSED");
    expect(refused.error?.message).toBe("该手机号暂时无法接收验证码短信，请稍后再试或更换手机号");
    expect(errorText(en, refused.error)).toBe("This number cannot receive code messages right now; try again later or use another number");
    expect(await database.prisma.otpCode.count({ where: { phoneHash: lookupHash(phone), usedAt: null } })).toBe(0);
  });

  it("the vendor's own limit for the number, as an API error naming it: a refusal of the number, the number in no error", async () => {
    const port = (answering.address() as AddressInfo).port;
    const provider = new TencentSmsProvider(tc.config({ endpoint: `sms.tencentcloudapi.com:${port}` }));
    const msg = { phone: "13700000006", phoneHash: "h", phoneMasked: "m", body: "x", template: { kind: "otp" as const, params: ["123456", "5"] } };
    answerWith = { Error: { Code: "LimitExceeded.PhoneNumberDailyLimit", Message: "+8613700000006 单日下发条数超过设定的上限" } };
    const limited = await provider.send(msg).then(() => null, (e: unknown) => e);
    expect(limited).toBeInstanceOf(SmsSendError);
    expect(limited).toMatchObject({ refusal: "phone", code: "LimitExceeded.PhoneNumberDailyLimit" });
    expect((limited as Error).message).not.toContain("13700000006");
    // Any other refusal, e.g. the account out of credit, is the vendor unavailable.
    answerWith = { Error: { Code: "FailedOperation.InsufficientBalanceInSmsPackage", Message: "套餐包余量不足" } };
    expect(await provider.send(msg).then(() => null, (e: unknown) => e)).toMatchObject({ refusal: "unavailable" });
    holder.provider = provider;
    answerWith = { Error: { Code: "LimitExceeded.PhoneNumberDailyLimit", Message: "+8613700000006 单日下发条数超过设定的上限" } };
    expect(await outcome(sendSignInCode(database.prisma, "13700000006", "198.51.100.23"))).toBe("SMS_PHONE_REFUSED");
  });
});
