// 我邀请的好友 (server/promotion/invitees.ts, promotion.invitees): a shopper sees the members they invited directly and
// nobody else — never a level-2 member (PIPL) nor another shopper's invitees —, masked as on a 推三返一 task card, with
// their first order as 推三返一 counts it (SPEC §5: a first paid order counts, a refunded one does not), a page at a time.
// PGlite by default; FM_TEST_DB=postgres runs the same on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma, type Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { cancelUnpaidOrder, completeOrder, confirmDelivery, confirmPayment, createOrder, refundOrder, shipOrder } from "../server/orders";
import { setFrozen } from "../server/members/status-history";
import { createSimpleProduct } from "../server/catalog/admin";
import { myInvitees } from "../server/promotion/invitees";
import { freshDatabase } from "./helpers/db";
import { callerFor } from "./helpers/caller";
import { deleteAsShown } from "./helpers/deletion";
import { planWithoutSeqscan } from "./helpers/plans";
import { moveUnder } from "./helpers/kpi-moves";

const config = parseConfig({});
const MIN = 60_000;
const DAY = 86_400_000;
const t0 = new Date("2026-11-30T15:30:00Z"); // 2026-11-30 23:30 in Shanghai
let database: Database;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2], now: Date) => inTx(database.prisma, { config, now }, fn);
const at = (minutes: number) => new Date(t0.getTime() + minutes * MIN);

let upline: number;
let sam: number; // the sharer
let stranger: number;
const d: Record<string, number> = {};
let grandchild: number;

async function register(username: string, nickname: string | null, sponsorId: number | null, minutes: number) {
  return (await run((c) => registerMember(c, { username, nickname, sponsorId }), at(minutes))).id;
}
async function order(memberId: number, minutes: number) {
  return run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }], address: `addr-${memberId}` }), at(minutes));
}
async function pay(o: { id: number; payableFen: number }, minutes: number) {
  await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }), at(minutes));
}

beforeAll(async () => {
  database = await freshDatabase();
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "明前龙井", priceFen: 9_900, category: "fmcg", stock: 1000 });
  upline = await register("upline", "上线", null, 0);
  sam = await register("sam", "山姆", upline, 1);
  stranger = await register("stranger", "陌生人", null, 2);
  // Sam's directs, oldest first; each name is how it should read masked (maskDisplayName: first, up to two *, last).
  d.none = await register("d-none", "阿强", sam, 10);
  d.unpaid = await register("d-unpaid", "小红帽子", sam, 11);
  d.cancelled = await register("d-cancelled", "王小二", sam, 12);
  d.paid = await register("d-paid", null, sam, 13);
  d.shipped = await register("d-shipped", "Bob", sam, 14);
  d.delivered = await register("d-delivered", "李四", sam, 15);
  d.completed = await register("d-completed", "张三丰", sam, 16);
  d.refunded = await register("d-refunded", "赵六", sam, 17);
  d.deleted = await register("d-deleted", "钱七", sam, 18);
  d.frozen = await register("d-frozen", "孙八", sam, 19);
  // Level 2 under Sam (invited by d-paid) and a direct of the stranger: neither is Sam's to see.
  grandchild = await register("grandchild", "孙子", d.paid, 20);
  await register("strangers-friend", "路人", stranger, 21);

  // Sam's own paid order opens his 推三返一 task (n = 3) before any friend pays.
  await pay(await order(sam, 30), 31);
  // Assignment order (SPEC §5): paid (1/3), refunded (2/3, then removed: 1/3), shipped (2/3), delivered (3/3, MET),
  // completed (no OPEN task left: counts for none).
  const paid = await order(d.paid, 40);
  await pay(paid, 41);
  const refunded = await order(d.refunded, 42);
  await pay(refunded, 43);
  await run((c) => refundOrder(c, refunded.id), at(44));
  const shipped = await order(d.shipped, 45);
  await pay(shipped, 46);
  await run((c) => shipOrder(c, shipped.id), at(47));
  const delivered = await order(d.delivered, 48);
  await pay(delivered, 49);
  await run((c) => shipOrder(c, delivered.id), at(50));
  await run((c) => confirmDelivery(c, delivered.id), at(51));
  const completed = await order(d.completed, 52);
  await pay(completed, 53);
  await run((c) => shipOrder(c, completed.id), at(54));
  await run((c) => confirmDelivery(c, completed.id), at(55));
  // The return window (7 days) closes after delivery.
  expect(await run((c) => completeOrder(c, completed.id), new Date(at(55).getTime() + 8 * DAY))).toBe(true);
  await order(d.unpaid, 60);
  const cancelled = await order(d.cancelled, 61);
  await run((c) => cancelUnpaidOrder(c, cancelled.id, "shopper"), at(62));
  // The grandchild's first order is a paid one too: it must not show (nor count) for Sam.
  await pay(await order(grandchild, 63), 64);
  await run((c) => deleteAsShown(c, d.deleted, true), at(70));
  await run((c) => setFrozen(c, d.frozen, true), at(71));
}, 180_000);
afterAll(() => database?.close());

