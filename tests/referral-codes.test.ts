// Referral codes (SPEC §2: unique, short, unambiguous). Found in review: a code was a public affine map of the
// sequential member id, so anyone could compute every member's /r/{code} and scrape masked names and avatars,
// members who never shared a link included. A code is now the id through a permutation keyed under
// FIELD_ENCRYPTION_KEY, chosen outside the codes the old map gave out; codes are stored, so old ones still work.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { recordReferralVisit, registerMember } from "../server/referral";
import { normaliseCode, referralCodeFor, referralCodesFor } from "../server/referral/codes";
import { freshDatabase } from "./helpers/db";

const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const SPACE = 31n ** 6n;
const MUL = 387_420_489n;
const ADD = 123_456_789n;
/** The published scheme the codes of existing members were made with. */
const oldCode = (id: number) => {
  let v = (BigInt(id) * MUL + ADD) % SPACE;
  let out = "";
  for (let i = 0; i < 6; i++) {
    out = ALPHABET[Number(v % 31n)] + out;
    v /= 31n;
  }
  return out;
};
const modPow = (b: bigint, e: bigint, m: bigint) => {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
};
// 31^6 has Euler's phi 31^5 · 30, so MUL^(phi − 1) is MUL's inverse.
const MUL_INV = modPow(MUL, 31n ** 5n * 30n - 1n, SPACE);
/** The member id the old scheme gave this code to. */
const oldIdOf = (code: string) => {
  let u = 0n;
  for (const ch of code) u = u * 31n + BigInt(ALPHABET.indexOf(ch));
  return (((u - ADD) % SPACE) + SPACE) % SPACE * MUL_INV % SPACE;
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("referral codes", () => {
  it("are not the published map of the id: no code is one the old scheme gave a member below 10^8", () => {
    expect(oldIdOf(oldCode(123_456))).toBe(123_456n);
    const ids = Array.from({ length: 200_000 }, (_, i) => i + 1);
    const codes = referralCodesFor(ids);
    const old = new Set(ids.map(oldCode));
    expect(codes.filter((c, i) => c === oldCode(i + 1) || old.has(c) || oldIdOf(c) < 100_000_000n)).toEqual([]);
  });

  it("depend on the secret key: another FIELD_ENCRYPTION_KEY gives other codes", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
    vi.stubEnv("FIELD_ENCRYPTION_KEY", "first-test-field-key-0123456789abcdefghij");
    const first = referralCodesFor(ids);
    vi.stubEnv("FIELD_ENCRYPTION_KEY", "second-test-field-key-0123456789abcdefghij");
    const second = referralCodesFor(ids);
    // Two independent permutations of ~7.9 × 10^8 codes agree on an id with probability ~10^-9.
    expect(first.filter((c, i) => c === second[i]).length).toBe(0);
    // The same key, the same codes (a member's code is computed once, but the bulk seed and sign-up must agree).
    vi.stubEnv("FIELD_ENCRYPTION_KEY", "first-test-field-key-0123456789abcdefghij");
    expect(ids.map(referralCodeFor)).toEqual(first);
  });

  it("are refused in production without FIELD_ENCRYPTION_KEY (no public fallback key)", () => {
    vi.stubEnv("NODE_ENV", "production");
    vi.stubEnv("FIELD_ENCRYPTION_KEY", "");
    expect(() => referralCodeFor(1)).toThrow(/FIELD_ENCRYPTION_KEY/);
  });

  it("are unique, six letters of the alphabet, up to the last id the space holds", () => {
    const ids = Array.from({ length: 300_000 }, (_, i) => i + 1);
    const codes = referralCodesFor(ids);
    expect(new Set(codes).size).toBe(300_000);
    for (const c of codes.slice(0, 1000)) expect(normaliseCode(` ${c.toLowerCase()} `)).toBe(c);
    // 31^6 − 10^8 = 787 503 681 codes are left for new members.
    expect(normaliseCode(referralCodeFor(787_503_681))).not.toBeNull();
    expect(() => referralCodeFor(787_503_682)).toThrow(/beyond/);
    expect(() => referralCodeFor(0)).toThrow();
  });
});

describe("sign-up", () => {
  const config = parseConfig({});
  const now = new Date("2026-03-10T02:00:00Z");
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase();
    db = database.prisma;
  });
  afterAll(() => database.close());
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now }, fn);

  it("stores the keyed code; a code the old scheme gave an existing member still counts visits and binds", async () => {
    const a = await run((ctx) => registerMember(ctx, { username: "a" }));
    expect(a.referralCode).toBe(referralCodeFor(a.id));
    expect(a.referralCode).not.toBe(oldCode(a.id));
    // a's row as the release before the keyed codes stored it.
    await db.member.update({ where: { id: a.id }, data: { referralCode: oldCode(a.id) } });

    expect(await run((ctx) => recordReferralVisit(ctx, oldCode(a.id).toLowerCase(), "v1"))).not.toBeNull();
    const b = await run((ctx) => registerMember(ctx, { username: "b", sponsorCode: oldCode(a.id) }));
    expect(b.sponsorId).toBe(a.id);
    expect(b.referralCode).toBe(referralCodeFor(b.id));
    const c = await run((ctx) => registerMember(ctx, { username: "c", sponsorCode: b.referralCode }));
    expect(c.sponsorId).toBe(b.id);
  });
});
