// Strangers cannot keep a phone's owner from signing in by SMS (server/auth/otp.ts): another network's send never
// cancels a live code (at most 3 live per phone, any of them accepted); a network that signed this phone in before keeps
// its own budget however many strangers asked; and one network gets 30 wrong codes an hour, across every phone.
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
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const at = (t0: Date, ms: number) => new Date(t0.getTime() + ms);
const outcome = (p: Promise<unknown>) => p.then(() => "ok", (e: unknown) => (e instanceof OtpError ? e.code : e));

/** Sends a code and returns it (the dev outbox keeps the message). */
async function send(phone: string, ip: string | null, now: Date): Promise<string> {
  await sendSignInCode(database.prisma, phone, ip, now);
  const sms = await database.prisma.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(phone) }, orderBy: { id: "desc" } });
  return /(\d{6})/.exec(sms.body)![1]!;
}
const verify = (phone: string, code: string, now: Date, ip: string | null = null) => outcome(verifySignInCode(database.prisma, phone, code, now, ip));
/** A code that is none of `codes`. */
function wrong(...codes: string[]): string {
  let guess = codes[0]!;
  while (codes.includes(guess)) guess = String((Number(guess) + 1) % 1_000_000).padStart(6, "0");
  return guess;
}

describe("another network's send does not cancel a live code", () => {
  it("the owner's code survives two strangers' sends, and each of the three live codes is accepted once", async () => {
    const phone = "13912350001";
    const t0 = new Date("2026-12-11T08:00:00Z");
    const owner = await send(phone, "198.51.100.7", t0);
    const b = await send(phone, "203.0.113.1", at(t0, 61 * SEC));
    const c = await send(phone, "203.0.113.2", at(t0, 122 * SEC));
    expect(await verify(phone, owner, at(t0, 123 * SEC))).toBe("ok");
    expect(await verify(phone, owner, at(t0, 124 * SEC))).not.toBe("ok");
    expect(await verify(phone, b, at(t0, 125 * SEC))).toBe("ok");
    expect(await verify(phone, c, at(t0, 126 * SEC))).toBe("ok");
  });

  it("with three live codes a fourth network waits for one to end or be used", async () => {
    const phone = "13912350004";
    const t0 = new Date("2026-12-11T08:30:00Z");
    const owner = await send(phone, "198.51.100.7", t0);
    const b = await send(phone, "203.0.113.1", at(t0, 61 * SEC));
    await send(phone, "203.0.113.2", at(t0, 122 * SEC));
    // Refused until the oldest live code, the owner's, expires (t0 + 300 s).
    const full = await sendSignInCode(database.prisma, phone, "203.0.113.3", at(t0, 183 * SEC)).catch((e: unknown) => e);
    expect(full).toMatchObject({ code: "TOO_SOON", retryAfterSec: 300 - 183 });
    expect(await verify(phone, owner, at(t0, 184 * SEC))).toBe("ok");
    // One of three used: the fourth network is served, and its send leaves b live.
    const d = await send(phone, "203.0.113.3", at(t0, 185 * SEC));
    expect(await verify(phone, b, at(t0, 186 * SEC))).toBe("ok");
    expect(await verify(phone, d, at(t0, 187 * SEC))).toBe("ok");
  });

  it("a requester with a live code may always ask again: its new code replaces its own", async () => {
    const phone = "13912350002";
    const t0 = new Date("2026-12-11T09:00:00Z");
    const first = await send(phone, "198.51.100.8", t0);
    const b = await send(phone, "203.0.113.4", at(t0, 61 * SEC));
    const c = await send(phone, "203.0.113.5", at(t0, 122 * SEC));
    const second = await send(phone, "198.51.100.8", at(t0, 183 * SEC));
    const now = at(t0, 184 * SEC);
    if (![second, b, c].includes(first)) expect(await verify(phone, first, now)).toBe("INVALID_CODE");
    expect(await verify(phone, b, now)).toBe("ok");
    expect(await verify(phone, c, now)).toBe("ok");
    expect(await verify(phone, second, now)).toBe("ok");
  });
});

describe("a network that signed this phone in keeps its budget", () => {
  it("5 strangers a day cannot shut out the owner's network; a network that only asked is a stranger", async () => {
    const phone = "13912350003";
    const owner = "198.51.100.9";
    const t0 = new Date("2026-12-12T08:00:00Z");
    // Yesterday the owner signed in from home; someone else only asked for a code.
    const code = await send(phone, owner, t0);
    expect(await verify(phone, code, at(t0, 10 * SEC), owner)).toBe("ok");
    await send(phone, "203.0.113.99", at(t0, 2 * MIN));
    // A day later, 5 strangers ask, 6 minutes apart (each code has ended before the next send).
    const day = at(t0, 25 * HOUR);
    for (let i = 1; i <= 5; i++) expect(await outcome(sendSignInCode(database.prisma, phone, `203.0.113.${10 + i}`, at(day, i * 6 * MIN)))).toBe("ok");
    expect(await outcome(sendSignInCode(database.prisma, phone, "203.0.113.16", at(day, 36 * MIN)))).toBe("PHONE_DAILY_LIMIT");
    expect(await outcome(sendSignInCode(database.prisma, phone, "203.0.113.99", at(day, 37 * MIN)))).toBe("PHONE_DAILY_LIMIT");
    // The owner's network still gets its own 3 codes of the day.
    const mine = await send(phone, owner, at(day, 38 * MIN));
    expect(await verify(phone, mine, at(day, 38 * MIN + SEC), owner)).toBe("ok");
    expect(await outcome(sendSignInCode(database.prisma, phone, owner, at(day, 44 * MIN)))).toBe("ok");
    expect(await outcome(sendSignInCode(database.prisma, phone, owner, at(day, 50 * MIN)))).toBe("ok");
    expect(await outcome(sendSignInCode(database.prisma, phone, owner, at(day, 56 * MIN)))).toBe("PHONE_REQUESTER_LIMIT");
  });
});

