// A shopper's hourly picture budget (/api/uploads): a slot is taken before the picture is processed, so
// uploads at once cannot all pass the count; a request without a picture or a failed upload gives its slot back,
// a picture uploaded twice is one record and two slots (the route: tests/upload-decode-budget.test.ts).
// On PostgreSQL the uploads overlap for real (FM_TEST_DB=postgres).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, DomainError } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { MAX_UPLOADS_PER_HOUR, ownPhotos, recordShopperUpload, releaseUpload, reserveUpload } from "../../server/aftersales/uploads";
import type { StoredImage } from "../../server/storage/images";
import { freshDatabase } from "../helpers/db";
import { sleep } from "../helpers/races";

const config = parseConfig({});
const now = new Date("2026-03-10T02:00:00Z");
let database: Database;
let member: number;

const picture = (i: number): StoredImage => {
  const hash = String(i).padStart(32, "0");
  return { url: `/media/p/00/${hash}.webp`, thumbUrl: `/media/p/00/${hash}_240.webp`, width: 1, height: 1, bytes: 1 };
};
const uploads = () => database.prisma.shopperUpload.count({ where: { memberId: member } });

/** What the route does: a slot, then the picture's processing (a pause here), then the record. */
async function upload(i: number): Promise<"ok" | string> {
  try {
    const slot = await reserveUpload(database.prisma, member, now);
    await sleep(20);
    await recordShopperUpload(database.prisma, slot, picture(i));
    return "ok";
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

beforeEach(async () => {
  database = await freshDatabase();
  member = (await inTx(database.prisma, { config, now }, (ctx) => registerMember(ctx, { username: "shopper" }))).id;
});
afterEach(() => database.close());

describe("the hourly upload budget", () => {
  it(`${MAX_UPLOADS_PER_HOUR + 5} uploads at once: exactly ${MAX_UPLOADS_PER_HOUR} are accepted`, async () => {
    const results = await Promise.all(Array.from({ length: MAX_UPLOADS_PER_HOUR + 5 }, (_, i) => upload(i)));
    expect(results.filter((r) => r === "ok")).toHaveLength(MAX_UPLOADS_PER_HOUR);
    expect(results.filter((r) => r !== "ok")).toEqual(Array(5).fill("TOO_MANY_UPLOADS"));
    expect(await uploads()).toBe(MAX_UPLOADS_PER_HOUR);
  });

  it("a slot counts while its picture is processed; a refused or failed upload gives it back", async () => {
    const slots = [];
    for (let i = 0; i < MAX_UPLOADS_PER_HOUR; i++) slots.push(await reserveUpload(database.prisma, member, now));
    expect(await upload(99)).toBe("TOO_MANY_UPLOADS");
    await releaseUpload(database.prisma, slots[0]!);
    expect(await upload(99)).toBe("ok");
    // A slot is no picture: no request can attach it.
    const slot = await database.prisma.shopperUpload.findUniqueOrThrow({ where: { id: slots[1]! } });
    await expect(ownPhotos(database.prisma, member, [slot.url])).rejects.toMatchObject({ code: "INVALID_PHOTO" });
    expect(await ownPhotos(database.prisma, member, [picture(99).url])).toEqual([picture(99).url]);
  });

  it("a filled slot is not given back; the same picture twice is one record, and both count against the budget", async () => {
    const first = await reserveUpload(database.prisma, member, now);
    await recordShopperUpload(database.prisma, first, picture(1));
    await releaseUpload(database.prisma, first);
    await recordShopperUpload(database.prisma, await reserveUpload(database.prisma, member, now), picture(1));
    expect(await database.prisma.shopperUpload.findMany({ where: { memberId: member, url: { startsWith: "/media/" } }, select: { url: true } })).toEqual([{ url: picture(1).url }]);
    expect(await uploads()).toBe(2);
  });

  it("a slot left unfilled (the process died mid-upload) is deleted by the member's next upload once an hour old", async () => {
    const orphan = await reserveUpload(database.prisma, member, now);
    const filled = await reserveUpload(database.prisma, member, now);
    await recordShopperUpload(database.prisma, filled, picture(1));
    // 59 minutes later both still count; at one hour the orphan is gone and the picture stays.
    await reserveUpload(database.prisma, member, new Date(now.getTime() + 59 * 60_000));
    expect(await database.prisma.shopperUpload.count({ where: { id: orphan } })).toBe(1);
    await reserveUpload(database.prisma, member, new Date(now.getTime() + 60 * 60_000));
    expect(await database.prisma.shopperUpload.count({ where: { id: orphan } })).toBe(0);
    expect(await database.prisma.shopperUpload.count({ where: { id: filled } })).toBe(1);
  });

});
