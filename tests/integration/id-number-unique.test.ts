// One verified account per ID number (SPEC §6, 一个身份证只能认证一个账号): a number another member verified with is
// refused (ID_NUMBER_TAKEN), also when two members submit it at once; a deleted account frees it; members verified
// before the lookup hash existed get theirs at start-up, the earliest verified keeping it when two share a number.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { idNumberHash, verifyIdentity } from "../../server/wallet/identity";
import { backfillIdNumberHashes } from "../../server/wallet/id-number-backfill";
import { checkBeforeServing } from "../../server/startup";
import { encryptField } from "../../server/auth/crypto";
import { deleteAsShown } from "../helpers/deletion";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping } from "../helpers/races";

const config = parseConfig({});
const NOW = new Date("2026-03-01T10:00:00+08:00");
// Valid by hand (GB 11643: Σ digit × weight mod 11 → "10X98765432"): 1949-12-31 / 002 → sum 123 → 2 → X;
// 1980-01-01 / 001 → sum 116 → 6 → "6"; 1980-01-01 / 002 → sum 118 → 8 → "4".
const ID_A = "11010519491231002X";
const ID_B = "110105198001010016";
const ID_C = "110105198001010024";
const TAKEN = "ID_NUMBER_TAKEN";

let database: Database;
let db: Db;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: NOW }, fn);
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code ?? String(e));
const member = async (username: string) => (await run((ctx) => registerMember(ctx, { username, ip: `ip-${username}`, device: `d-${username}` }))).id;
const identity = (id: number) => db.member.findUniqueOrThrow({ where: { id }, select: { idNumberMasked: true, idNumberHash: true, realNameMasked: true, verifiedAt: true } });

beforeEach(async () => {
  database = await freshDatabase();
  db = database.prisma;
});
afterEach(() => database.close());

describe("one verified account per ID number", () => {
  it("a second member with the same number is refused; the first keeps theirs", async () => {
    const chen = await member("chen");
    const zhang = await member("zhang");
    expect(await run((ctx) => verifyIdentity(ctx, chen, { realName: "陈小明", idNumber: ID_A }))).toEqual({ realNameMasked: "陈*明", idNumberMasked: "110***********002X" });
    // Normalised before the lookup: a lower-case x and spaces are the same number.
    const refused = await run((ctx) => verifyIdentity(ctx, zhang, { realName: "张建国", idNumber: ` ${ID_A.toLowerCase()} ` })).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: TAKEN, message: "该身份证号已用于其他账号的实名认证，如需更换账号请联系客服" });
    expect(await identity(chen)).toEqual({ idNumberMasked: "110***********002X", idNumberHash: idNumberHash(ID_A), realNameMasked: "陈*明", verifiedAt: NOW });
    expect(await identity(zhang)).toEqual({ idNumberMasked: null, idNumberHash: null, realNameMasked: null, verifiedAt: null });
    expect(await db.auditLog.count({ where: { action: "identity.verified" } })).toBe(1);
    // Their own number is fine.
    expect(await codeOf(run((ctx) => verifyIdentity(ctx, zhang, { realName: "张建国", idNumber: ID_B })))).toBe("ok");
  });

  it("two members submitting the same number at once: exactly one succeeds, the other is refused", async () => {
    const a = await member("a");
    const b = await member("b");
    const outs = await Promise.all([a, b].map((m) => codeOf(run((ctx) => verifyIdentity(ctx, m, { realName: "张三丰", idNumber: ID_C })))));
    expect(outs.sort()).toEqual([TAKEN, "ok"].sort());
    expect(await db.member.count({ where: { idNumberHash: idNumberHash(ID_C) } })).toBe(1);
    expect(await db.member.count({ where: { verifiedAt: { not: null } } })).toBe(1);
  });

  it("a deleted account frees its number for another account", async () => {
    const old = await member("old");
    const fresh = await member("fresh");
    await run((ctx) => verifyIdentity(ctx, old, { realName: "李四", idNumber: ID_A }));
    expect(await codeOf(run((ctx) => verifyIdentity(ctx, fresh, { realName: "李四", idNumber: ID_A })))).toBe(TAKEN);
    expect(await run((ctx) => deleteAsShown(ctx, old, false))).toEqual({ deleted: true });
    expect((await identity(old)).idNumberHash).toBeNull();
    expect(await codeOf(run((ctx) => verifyIdentity(ctx, fresh, { realName: "李四", idNumber: ID_A })))).toBe("ok");
    expect((await identity(fresh)).idNumberHash).toBe(idNumberHash(ID_A));
  });
});

