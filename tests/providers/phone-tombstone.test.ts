// A phone whose account was deleted is no new shopper (SPEC §5): deletion keeps a tombstone of the phone for a year
// (an HMAC under a key of its own), and signing up again with it through the SMS sign-in is a returning_phone risk
// event (SPEC §8) that flags the new member when a share link bound them, so the sponsor's 推三返一 task does not
// count them until a reviewer approves.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder } from "../../server/orders";
import { createSimpleProduct } from "../../server/catalog/admin";
import { PHONE_TOMBSTONE_KEEP_MS, recordReturningPhone } from "../../server/members/deletion";
import { deleteAsShown } from "../helpers/deletion";
import { reviewMember } from "../../server/risk/review";
import { lookupHash } from "../../server/auth/crypto";
import { freshDatabase } from "../helpers/db";

const holder = vi.hoisted(() => ({ db: null as unknown, jar: new Map<string, string>() }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (holder.jar.has(name) ? { name, value: holder.jar.get(name)! } : undefined),
    set: (name: string, value: string) => void holder.jar.set(name, value),
    delete: (name: string) => void holder.jar.delete(name),
  }),
  headers: async () => new Headers({ host: "shop.example.com" }),
}));

const { authOptions } = await import("../../server/auth/options");
const { sendSignInCode } = await import("../../server/auth/otp");

// One invitee meets a task, so a counted invitee shows at once as MET.
const config = parseConfig({ rebate: { n: 1 } });
let database: Database;
let db: Db;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  holder.db = db;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 1_000 });
});
afterAll(() => database.close());
beforeEach(() => holder.jar.clear());

const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = new Date()) => inTx(db, { config, now }, fn);
type Authorize = (c: Record<string, string>) => Promise<{ id: string } | null>;
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

/** Signs in by SMS as the login page does, through the share link of `sponsor` if given; returns the member id. */
async function signIn(phone: string, sponsor: { referralCode: string } | null): Promise<number> {
  await db.otpCode.deleteMany({});
  await sendSignInCode(db, phone, "198.51.100.9");
  const sms = await db.smsMessage.findFirstOrThrow({ orderBy: { id: "desc" } });
  if (sponsor) holder.jar.set("fm_ref", `${sponsor.referralCode}.${Math.floor(Date.now() / 1000) + 3600}`);
  const user = await authorize({ phone, code: /(\d{6})/.exec(sms.body)![1]!, consent: "1.1" });
  return Number(user!.id);
}

async function paidOrder(memberId: number) {
  const o = await run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }], address: `addr-${memberId}` }));
  await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o.id;
}

const returning = () => db.riskEvent.findMany({ where: { rule: "returning_phone" }, orderBy: { id: "asc" } });

describe("signing up again with a deleted account's phone", () => {
  it("is a returning_phone event that flags the new member, who holds the sponsor's task until approved", async () => {
    const sponsor = await run((c) => registerMember(c, { username: "sponsor", ip: "10.9.0.1", device: "dev-sponsor" }));
    const phone = "13700005555";

    // The first sign-up is a new shopper: no event.
    const first = await signIn(phone, sponsor);
    expect(await returning()).toEqual([]);
    expect(await run((c) => deleteAsShown(c, first, false))).toEqual({ deleted: true });

    // The tombstone names the deleted member and the day, and is neither the phone nor its lookup hash.
    const [tomb] = await db.phoneTombstone.findMany();
    expect(tomb).toMatchObject({ memberId: first });
    expect(tomb!.phoneKey).toMatch(/^[0-9a-f]{64}$/);
    expect(tomb!.phoneKey).not.toBe(lookupHash(phone));
    expect(tomb!.phoneKey).not.toContain("5555");

    const task = await paidOrder(sponsor.id).then((orderId) => db.rebateTask.findFirstOrThrow({ where: { anchorOrderId: orderId } }));
    const again = await signIn(phone, sponsor);
    expect(again).not.toBe(first);
    expect(await db.member.findUniqueOrThrow({ where: { id: again } })).toMatchObject({ sponsorId: sponsor.id });

    const [event] = await returning();
    expect(event).toMatchObject({ memberIds: [sponsor.id, first, again].sort((a, b) => a - b) });
    expect(event!.evidence).toMatchObject({ deletedMembers: [first], deletedAt: [tomb!.deletedAt.toISOString()], previousSponsors: [sponsor.id] });
    expect(await db.riskFlag.findMany({ where: { eventId: event!.id }, select: { memberId: true, status: true } })).toEqual([{ memberId: again, status: "OPEN" }]);

    // Their first order is assigned to the sponsor's task, which does not move to MET while they are flagged.
    await paidOrder(again);
    expect(await db.rebateAssignment.count({ where: { taskId: task.id, inviteeId: again } })).toBe(1);
    expect((await db.rebateTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("OPEN");
    // A reviewer approves: the task takes the transition that fell due (SPEC §8).
    await run((c) => reviewMember(c, again, "approve"));
    expect((await db.rebateTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("MET");
  });

  it("bound to nobody, it is recorded as evidence and flags nobody (they can never be an invitee)", async () => {
    const phone = "13700006666";
    const first = await signIn(phone, null);
    await run((c) => deleteAsShown(c, first, false));
    const again = await signIn(phone, null);
    const event = (await returning()).at(-1)!;
    expect(event.memberIds).toEqual([first, again]);
    expect(await db.riskFlag.count({ where: { eventId: event.id } })).toBe(0);
  });

  it("is evidence for a year after the deletion, then purged: it matches nothing any more", async () => {
    const phone = "13700007777";
    const first = await signIn(phone, null);
    const deletedAt = new Date("2026-01-10T00:00:00Z");
    await run((c) => deleteAsShown(c, first, false), deletedAt);
    const events = (await returning()).length;
    const phoneHash = lookupHash(phone);
    const member = { id: first, sponsorId: null };
    // Exactly a year on it is still evidence; a moment later it is purged and matches nothing.
    await run((c) => recordReturningPhone(c, member, phoneHash), new Date(deletedAt.getTime() + PHONE_TOMBSTONE_KEEP_MS));
    expect(await returning()).toHaveLength(events + 1);
    await run((c) => recordReturningPhone(c, member, phoneHash), new Date(deletedAt.getTime() + PHONE_TOMBSTONE_KEEP_MS + 1));
    expect(await returning()).toHaveLength(events + 1);
    expect(await db.phoneTombstone.count({ where: { memberId: first } })).toBe(0);
  });
});
