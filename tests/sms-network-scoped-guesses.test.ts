// Wrong SMS codes count per network on each code (server/auth/otp.ts): the network that asked for a code has 5 wrong
// guesses (the 5th ends it), any other network 5 and all others together 15, after which the code is closed to them but
// not to its requester. So a stranger who knows the phone number cannot end the code its owner is typing, one network
// still cannot brute-force a code, and many networks together try no code more than 20 times.
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

const SEC = 1000;
const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);
const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof OtpError ? e.code : e));
const message = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof OtpError ? e.message : e));

async function send(phone: string, ip: string | null, now: Date): Promise<string> {
  await sendSignInCode(database.prisma, phone, ip, now);
  const sms = await database.prisma.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(phone) }, orderBy: { id: "desc" } });
  return /(\d{6})/.exec(sms.body)![1]!;
}
const verify = (phone: string, code: string, now: Date, ip: string | null) => verifySignInCode(database.prisma, phone, code, now, ip);
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");
const attemptsOf = async (phone: string) => (await database.prisma.otpCode.findFirstOrThrow({ where: { phoneHash: lookupHash(phone) } })).attempts;

const OWNER = "198.51.100.7";

describe("wrong guesses from another network", () => {
  it("5 from a stranger close the code to the stranger only: its owner still signs in with it", async () => {
    const phone = "13912360001";
    const t0 = new Date("2026-12-14T08:00:00Z");
    const code = await send(phone, OWNER, t0);
    const now = at(t0, 10 * SEC);
    for (const left of [4, 3, 2, 1]) expect(await message(verify(phone, wrong(code), now, "203.0.113.50"))).toBe(`验证码错误，还可尝试 ${left} 次`);
    expect(await outcome(verify(phone, wrong(code), now, "203.0.113.50"))).toBe("TOO_MANY_ATTEMPTS");
    // Closed to that network: not even the right code is tried from there, and nothing more is charged.
    expect(await outcome(verify(phone, code, now, "203.0.113.50"))).toBe("TOO_MANY_ATTEMPTS");
    expect(await attemptsOf(phone)).toBe(5);
    expect(await outcome(verify(phone, code, now, OWNER))).toBe("ok");
  });

  it("strangers together have 15: a fourth network is refused, the owner keeps its 5 and the 5th ends the code (20 in all)", async () => {
    const phone = "13912360002";
    const t0 = new Date("2026-12-14T09:00:00Z");
    const code = await send(phone, OWNER, t0);
    const now = at(t0, 10 * SEC);
    for (const net of ["203.0.113.51", "203.0.113.52"]) {
      for (let k = 1; k <= 5; k++) expect(await outcome(verify(phone, wrong(code), now, net))).toBe(k < 5 ? "INVALID_CODE" : "TOO_MANY_ATTEMPTS");
    }
    // 10 so far; a third network has 5 of its own but only 5 of the strangers' 15 are left.
    for (let k = 1; k <= 3; k++) expect(await outcome(verify(phone, wrong(code), now, "203.0.113.53"))).toBe("INVALID_CODE");
    // 13: a fourth network's first guess leaves the strangers 1.
    expect(await message(verify(phone, wrong(code), now, "203.0.113.54"))).toBe("验证码错误，还可尝试 1 次");
    expect(await outcome(verify(phone, wrong(code), now, "203.0.113.54"))).toBe("TOO_MANY_ATTEMPTS");
    // 15 from strangers: closed to every other network, the right code included.
    expect(await outcome(verify(phone, code, now, "203.0.113.55"))).toBe("TOO_MANY_ATTEMPTS");
    expect(await attemptsOf(phone)).toBe(15);
    // The owner's network still has its 5; its 5th wrong guess ends the code for everyone (20 wrong guesses in all).
    for (let k = 1; k <= 5; k++) expect(await outcome(verify(phone, wrong(code), now, OWNER))).toBe(k < 5 ? "INVALID_CODE" : "TOO_MANY_ATTEMPTS");
    expect(await outcome(verify(phone, code, now, OWNER))).toBe("TOO_MANY_ATTEMPTS");
    expect(await attemptsOf(phone)).toBe(20);
  });
});

