// Two requests taking one unique key at once: both pass the "is it free?" read, the database's unique index settles
// it, and the loser gets the domain's answer — a category created twice is not overwritten, a staff name invited twice
// is USERNAME_TAKEN (not a 500), an openid linked by two members at once is openid_taken (not a 500). Two transactions
// at once need two connections: PostgreSQL only.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { saveCategory } from "../../server/catalog/admin";
import { createOwnerAccount, inviteStaff } from "../../server/staff/accounts";
import { linkWechatAccount } from "../../server/wechat/oauth";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping } from "../helpers/races";

const config = parseConfig({});
const NOW = new Date("2026-03-01T10:00:00+08:00");
const codeOf = (p: Promise<unknown>) => p.then((v) => v, (e: { code?: string }) => e.code ?? String(e));

describe.runIf(usingPostgres())("one unique key taken twice at once", () => {
  let database: Database;
  let db: Db;
  const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: NOW }, fn);

  beforeEach(async () => {
    database = await freshDatabase();
    db = database.prisma;
  });
  afterEach(() => database.close());

  it("a category created twice keeps the first's name; the second is told it exists", async () => {
    const second = await overlapping(
      run,
      (ctx) => saveCategory(ctx, null, { slug: "tea", name: "茶叶", sort: 1 }, "create"),
      (ctx) => codeOf(saveCategory(ctx, null, { slug: "tea", name: "茶具", sort: 2 }, "create")),
    );
    expect(second).toBe("CATEGORY_EXISTS");
    expect(await db.category.findUnique({ where: { slug: "tea" }, select: { name: true, sort: true } })).toEqual({ name: "茶叶", sort: 1 });
    expect(await db.auditLog.count({ where: { action: "catalog.category.create" } })).toBe(1);
  });

  it("a staff name invited twice: the second invitation is USERNAME_TAKEN", async () => {
    const owner = await run((ctx) => createOwnerAccount(ctx, { username: "laoban", displayName: "老板", password: "a-long-owner-password-1" }, { allowAnother: false }));
    const actor = { staffId: owner.id, requestId: "race-test" };
    const second = await overlapping(
      run,
      (ctx) => inviteStaff(ctx, actor, { username: "xiaowang", displayName: "小王", role: "operator" }),
      (ctx) => codeOf(inviteStaff(ctx, actor, { username: "xiaowang", displayName: "另一个小王", role: "finance" })),
    );
    expect(second).toBe("USERNAME_TAKEN");
    expect(await db.staffAccount.findUnique({ where: { username: "xiaowang" }, select: { displayName: true, role: true } })).toEqual({ displayName: "小王", role: "operator" });
  });

  it("one openid linked by two members at once: the second is openid_taken", async () => {
    const [a, b] = [await run((ctx) => registerMember(ctx, { username: "a" })), await run((ctx) => registerMember(ctx, { username: "b" }))];
    const openid = "oRace0000000000000000000001";
    const second = await overlapping(
      run,
      (ctx) => linkWechatAccount(ctx, a.id, "wxapp", { openid }),
      (ctx) => codeOf(linkWechatAccount(ctx, b.id, "wxapp", { openid })),
    );
    expect(second).toBe("openid_taken");
    expect(await db.externalAccount.findMany({ where: { subject: openid }, select: { memberId: true } })).toEqual([{ memberId: a.id }]);
  });

  it("one member linking two openids at once: the second is member_has_other", async () => {
    const a = await run((ctx) => registerMember(ctx, { username: "a" }));
    const second = await overlapping(
      run,
      (ctx) => linkWechatAccount(ctx, a.id, "wxapp", { openid: "oFirst000000000000000000001" }),
      (ctx) => codeOf(linkWechatAccount(ctx, a.id, "wxapp", { openid: "oSecond00000000000000000001" })),
    );
    expect(second).toBe("member_has_other");
  });
});