describe("我邀请的好友", () => {
  it("lists the direct invitees only, newest first, each first order as 推三返一 counts it", async () => {
    const { items, nextCursor, totals } = await myInvitees(database.prisma, sam, { take: 50 });
    expect(nextCursor).toBeUndefined();
    expect(items.map((i) => [i.name, i.account, i.firstOrder, i.countsForTask])).toEqual([
      // Frozen: shown as any member (a risk outcome is not the sponsor's to see).
      ["孙*", "ACTIVE", "NONE", false],
      // Deleted: the placeholder name, nothing else about the person.
      ["已注销用户", "DELETED", null, false],
      ["赵*", "ACTIVE", "REFUNDED", false],
      ["张*丰", "ACTIVE", "COMPLETED", false],
      ["李*", "ACTIVE", "ORDERED", true],
      ["B*b", "ACTIVE", "ORDERED", true],
      // No nickname: the username, masked as a task card masks it.
      ["d**d", "ACTIVE", "ORDERED", true],
      ["王*二", "ACTIVE", "NONE", false],
      ["小**子", "ACTIVE", "NONE", false],
      ["阿*", "ACTIVE", "NONE", false],
    ]);
    expect(items.map((i) => i.id)).toEqual([d.frozen, d.deleted, d.refunded, d.completed, d.delivered, d.shipped, d.paid, d.cancelled, d.unpaid, d.none]);
    expect(items.map((i) => i.id)).not.toContain(grandchild);
    // Ten invited; five paid a first order (paid, shipped, delivered, completed, and the refunded one), and four of those
    // stand: the refunded one is 首单已退款 on its row, not ordered.
    expect(totals).toEqual({ invited: 10, ordered: 4 });
  });

  it("says why a first order that stands counts for no task: none open with room when it was paid (SPEC §5)", async () => {
    const { items } = await myInvitees(database.prisma, sam, { take: 50 });
    const why = Object.fromEntries(items.map((i) => [i.id, i.notCountedWhy]));
    // d-completed paid at minute 53, after d-delivered made Sam's only task MET (3/3) at 49: it counts for none, and says so.
    expect(why[d.completed]).toBe("NO_TASK");
    // Counted ones, no first order, a refunded first order (its row says so) and a deleted account: no reason.
    for (const k of ["paid", "shipped", "delivered", "refunded", "none", "unpaid", "cancelled", "deleted", "frozen"]) expect(why[d[k]!], k).toBeNull();
    // A first order paid while the sharer has no task at all: Sam's own, his upline never having paid an order.
    expect((await myInvitees(database.prisma, upline)).items).toEqual([expect.objectContaining({ id: sam, firstOrder: "ORDERED", countsForTask: false, notCountedWhy: "NO_TASK" })]);
  });

  it("sends no personal data: only the masked name, the join date and the statuses", async () => {
    const api = callerFor(database.prisma, sam);
    const page = await api.promotion.invitees();
    expect(Object.keys(page.items[0]!).sort()).toEqual(["account", "countsForTask", "firstOrder", "id", "joinedAt", "name", "notCountedWhy"]);
    const json = JSON.stringify(page);
    for (const secret of ["钱七", "阿强", "小红帽子", "d-paid", "9900", "99.00", "addr-"]) expect(json).not.toContain(secret);
    expect(page.items.find((i) => i.id === d.none)!.joinedAt).toEqual(at(10));
  });

  it("pages by keyset: every invitee once, in order, no duplicates or gaps, totals on the first page only", async () => {
    const seen: number[] = [];
    let cursor: number | undefined;
    const pages: number[] = [];
    do {
      const page = await myInvitees(database.prisma, sam, { cursor, take: 3 });
      expect(page.totals === null).toBe(cursor !== undefined);
      seen.push(...page.items.map((i) => i.id));
      pages.push(page.items.length);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(pages).toEqual([3, 3, 3, 1]);
    const all = (await myInvitees(database.prisma, sam, { take: 50 })).items.map((i) => i.id);
    expect(seen).toEqual(all);
    // A friend who signs up while Sam pages lands on the first page, and shifts nothing on the later ones.
    const late = await register("d-late", "后来者", sam, 80);
    const first = await myInvitees(database.prisma, sam, { take: 3 });
    expect(first.items[0]!.id).toBe(late);
    expect((await myInvitees(database.prisma, sam, { cursor: all[2], take: 3 })).items.map((i) => i.id)).toEqual(all.slice(3, 6));
  });

  it("shows each shopper their own list: another member, or a level-2 sponsor, never sees Sam's invitees", async () => {
    const strangerList = await callerFor(database.prisma, stranger).promotion.invitees();
    expect(strangerList.items.map((i) => i.name)).toEqual(["路*"]);
    expect(strangerList.totals).toEqual({ invited: 1, ordered: 0 });
    // Sam's upline sees Sam alone (level 1), none of Sam's invitees (level 2 to them).
    const uplineList = await callerFor(database.prisma, upline).promotion.invitees();
    expect(uplineList.items.map((i) => i.id)).toEqual([sam]);
    // The grandchild's sponsor sees it, its paid first order counting for the task d-paid's own order opened (SPEC §5).
    expect((await callerFor(database.prisma, d.paid).promotion.invitees()).items).toEqual([expect.objectContaining({ id: grandchild, name: "孙*", firstOrder: "ORDERED", countsForTask: true })]);
    // A cursor from Sam's list shows the stranger only the stranger's own invitees after it.
    expect((await callerFor(database.prisma, stranger).promotion.invitees({ cursor: d.frozen + 100 })).items.map((i) => i.name)).toEqual(["路*"]);
  });

  it("refuses a signed-out visitor and a cursor that is no row id", async () => {
    await expect(callerFor(database.prisma, null).promotion.invitees()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(callerFor(database.prisma, sam).promotion.invitees({ cursor: -1 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  // Last: it moves one of Sam's invitees.
  it("shows a friend staff moved to another sponsor under the new one, counted only for the task it was assigned to", async () => {
    await moveUnder(database.prisma, d.shipped, stranger, at(90));
    expect((await myInvitees(database.prisma, sam)).items.map((i) => i.id)).not.toContain(d.shipped);
    // Its first order counts for Sam's task (SPEC §5: for at most one task, ever), not for one of the stranger's.
    // Nor is it said to have found no task: it was assigned, to the former sponsor's.
    expect((await myInvitees(database.prisma, stranger)).items.find((i) => i.id === d.shipped)).toMatchObject({ name: "B*b", firstOrder: "ORDERED", countsForTask: false, notCountedWhy: null });
  });

  it("seeks each page in the (sponsorId, id) index, no sort of all the directs", async () => {
    const plan = await planWithoutSeqscan(database.prisma, Prisma.sql`SELECT id FROM "Member" WHERE "sponsorId" = ${sam} AND id < ${d.completed} ORDER BY id DESC LIMIT 21`);
    expect(plan).toContain("Member_sponsorId_id_idx");
    expect(plan).not.toMatch(/\bSort\b/);
  });
});
