// 创建账号 sent twice with one dialog key, the two requests overlapping for real on PostgreSQL (FM_TEST_DB=postgres):
// one account, the second request waits for the first and answers with it and a new one-time password (the first's
// no longer signs in); the key sent with another username meanwhile is refused as reused, not a unique-index error.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx, type Ctx } from "../../server/context";
import { createOwnerAccount, inviteStaff, type StaffInvitation } from "../../server/staff/accounts";
import { signIn } from "../../server/staff/sessions";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { overlapping } from "../helpers/races";

const KEY = "0123456789abcdef0123456789abcdef";
const XIAOWANG = { username: "xiaowang", displayName: "小王", role: "operator", inviteKey: KEY } as const;
let database: Database;
let actor: { staffId: number; requestId: string };

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, {}, fn);
const invite = (input: StaffInvitation) => (ctx: Ctx) => inviteStaff(ctx, actor, input);
const codeOf = (p: Promise<unknown>) => p.then(() => "ok", (e) => (e instanceof DomainError ? e.code : String(e)));

beforeEach(async () => {
  database = await freshDatabase();
  const owner = await run((ctx) => createOwnerAccount(ctx, { username: "laoban", displayName: "老板", password: "a-long-owner-password-1" }, { allowAnother: false }));
  actor = { staffId: owner.id, requestId: "race-test" };
});
afterEach(() => database.close());

describe.runIf(usingPostgres())("one invitation key, concurrently", () => {
  it("the second of two overlapping submissions waits for the first and gets its account with a new password", async () => {
    let first: Awaited<ReturnType<typeof inviteStaff>> | undefined;
    const second = await overlapping(run, async (ctx) => (first = await invite(XIAOWANG)(ctx)), invite(XIAOWANG));
    expect(second.staff.id).toBe(first!.staff.id);
    expect(second.initialPassword).not.toBe(first!.initialPassword);
    expect(await database.prisma.staffAccount.count({ where: { username: "xiaowang" } })).toBe(1);
    expect(await database.prisma.auditLog.count({ where: { action: { in: ["staff.invited", "staff.invite_reissued"] } } })).toBe(2);
    expect(await signIn(database.prisma, new Date(), { username: "xiaowang", password: first!.initialPassword })).toEqual({ ok: false, reason: "invalid" });
    expect(await signIn(database.prisma, new Date(), { username: "xiaowang", password: second.initialPassword })).toMatchObject({ ok: true });
  });

  it("the key sent for another username while the first is open is refused as reused, no unique-index error", async () => {
    const outcome = await overlapping(run, invite(XIAOWANG), (ctx) => codeOf(invite({ ...XIAOWANG, username: "xiaowang2" })(ctx)));
    expect(outcome).toBe("INVITE_KEY_REUSED");
    expect(await database.prisma.staffAccount.findMany({ where: { invitedById: actor.staffId }, select: { username: true } })).toEqual([{ username: "xiaowang" }]);
  });

  it("a sign-in holding the account while the resend comes: the resend waits for it, then refuses (the invitee has signed in)", async () => {
    const first = await run(invite(XIAOWANG));
    // What signIn does to the row, under its lock: the resend must not read the account before this commits.
    const signInWrites = async (ctx: Ctx) => {
      await ctx.tx.$queryRaw`SELECT id FROM "StaffAccount" WHERE id = ${first.staff.id} FOR UPDATE`;
      await ctx.tx.staffAccount.update({ where: { id: first.staff.id }, data: { lastSignInAt: new Date() } });
    };
    const outcome = await overlapping(run, signInWrites, (ctx) => codeOf(invite(XIAOWANG)(ctx)));
    expect(outcome).toBe("INVITE_ALREADY_SIGNED_IN");
    expect(await signIn(database.prisma, new Date(), { username: "xiaowang", password: first.initialPassword })).toMatchObject({ ok: true });
  });
});
