// The member's own writes (addresses, profile, identity) against 注销账号 and against each other: each holds the member's
// row (server/members/live.ts), so a request under way when the account is deleted cannot leave personal data on it
// (PIPL 第四十七条), two identity submissions at once cannot both succeed, and two default switches at once leave one
// default (also a partial unique index). The races need two connections: PostgreSQL only; the rest runs everywhere.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { addAddress, setDefaultAddress } from "../../server/members/addresses";
import { saveDisplayName } from "../../server/members/profile-actions";
import { verifyIdentity } from "../../server/wallet/identity";
import { deleteAsShown } from "../helpers/deletion";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping, queued } from "../helpers/races";

const config = parseConfig({});
const NOW = new Date("2026-03-01T10:00:00+08:00");
const HOME = { name: "王五", phone: "13800000012", region: "北京市 北京市 东城区", detail: "某路 8 号 3 单元" };
const WORK = { name: "王五", phone: "13800000012", region: "北京市 北京市 西城区", detail: "某街 1 号" };

let database: Database;
let db: Db;
let m: number;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: NOW }, fn);
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code ?? String(e));

beforeEach(async () => {
  database = await freshDatabase();
  db = database.prisma;
  m = (await run((ctx) => registerMember(ctx, { username: "wang", ip: "ip-w", device: "d-w" }))).id;
});
afterEach(() => database.close());

describe("a deleted account's own writes", () => {
  it("are refused once the account is deleted", async () => {
    await run((ctx) => deleteAsShown(ctx, m, false));
    expect(await codeOf(run((ctx) => addAddress(ctx, m, HOME)))).toBe("ACCOUNT_DELETED");
    expect(await codeOf(run((ctx) => saveDisplayName(ctx, m, "老王")))).toBe("ACCOUNT_DELETED");
    expect(await codeOf(run((ctx) => verifyIdentity(ctx, m, { realName: "张三丰", idNumber: "11010519491231002X" })))).toBe("ACCOUNT_DELETED");
    expect(await db.address.count({ where: { memberId: m } })).toBe(0);
  });

  it("the database keeps one default address per member", async () => {
    await run((ctx) => addAddress(ctx, m, HOME));
    await expect(db.$executeRawUnsafe(`INSERT INTO "Address" ("memberId", name, phone, region, detail, "isDefault") VALUES ($1, 'x', '13800000013', 'r', 'd', true)`, m)).rejects.toThrow();
  });
});

describe.runIf(usingPostgres())("races on the member's row", () => {
  it("an address added while the account is being deleted is erased with it", async () => {
    // The address's transaction is open when the deletion starts; the deletion waits for it, then erases the address.
    let release!: () => void;
    let added!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const inserted = new Promise<void>((r) => (added = r));
    const adding = run(async (ctx) => {
      await addAddress(ctx, m, HOME);
      added();
      await gate;
    });
    await inserted;
    const deleting = run((ctx) => deleteAsShown(ctx, m, false));
    await queued(db, 1, deleting);
    release();
    await adding;
    expect(await deleting).toEqual({ deleted: true });
    expect(await db.address.findMany({ where: { memberId: m } })).toEqual([]);
  });

  it("an identity submitted while the account is being deleted is refused, and no real name is stored", async () => {
    const out = await overlapping(run, (ctx) => deleteAsShown(ctx, m, false), (ctx) => verifyIdentity(ctx, m, { realName: "张三丰", idNumber: "11010519491231002X" }).then(() => "ok", (e: { code?: string }) => e.code));
    expect(out).toBe("ACCOUNT_DELETED");
    const row = await db.member.findUniqueOrThrow({ where: { id: m }, select: { deletedAt: true, realNameEnc: true, idNumberEnc: true, verifiedAt: true } });
    expect(row).toEqual({ deletedAt: NOW, realNameEnc: null, idNumberEnc: null, verifiedAt: null });
  });

  it("two identity submissions at once: the second is refused, the first's name is kept", async () => {
    const out = await overlapping(
      run,
      (ctx) => verifyIdentity(ctx, m, { realName: "张三丰", idNumber: "11010519491231002X" }),
      (ctx) => verifyIdentity(ctx, m, { realName: "李四", idNumber: "11010519491231002X" }).then(() => "ok", (e: { code?: string }) => e.code),
    );
    expect(out).toBe("ALREADY_VERIFIED");
    expect((await db.member.findUniqueOrThrow({ where: { id: m }, select: { realNameMasked: true } })).realNameMasked).toBe("张*丰");
    expect(await db.auditLog.count({ where: { action: "identity.verified" } })).toBe(1);
  });

  it("two default switches at once leave one default: the later one", async () => {
    const home = await run((ctx) => addAddress(ctx, m, HOME));
    const work = await run((ctx) => addAddress(ctx, m, WORK));
    const third = await run((ctx) => addAddress(ctx, m, { ...WORK, detail: "某街 2 号", isDefault: true }));
    await overlapping(run, (ctx) => setDefaultAddress(ctx, m, home.id), (ctx) => setDefaultAddress(ctx, m, work.id));
    const defaults = await db.address.findMany({ where: { memberId: m, isDefault: true }, select: { id: true } });
    expect(defaults).toEqual([{ id: work.id }]);
    expect(third.isDefault).toBe(true);
  });
});
