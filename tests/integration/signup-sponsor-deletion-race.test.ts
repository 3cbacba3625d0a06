// A sign-up through a member's link while that member's 注销账号 is committing. Found in review: the sign-up read the
// sponsor before the deletion committed and bound the new member to the deleted account. The sign-up now reads its
// sponsor key share (as its foreign key takes it anyway): it waits for the deletion (FOR UPDATE) and then binds
// nobody. Real concurrency needs PostgreSQL (PGlite runs one transaction at a time).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { deleteAsShown } from "../helpers/deletion";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { queued } from "../helpers/races";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
let database: Database;
let db: Db;
beforeAll(async () => {
  if (!usingPostgres()) return;
  database = await freshDatabase();
  db = database.prisma;
});
afterAll(() => database?.close());

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now: t0 }, fn);
let seq = 0;
const join = (sponsor: { sponsorCode?: string; sponsorId?: number } = {}) =>
  run((ctx) => registerMember(ctx, { username: `u${++seq}`, ip: `198.51.100.${seq}`, device: `dev-${seq}`, ...sponsor }));

describe.runIf(usingPostgres())("sign-up while the sponsor's account is being deleted", () => {
  it.each(["code", "id"] as const)("by %s: the sign-up waits for the deletion and binds nobody", async (by) => {
    const a = await join();
    let release!: () => void;
    let reached!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const deleting = new Promise<void>((r) => (reached = r));
    // The deletion holds its transaction open once it has done its work.
    const deletion = run(async (ctx) => {
      await deleteAsShown(ctx, a.id, true);
      reached();
      await gate;
    });
    await deleting;
    let settled = false;
    const signUp = join(by === "code" ? { sponsorCode: a.referralCode } : { sponsorId: a.id }).finally(() => (settled = true));
    await queued(db, 1, signUp);
    expect(settled).toBe(false);
    release();
    await deletion;
    const b = await signUp;

    const [m, s] = await Promise.all([db.member.findUniqueOrThrow({ where: { id: b.id } }), db.member.findUniqueOrThrow({ where: { id: a.id } })]);
    expect(s.deletedAt).not.toBeNull();
    expect(m.sponsorId).toBeNull();
    expect(s.teamSize).toBe(0);
    expect(await db.sponsorClosure.count({ where: { descendantId: b.id } })).toBe(0);
    expect(await db.notification.count({ where: { memberId: a.id } })).toBe(0);
  });
});