describe("parallel wrong guesses (FM_TEST_DB=postgres runs them concurrently)", () => {
  it("10 at once from one stranger: at most 5 are charged to the code, and its owner still signs in", async () => {
    const phone = "13912360007";
    const t0 = new Date("2026-12-14T14:00:00Z");
    const code = await send(phone, OWNER, t0);
    const now = at(t0, 10 * SEC);
    const results = await Promise.all(Array.from({ length: 10 }, () => outcome(verify(phone, wrong(code), now, "203.0.113.80"))));
    expect(results.every((r) => r === "INVALID_CODE" || r === "TOO_MANY_ATTEMPTS")).toBe(true);
    expect(await attemptsOf(phone)).toBeLessThanOrEqual(5);
    expect(await outcome(verify(phone, code, now, OWNER))).toBe("ok");
  });
});

describe("wrong guesses from the code's own network", () => {
  it("5 end the code for every network", async () => {
    const phone = "13912360003";
    const t0 = new Date("2026-12-14T10:00:00Z");
    const code = await send(phone, OWNER, t0);
    const now = at(t0, 10 * SEC);
    for (let k = 1; k <= 5; k++) expect(await outcome(verify(phone, wrong(code), now, OWNER))).toBe(k < 5 ? "INVALID_CODE" : "TOO_MANY_ATTEMPTS");
    expect(await outcome(verify(phone, code, now, OWNER))).toBe("TOO_MANY_ATTEMPTS");
    expect(await outcome(verify(phone, code, now, "203.0.113.60"))).toBe("TOO_MANY_ATTEMPTS");
  });

  it("an IPv6 requester's /64 is its own network: another address of the block counts as the owner", async () => {
    const phone = "13912360004";
    const t0 = new Date("2026-12-14T11:00:00Z");
    const code = await send(phone, "2001:db8:1:2::10", t0);
    const now = at(t0, 10 * SEC);
    for (let k = 1; k <= 5; k++) expect(await outcome(verify(phone, wrong(code), now, "2001:db8:1:2::99"))).toBe(k < 5 ? "INVALID_CODE" : "TOO_MANY_ATTEMPTS");
    expect(await outcome(verify(phone, code, now, "2001:db8:1:3::10"))).toBe("TOO_MANY_ATTEMPTS");
  });

  it("without TRUST_PROXY every check is one unknown network: 5 wrong guesses end a code sent so, as before", async () => {
    const phone = "13912360005";
    const t0 = new Date("2026-12-14T12:00:00Z");
    const code = await send(phone, null, t0);
    const now = at(t0, 10 * SEC);
    for (let k = 1; k <= 5; k++) expect(await outcome(verify(phone, wrong(code), now, null))).toBe(k < 5 ? "INVALID_CODE" : "TOO_MANY_ATTEMPTS");
    expect(await outcome(verify(phone, code, now, null))).toBe("TOO_MANY_ATTEMPTS");
  });
});

describe("a sign-in from the right network", () => {
  it("a stranger's wrong guesses and the owner's own stay apart: 4 + 4 wrong, then the owner's right code signs in", async () => {
    const phone = "13912360006";
    const t0 = new Date("2026-12-14T13:00:00Z");
    const code = await send(phone, OWNER, t0);
    const now = at(t0, 10 * SEC);
    for (let k = 1; k <= 4; k++) expect(await outcome(verify(phone, wrong(code), now, "203.0.113.70"))).toBe("INVALID_CODE");
    // The owner's count starts at its own 5, not at what the stranger left.
    for (const left of [4, 3, 2, 1]) expect(await message(verify(phone, wrong(code), now, OWNER))).toBe(`验证码错误，还可尝试 ${left} 次`);
    expect(await outcome(verify(phone, code, now, OWNER))).toBe("ok");
  });
});

describe("codes strangers spent", () => {
  it("are not live: two spent by their own requesters and a third sent do not push the owner's code out of the newest three", async () => {
    const phone = "13912369901";
    const t0 = new Date("2026-12-14T08:00:00Z");
    const mine = await send(phone, OWNER, t0);
    // Strangers Y and Z each ask for a code and end it with their own 5 wrong guesses (never the owner's code by chance).
    for (const [i, ip] of ["203.0.113.10", "203.0.113.20"].entries()) {
      const theirs = await send(phone, ip, at(t0, (i + 1) * 61 * SEC));
      let guess = wrong(theirs);
      while (guess === mine) guess = wrong(guess);
      for (let k = 0; k < 5; k++) await outcome(verify(phone, guess, at(t0, (i + 1) * 61 * SEC + SEC), ip));
    }
    await send(phone, "203.0.113.30", at(t0, 183 * SEC));
    // Three minutes after sending, the owner types their code: four newer codes, two of them spent, and it is still accepted.
    expect(await outcome(verify(phone, mine, at(t0, 184 * SEC), OWNER))).toBe("ok");
  });
});
