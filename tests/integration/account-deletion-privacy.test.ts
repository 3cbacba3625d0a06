// 注销账号 and what a deleted account leaves behind (PIPL review): its orders keep the address masked and the place's
// fingerprint keyed (risk control still matches it), and its uploads that no refund request shows — the avatar's
// picture, photos never sent — go, row and stored file, the file once the deletion has committed.
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { cancelUnpaidOrder, completeOrder, confirmDelivery, confirmPayment, createOrder, shipOrder } from "../../server/orders";
import { merchantOrderDetail } from "../../server/orders/merchant";
import { addressHash } from "../../server/orders/address-privacy";
import { confirmAccountDeletion, deletionPreview, sendDeletionCode } from "../../server/members/deletion";
import { lookupHash, phoneFields } from "../../server/auth/crypto";
import { LocalDiskStorage } from "../../server/storage";
import { createSimpleProduct } from "../../server/catalog/admin";
import { DAY } from "../../server/clock/time";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
let database: Database;
let db: Db;
let storage: LocalDiskStorage;
let uploadsRoot: string;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  uploadsRoot = await mkdtemp(path.join(tmpdir(), "fm-deletion-uploads-"));
  storage = new LocalDiskStorage(uploadsRoot);
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 1_000 });
});
afterAll(async () => {
  await database.close();
  await rm(uploadsRoot, { recursive: true, force: true });
});

const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = t0) => inTx(db, { config, now }, fn);
let seq = 0;
async function member(sponsorId: number | null = null) {
  const n = ++seq;
  const phone = `1380000${String(n).padStart(4, "0")}`;
  const m = await run((c) => registerMember(c, { username: `m${n}`, sponsorId, phone: phoneFields(phone), ip: `10.1.0.${n}`, device: `dev-${n}` }));
  return { id: m.id, phone };
}

const ADDRESS = "李四 13912345678 上海市 浦东新区 世纪大道 1 号";
const PLACE = "上海市 浦东新区 世纪大道 1 号";
// By hand from maskAddress's rule: the name's first character, the phone's first 3 and last 4 digits, the picker's region.
const MASKED = "李* 139****5678 上海市 浦东新区 ****";
const order = (memberId: number, now = t0) => run((c) => createOrder(c, { memberId, lines: [{ sku: "tea", qty: 1 }], address: ADDRESS, addressKey: PLACE }), now);
async function completed(memberId: number) {
  const o = await order(memberId);
  await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  await run((c) => shipOrder(c, o.id));
  await run((c) => confirmDelivery(c, o.id), new Date(t0.getTime() + 3600_000));
  expect(await run((c) => completeOrder(c, o.id), new Date(t0.getTime() + 3600_000 + 7 * DAY))).toBe(true);
  return o.id;
}

/** A stored upload of the member's: its picture and thumbnail in storage, its row, as app/api/uploads/route.ts leaves them. */
async function upload(memberId: number, hash = createHash("sha256").update(`picture-${++seq}`).digest("hex").slice(0, 32)) {
  const key = `p/${hash.slice(0, 2)}/${hash}.webp`;
  const thumbKey = `p/${hash.slice(0, 2)}/${hash}_400.webp`;
  await storage.put(key, Buffer.from(`picture ${hash}`), "image/webp");
  await storage.put(thumbKey, Buffer.from(`thumbnail ${hash}`), "image/webp");
  await db.shopperUpload.create({ data: { memberId, url: `/media/${key}`, thumbUrl: `/media/${thumbKey}`, bytes: 10, createdAt: t0 } });
  return { hash, key, thumbKey, url: `/media/${key}`, thumbUrl: `/media/${thumbKey}` };
}
const stored = async (u: { key: string; thumbKey: string }) => [!!(await storage.get(u.key)), !!(await storage.get(u.thumbKey))];

async function deleteAccount(m: { id: number; phone: string }) {
  await sendDeletionCode(db, m.id, null);
  const sms = await db.smsMessage.findFirstOrThrow({ where: { phoneHash: lookupHash(m.phone) }, orderBy: { id: "desc" } });
  const code = /(\d{6})/.exec(sms.body)![1]!;
  const { forfeit } = await deletionPreview({ tx: db }, m.id);
  return confirmAccountDeletion(db, m.id, { code, acceptForfeit: true, shown: forfeit }, new Date(t0.getTime() + 30 * DAY), null, storage);
}