describe("wrong codes per network", () => {
  it("30 wrong codes an hour across phones, then refused before any code is tried; other networks unaffected", async () => {
    const t0 = new Date("2026-12-13T08:00:00Z");
    const guesser = "203.0.113.200";
    const phones = Array.from({ length: 7 }, (_, i) => `1391236${String(i).padStart(4, "0")}`);
    const codes = new Map<string, string>();
    for (const [i, phone] of phones.entries()) codes.set(phone, await send(phone, `198.51.100.${100 + i}`, at(t0, i * SEC)));
    const now = at(t0, MIN);
    // 6 phones × 5 wrong guesses: the 5th on each phone ends its code (TOO_MANY_ATTEMPTS), all 30 are the network's failures.
    for (const phone of phones.slice(0, 6)) {
      for (let k = 1; k <= 5; k++) expect(await verify(phone, wrong(codes.get(phone)!), now, guesser)).toBe(k < 5 ? "INVALID_CODE" : "TOO_MANY_ATTEMPTS");
    }
    const last = phones[6]!;
    // The 31st is refused without trying: not even the right code passes, and the phone's code is not charged.
    expect(await verify(last, wrong(codes.get(last)!), now, guesser)).toBe("VERIFY_NETWORK_LIMIT");
    expect(await verify(last, codes.get(last)!, now, guesser)).toBe("VERIFY_NETWORK_LIMIT");
    const row = await database.prisma.otpCode.findFirstOrThrow({ where: { phoneHash: lookupHash(last) } });
    expect(row.attempts).toBe(0);
    // Another network (the owner's) signs in with it.
    expect(await verify(last, codes.get(last)!, now, "198.51.100.106")).toBe("ok");
    // An hour after its failures the network may try again.
    const later = at(t0, MIN + HOUR + SEC);
    const fresh = await send(last, "198.51.100.106", later);
    expect(await verify(last, wrong(fresh), later, guesser)).toBe("INVALID_CODE");
    expect(await verify(last, fresh, later, guesser)).toBe("ok");
  });

  it("parallel wrong codes from one network cannot pass the limit together (FM_TEST_DB=postgres runs them concurrently)", async () => {
    const t0 = new Date("2026-12-13T12:00:00Z");
    const guesser = "203.0.113.202";
    const phones = Array.from({ length: 8 }, (_, i) => `1391239${String(i).padStart(4, "0")}`);
    const codes = await Promise.all(phones.map((phone, i) => send(phone, `198.51.100.${150 + i}`, at(t0, i * SEC))));
    const now = at(t0, MIN);
    const results = await Promise.all(phones.flatMap((phone, i) => Array.from({ length: 5 }, () => verify(phone, wrong(codes[i]!), now, guesser))));
    const wrongs = results.filter((r) => r === "INVALID_CODE" || r === "TOO_MANY_ATTEMPTS").length;
    // Checks in flight count until decided, so a burst may be refused more than needed (all of it on PGlite), never less.
    expect(wrongs).toBeLessThanOrEqual(30);
    expect(results.every((r) => ["INVALID_CODE", "TOO_MANY_ATTEMPTS", "VERIFY_NETWORK_LIMIT"].includes(r as string))).toBe(true);
    expect(await database.prisma.otpVerifyFailure.count({ where: { network: guesser } })).toBe(wrongs);
  });

  it("a network's successful sign-ins and expired codes are no failures", async () => {
    const t0 = new Date("2026-12-13T10:00:00Z");
    const office = "203.0.113.201";
    // 35 colleagues behind one address sign in, each right first time (sent from their own mobile networks).
    for (let i = 0; i < 35; i++) {
      const phone = `1391237${String(i).padStart(4, "0")}`;
      const code = await send(phone, `192.0.2.${i + 1}`, at(t0, i * SEC));
      expect(await verify(phone, code, at(t0, i * SEC + 500), office)).toBe("ok");
    }
    // Codes that ended are refused as such and not counted either.
    for (let i = 0; i < 35; i++) expect(await verify(`1391237${String(i).padStart(4, "0")}`, "123456", at(t0, HOUR), office)).toBe("CODE_EXPIRED");
    const phone = "13912380000";
    const code = await send(phone, "192.0.2.100", at(t0, HOUR));
    expect(await verify(phone, wrong(code), at(t0, HOUR + SEC), office)).toBe("INVALID_CODE");
    expect(await verify(phone, code, at(t0, HOUR + 2 * SEC), office)).toBe("ok");
  });
});