describe.runIf(usingPostgres())("race on the unique index", () => {
  it("the second submission, whose check ran before the first committed, is refused by the index: never a 500", async () => {
    const a = await member("a");
    const b = await member("b");
    // a's row (and its hash) is written and held uncommitted; b looks, finds no holder, and its write waits on the index.
    const out = await overlapping(
      run,
      (ctx) => verifyIdentity(ctx, a, { realName: "张三丰", idNumber: ID_A }),
      (ctx) => verifyIdentity(ctx, b, { realName: "张三丰", idNumber: ID_A }).then(() => "ok", (e: { code?: string }) => e.code ?? String(e)),
    );
    expect(out).toBe(TAKEN);
    expect((await identity(a)).idNumberHash).toBe(idNumberHash(ID_A));
    expect(await identity(b)).toEqual({ idNumberMasked: null, idNumberHash: null, realNameMasked: null, verifiedAt: null });
  });
});

describe("members verified before the lookup hash", () => {
  /** A member verified the old way: the number only encrypted and masked, no hash. */
  async function legacy(username: string, idNumber: string, verifiedAt: Date) {
    const id = await member(username);
    await db.member.update({
      where: { id },
      data: { realNameEnc: encryptField("王五"), realNameMasked: "王*", idNumberEnc: encryptField(idNumber), idNumberMasked: `${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`, verifiedAt },
    });
    return id;
  }

  it("get their hash once, earliest verified first: of two sharing a number only the earliest has it", async () => {
    // Ids in the opposite order of verification, and a tie on the instant broken by id.
    const later = await legacy("later", ID_A, new Date("2026-02-02T00:00:00Z"));
    const earliest = await legacy("earliest", ID_A, new Date("2026-02-01T00:00:00Z"));
    const sameInstant = await legacy("same-instant", ID_A, new Date("2026-02-01T00:00:00Z"));
    const other = await legacy("other", ID_B, new Date("2026-02-03T00:00:00Z"));
    const unverified = await member("unverified");
    const lines: string[] = [];

    // Batches of one: the keyset walks past those it has to leave without a hash.
    expect(await backfillIdNumberHashes(db, (l) => lines.push(l), 1)).toEqual({ filled: 2, shared: 2, unreadable: 0 });
    const hashes = await db.member.findMany({ where: { id: { in: [later, earliest, sameInstant, other, unverified] } }, select: { id: true, idNumberHash: true }, orderBy: { id: "asc" } });
    expect(hashes).toEqual([
      { id: later, idNumberHash: null },
      { id: earliest, idNumberHash: idNumberHash(ID_A) },
      { id: sameInstant, idNumberHash: null },
      { id: other, idNumberHash: idNumberHash(ID_B) },
      { id: unverified, idNumberHash: null },
    ]);
    // Those left without one stay verified (staff may review them): counts only in the log, no personal data.
    expect((await identity(later)).verifiedAt).toEqual(new Date("2026-02-02T00:00:00Z"));
    expect(lines.join("\n")).toMatch(/gave 2 verified member\(s\)/);
    expect(lines.join("\n")).toMatch(/2 verified member\(s\) share an ID number/);
    for (const personal of [ID_A, ID_B, "王五", "110***********002X"]) expect(lines.join("\n")).not.toContain(personal);

    // Idempotent: nothing more to fill.
    expect(await backfillIdNumberHashes(db, () => {}, 1)).toEqual({ filled: 0, shared: 2, unreadable: 0 });
    // And now the number is taken.
    const newcomer = await member("newcomer");
    expect(await codeOf(run((ctx) => verifyIdentity(ctx, newcomer, { realName: "王五", idNumber: ID_A })))).toBe(TAKEN);
  });

  it("run by the start-up checks", async () => {
    const id = await legacy("legacy", ID_C, new Date("2026-02-01T00:00:00Z"));
    await expect(checkBeforeServing(async () => db, { NODE_ENV: "development" })).resolves.toBeUndefined();
    expect((await identity(id)).idNumberHash).toBe(idNumberHash(ID_C));
  });
});
