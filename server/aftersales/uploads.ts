// Shoppers' pictures (refund-request photos): a budget per member and hour, and the record that
// lets a request attach only pictures its own member uploaded.
import type { Db } from "../db";
import { refuse } from "../context";
import { HOUR } from "../clock/time";
import type { StoredImage } from "../storage/images";

export const MAX_UPLOADS_PER_HOUR = 30;

export async function assertMayUpload(db: Db, memberId: number, now: Date) {
  const recent = await db.shopperUpload.count({ where: { memberId, createdAt: { gt: new Date(now.getTime() - HOUR) } } });
  if (recent >= MAX_UPLOADS_PER_HOUR) refuse("TOO_MANY_UPLOADS", "上传太频繁，请稍后再试");
}

export async function recordShopperUpload(db: Db, memberId: number, image: StoredImage, now: Date) {
  // Content-addressed: the same picture uploaded twice is one record.
  await db.shopperUpload.upsert({
    where: { memberId_url: { memberId, url: image.url } },
    create: { memberId, url: image.url, thumbUrl: image.thumbUrl, bytes: image.bytes, createdAt: now },
    update: {},
  });
}

/** The thumbnails of `urls`, refusing any picture the member did not upload. */
export async function ownPhotos(tx: Pick<Db, "shopperUpload">, memberId: number, urls: string[]): Promise<string[]> {
  if (urls.length === 0) return [];
  const rows = await tx.shopperUpload.findMany({ where: { memberId, url: { in: urls } }, select: { url: true } });
  if (rows.length !== new Set(urls).size) refuse("INVALID_PHOTO", "图片无效，请重新上传");
  return [...new Set(urls)];
}