describe("注销账号 masks the addresses of the account's orders", () => {
  it("every order (completed, cancelled) keeps the masked address and a keyed fingerprint; shared_address still matches it", async () => {
    const d = await member();
    const done = await completed(d.id);
    const cancelled = await order(d.id);
    await run((c) => cancelUnpaidOrder(c, cancelled.id, "shopper"));
    // An order placed before the fingerprint was keyed: the unkeyed sha256 of the normalised place.
    const old = await completed(d.id);
    const unkeyed = createHash("sha256").update(PLACE).digest("hex");
    await db.order.update({ where: { id: old }, data: { addressHash: unkeyed } });
    const c = await member(d.id);

    expect(await deleteAccount(d)).toEqual({ deleted: true });

    const orders = await db.order.findMany({ where: { memberId: d.id }, orderBy: { id: "asc" }, select: { id: true, address: true, addressHash: true } });
    expect(orders.map((o) => o.id)).toEqual([done, cancelled.id, old]);
    expect(orders.map((o) => o.address)).toEqual([MASKED, MASKED, MASKED]);
    // The old order's fingerprint is keyed now, like the others: nothing left that a guessed address hashed without the key finds.
    expect(orders.map((o) => o.addressHash)).toEqual([addressHash(PLACE), addressHash(PLACE), addressHash(PLACE)]);
    expect(await db.order.count({ where: { addressHash: unkeyed } })).toBe(0);
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: "member.deleted", target: `member:${d.id}` } });
    expect(entry.data).toMatchObject({ maskedOrders: 3 });

    // The operator reads the masked address, marked as the deleted buyer's.
    const view = await merchantOrderDetail({ tx: db, config }, done, { revealAddress: true });
    expect(view).toMatchObject({ address: MASKED, addressMasked: true, addressMaskedWhy: "deleted" });

    // d's downline ships to the same place: SPEC §8 shared_address names d and flags c, through the keyed fingerprint.
    const cOrder = await order(c.id, new Date(t0.getTime() + 31 * DAY));
    const event = await db.riskEvent.findFirstOrThrow({ where: { rule: "shared_address", memberIds: { has: c.id } } });
    expect(event).toMatchObject({ memberIds: [d.id, c.id], evidence: { order: cOrder.orderNo, addressHash: addressHash(PLACE) } });
  });
});

describe("注销账号 deletes the account's uploads that no refund request shows", () => {
  it("the avatar's picture and a photo never sent go, row and files, once the deletion passes; a refund request's photo stays; a file another member uploaded too stays", async () => {
    const d = await member();
    const other = await member();
    const o = await completed(d.id);
    const avatar = await upload(d.id);
    await db.member.update({ where: { id: d.id }, data: { avatarUrl: avatar.thumbUrl } });
    const unsent = await upload(d.id);
    const evidence = await upload(d.id);
    await db.refundRequest.create({ data: { orderId: o, memberId: d.id, reason: "quality", photos: [evidence.url], status: "REJECTED", orderStatus: "DELIVERED", createdAt: t0, decidedAt: t0 } });
    // The same file uploaded by another member too (keys are content-addressed): one file, two rows.
    const shared = await upload(d.id);
    await db.shopperUpload.create({ data: { memberId: other.id, url: shared.url, thumbUrl: shared.thumbUrl, bytes: 10, createdAt: t0 } });

    // Refused first (an unpaid order, UNPAID_ORDER): nothing goes, neither row nor file.
    const unpaid = await order(d.id);
    const { forfeit } = await deletionPreview({ tx: db }, d.id);
    const refused = confirmAccountDeletion(db, d.id, { code: "000000", acceptForfeit: true, shown: forfeit }, new Date(t0.getTime() + 30 * DAY), null, storage);
    await expect(refused).rejects.toMatchObject({ code: "UNPAID_ORDER" });
    expect(await db.shopperUpload.count({ where: { memberId: d.id } })).toBe(4);
    expect(await stored(avatar)).toEqual([true, true]);
    await run((c) => cancelUnpaidOrder(c, unpaid.id, "shopper"));

    expect(await deleteAccount(d)).toEqual({ deleted: true });

    const rows = await db.shopperUpload.findMany({ where: { memberId: d.id }, select: { url: true } });
    expect(rows.map((r) => r.url)).toEqual([evidence.url]);
    expect(await stored(avatar)).toEqual([false, false]);
    expect(await stored(unsent)).toEqual([false, false]);
    expect(await stored(evidence)).toEqual([true, true]);
    expect(await stored(shared)).toEqual([true, true]);
    expect(await db.shopperUpload.count({ where: { memberId: other.id, url: shared.url } })).toBe(1);
    expect((await db.refundRequest.findFirstOrThrow({ where: { orderId: o } })).photos).toEqual([evidence.url]);
  });
});
