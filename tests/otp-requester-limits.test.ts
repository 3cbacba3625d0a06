// Nobody can lock a stranger's phone out of SMS codes (server/auth/otp.ts): the daily limit is per requester (the IP's
// rate key), a phone gets codes for at most 5 requesters a day (one already among them keeps its own 3), a stranger's
// send leaves the owner's code in flight (tests/sms-live-codes.test.ts: up to 3 live), and a wrong guess is charged to
// every live code, so two live codes give a guesser no more tries than one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/server/db";
import { OtpError, sendSignInCode, verifySignInCode } from "@/server/auth/otp";
import { lookupHash } from "@/server/auth/crypto";
import { freshDatabase } from "@/tests/helpers/db";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

const MIN = 61_000;
/** Sends farther apart than a code lives: the phone's bound of live codes never holds a send back. */
const SPACE = 6 * 60_000;
const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);
const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof OtpError ? e.code : e));

/** Sends a code and returns it (the dev outbox keeps the message). */
async function send(phone: string, ip: string | null, now: Date): Promise<string> {
  await sendSignInCode(database.prisma, phone, ip, now);
  const sms = await database.prisma.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(phone) }, orderBy: { id: "desc" } });
  return /(\d{6})/.exec(sms.body)![1]!;
}
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("an attacker on one IP", () => {
  it("cannot cancel the owner's code in flight nor lock the phone for the day, and gets 3 codes for it", async () => {
    const victim = "13912345678";
    const t0 = new Date("2026-12-01T08:00:00Z");
    const code = await send(victim, "198.51.100.7", t0);
    for (let i = 1; i <= 3; i++) expect(await outcome(send(victim, "203.0.113.66", at(t0, i * MIN)))).toBe("ok");
    // The fourth from the same IP is refused: 3 a day for one requester and one phone.
    expect(await outcome(send(victim, "203.0.113.66", at(t0, 4 * MIN)))).toBe("PHONE_REQUESTER_LIMIT");
    // The owner's code, sent first, still signs in (within its 5 minutes).
    await expect(verifySignInCode(database.prisma, victim, code, at(t0, 4 * MIN + 1000))).resolves.toMatchObject({ phone: victim });
    // And the owner still gets codes later that day.
    expect(await outcome(send(victim, "198.51.100.7", at(t0, 3 * 3600_000)))).toBe("ok");
    // Another phone is not touched by this phone's budget.
    expect(await outcome(send("13912345679", "203.0.113.66", at(t0, 5 * MIN)))).toBe("ok");
  });
});

describe("the phone's daily limit counts requesters", () => {
  it("5 requesters a day; one already among them keeps its own 3; a day later a new one is served", async () => {
    const phone = "13912340001";
    const t0 = new Date("2026-12-02T08:00:00Z");
    for (let i = 1; i <= 5; i++) expect(await outcome(send(phone, `192.0.2.${i}`, at(t0, i * SPACE)))).toBe("ok");
    expect(await outcome(send(phone, "192.0.2.6", at(t0, 6 * SPACE)))).toBe("PHONE_DAILY_LIMIT");
    // The first requester (the owner, say) has used 1 of its 3.
    expect(await outcome(send(phone, "192.0.2.1", at(t0, 7 * SPACE)))).toBe("ok");
    expect(await outcome(send(phone, "192.0.2.1", at(t0, 8 * SPACE)))).toBe("ok");
    expect(await outcome(send(phone, "192.0.2.1", at(t0, 9 * SPACE)))).toBe("PHONE_REQUESTER_LIMIT");
    // 24 h after the first send of 192.0.2.1 its earliest code left the window: 5 requesters remain in it.
    expect(await outcome(send(phone, "192.0.2.6", at(t0, 86_400_000 + SPACE + 1)))).toBe("PHONE_DAILY_LIMIT");
    // 24 h after the fifth requester's only send, only 192.0.2.1 is left in the window: a new one is served.
    expect(await outcome(send(phone, "192.0.2.6", at(t0, 86_400_000 + 5 * SPACE + 1)))).toBe("ok");
  });

  it("sends with an unknown IP are one requester, with the phone's former 10 a day", async () => {
    const phone = "13912340002";
    const t0 = new Date("2026-12-03T08:00:00Z");
    for (let i = 1; i <= 10; i++) expect(await outcome(send(phone, null, at(t0, i * MIN)))).toBe("ok");
    expect(await outcome(send(phone, null, at(t0, 11 * MIN)))).toBe("PHONE_DAILY_LIMIT");
  });
});

