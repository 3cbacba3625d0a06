// Shoppers' pictures (refund-request photos): a budget per member and hour, the record that lets a
// request attach only pictures its own member uploaded, and who may see them (app/media/[...key]).
import { randomUUID } from "node:crypto";
import { Prisma, type Db } from "../db";
import { refuse } from "../context";
import { HOUR } from "../clock/time";
import type { ObjectStorage } from "../storage";
import type { StoredImage } from "../storage/images";
import { MEDIA_PREFIX, pictureOfThumbnail, thumbnailUrl } from "../storage/urls";
import { canAccess, type StaffRole } from "../staff/roles";

export const MAX_UPLOADS_PER_HOUR = 30;
/** The url of a slot taken while its picture is processed, or spent on one that made no new record: never a /media url, so no request can attach it. */
const SLOT_PREFIX = "slot:";

/**
 * Takes one of the member's hourly upload slots before the picture is read and processed, or refuses:
 * the slot counts at once, so concurrent uploads cannot all pass the count (nor all fill storage).
 */
export async function reserveUpload(db: Db, memberId: number, now: Date): Promise<number> {
  return db.$transaction(async (tx) => {
    // One member's counts in turn: the next waits for this slot to be committed.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ShopperUpload'), ${memberId}::int)`;
    // A slot an hour old was left by a process that died mid-upload (processing takes seconds): forget it.
    await tx.shopperUpload.deleteMany({ where: { memberId, url: { startsWith: SLOT_PREFIX }, createdAt: { lte: new Date(now.getTime() - HOUR) } } });
    const recent = await tx.shopperUpload.count({ where: { memberId, createdAt: { gt: new Date(now.getTime() - HOUR) } } });
    if (recent >= MAX_UPLOADS_PER_HOUR) refuse("TOO_MANY_UPLOADS", "上传太频繁，请稍后再试");
    const slot = await tx.shopperUpload.create({ data: { memberId, url: SLOT_PREFIX + randomUUID(), thumbUrl: "", bytes: 0, createdAt: now }, select: { id: true } });
    return slot.id;
  });
}

/** The member's own upload of the picture at `url`, if there is one. */
export async function findShopperUpload(db: Db, memberId: number, url: string) {
  return db.shopperUpload.findUnique({ where: { memberId_url: { memberId, url } }, select: { url: true, thumbUrl: true } });
}

/**
 * Fills a slot with the stored picture. Content-addressed: a picture the member uploaded before stays one record,
 * and the slot stays spent until its hour is over, since the picture was decoded all the same.
 */
export async function recordShopperUpload(db: Db, slot: number, image: StoredImage) {
  try {
    await db.shopperUpload.update({ where: { id: slot }, data: { url: image.url, thumbUrl: image.thumbUrl, bytes: image.bytes } });
  } catch (e) {
    if (!(e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")) throw e;
  }
}

/** Gives an unfilled slot back (the request carried no picture, or the server failed): it no longer counts. */
export async function releaseUpload(db: Db, slot: number) {
  await db.shopperUpload.deleteMany({ where: { id: slot, url: { startsWith: SLOT_PREFIX } } });
}

/** The thumbnails of `urls`, refusing any picture the member did not upload. */
export async function ownPhotos(tx: Pick<Db, "shopperUpload">, memberId: number, urls: string[]): Promise<string[]> {
  if (urls.length === 0) return [];
  const rows = await tx.shopperUpload.findMany({ where: { memberId, url: { in: urls, not: { startsWith: SLOT_PREFIX } } }, select: { url: true } });
  if (rows.length !== new Set(urls).size) refuse("INVALID_PHOTO", "图片无效，请重新上传");
  return [...new Set(urls)];
}

/**
 * The members who may see the stored picture at `url` (a /media URL of a picture or its thumbnail) when it is a
 * shopper's upload (refund photos show damaged goods, parcels with addresses, faces); null when it is public: no
 * shopper uploaded it, or the same file is public anyway (a catalogue picture, or the thumbnail a member made
 * their avatar). Uploads are private from the start: the form shows a photo before the request is sent.
 */
export async function shopperPictureViewers(db: Pick<Db, "shopperUpload" | "product" | "sku" | "category" | "member">, url: string): Promise<number[] | null> {
  const picture = pictureOfThumbnail(url);
  const uploads = await db.shopperUpload.findMany({ where: { url: picture }, select: { memberId: true } });
  if (uploads.length === 0) return null;
  const [products, skus, categories, avatars] = await Promise.all([
    db.product.count({ where: { OR: [{ imageUrl: picture }, { images: { has: picture } }] } }),
    db.sku.count({ where: { imageUrl: picture } }),
    db.category.count({ where: { icon: picture } }),
    url === picture ? 0 : db.member.count({ where: { avatarUrl: url } }),
  ]);
  if (products + skus + categories + avatars > 0) return null;
  return uploads.map((u) => u.memberId);
}

/** Staff who see refund requests (the after-sales queue, or an order's detail) see their photos. */
export function staffMaySeeShopperPictures(role: StaffRole): boolean {
  return canAccess(role, "afterSales") || canAccess(role, "ordersRead");
}

/**
 * 注销账号: deletes the member's uploads that none of their refund requests shows (their avatar, photos never sent) and
 * returns those pictures, whose files removeUnusedPictures deletes once the deletion has committed. A refund request's
 * photos stay with it, private as before (after-sales records are kept, server/members/deletion.ts).
 */
export async function deleteUploadsOfDeletedMember(tx: Pick<Db, "shopperUpload" | "refundRequest">, memberId: number): Promise<string[]> {
  const [uploads, requests] = await Promise.all([
    tx.shopperUpload.findMany({ where: { memberId }, select: { id: true, url: true } }),
    tx.refundRequest.findMany({ where: { memberId }, select: { photos: true } }),
  ]);
  const shown = new Set(requests.flatMap((r) => r.photos));
  const unused = uploads.filter((u) => !shown.has(u.url));
  if (unused.length > 0) await tx.shopperUpload.deleteMany({ where: { id: { in: unused.map((u) => u.id) } } });
  return unused.map((u) => u.url).filter((url) => !url.startsWith(SLOT_PREFIX));
}

/**
 * Removes the stored files (picture and thumbnail) of uploads deleted by a committed transaction, unless the same file
 * is still in use: content-addressed, it may be another member's upload too, a catalogue picture, or an avatar.
 */
export async function removeUnusedPictures(db: Pick<Db, "shopperUpload" | "product" | "sku" | "category" | "member">, storage: ObjectStorage, pictures: string[]) {
  for (const picture of new Set(pictures)) {
    const thumb = thumbnailUrl(picture)!;
    // Not a stored upload's picture (one with a stored thumbnail): no key of ours to remove.
    if (!picture.startsWith(MEDIA_PREFIX) || thumb === picture) continue;
    const uses = await Promise.all([
      db.shopperUpload.count({ where: { url: picture } }),
      db.product.count({ where: { OR: [{ imageUrl: picture }, { images: { has: picture } }] } }),
      db.sku.count({ where: { imageUrl: picture } }),
      db.category.count({ where: { icon: picture } }),
      db.member.count({ where: { avatarUrl: thumb } }),
    ]);
    if (uses.some((n) => n > 0)) continue;
    await storage.delete(picture.slice(MEDIA_PREFIX.length));
    await storage.delete(thumb.slice(MEDIA_PREFIX.length));
  }
}