describe("live codes", () => {
  it("another requester's code stays verifiable, each once; the requester's own earlier one is replaced", async () => {
    const phone = "13912340003";
    const t0 = new Date("2026-12-04T08:00:00Z");
    const first = await send(phone, "192.0.2.10", t0);
    const replaced = await send(phone, "192.0.2.11", at(t0, MIN));
    const second = await send(phone, "192.0.2.11", at(t0, 2 * MIN));
    // 192.0.2.11's second code replaced its first; the first requester's code is still live.
    const now = at(t0, 2 * MIN + 1000);
    if (replaced !== first && replaced !== second) {
      expect(await outcome(verifySignInCode(database.prisma, phone, replaced, now))).toBe("INVALID_CODE");
    }
    expect(await outcome(verifySignInCode(database.prisma, phone, first, now))).toBe("ok");
    expect(await outcome(verifySignInCode(database.prisma, phone, first, now))).not.toBe("ok");
    expect(await outcome(verifySignInCode(database.prisma, phone, second, now))).toBe("ok");
  });

  it("a wrong guess is charged to every live code: 5 wrong guesses in all and neither code is accepted", async () => {
    const phone = "13912340004";
    const t0 = new Date("2026-12-05T08:00:00Z");
    const owners = await send(phone, "192.0.2.30", t0);
    const strangers = await send(phone, "192.0.2.31", at(t0, MIN));
    const now = at(t0, MIN + 1000);
    let guess = wrong(owners);
    while (guess === strangers) guess = wrong(guess);
    for (let left = 4; left >= 1; left--) {
      await expect(verifySignInCode(database.prisma, phone, guess, now)).rejects.toThrow(`还可尝试 ${left} 次`);
    }
    expect(await outcome(verifySignInCode(database.prisma, phone, guess, now))).toBe("TOO_MANY_ATTEMPTS");
    expect(await outcome(verifySignInCode(database.prisma, phone, owners, now))).toBe("TOO_MANY_ATTEMPTS");
    expect(await outcome(verifySignInCode(database.prisma, phone, strangers, now))).toBe("TOO_MANY_ATTEMPTS");
    const rows = await database.prisma.otpCode.findMany({ where: { phoneHash: lookupHash(phone) }, select: { attempts: true } });
    expect(rows.map((r) => r.attempts)).toEqual([5, 5]);
  });
});

describe("the limits are rolling 24 hours, and say so", () => {
  it("3 codes at 23:50 from one network: refused the next morning with no promise of 'tomorrow', served 24 hours after the first", async () => {
    const phone = "13912340005";
    const t0 = new Date("2026-12-06T15:50:00Z"); // 23:50 in Beijing
    for (let i = 0; i < 3; i++) expect(await outcome(send(phone, "192.0.2.40", at(t0, i * SPACE)))).toBe("ok");
    const morning = new Date("2026-12-07T00:00:00Z"); // 08:00 the next day in Beijing
    const refused = await sendSignInCode(database.prisma, phone, "192.0.2.40", morning).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OtpError);
    expect((refused as OtpError).code).toBe("PHONE_REQUESTER_LIMIT");
    expect((refused as OtpError).message).toBe("当前网络 24 小时内为该手机号获取验证码的次数已达上限，请稍后再试");
    expect(await outcome(send(phone, "192.0.2.40", at(t0, 24 * 3_600_000 + 1000)))).toBe("ok");
  });
});
