// /media and shoppers' uploads: an after-sales photo (damaged goods, a parcel label with an address, a face)
// is served only to the shopper who uploaded it and to the staff who see refund requests (the after-sales
// queue: operator; an order's detail: operator, support; the owner), as `private, no-store` so no shared
// cache keeps it; anyone else gets the 404 of a missing key. Catalogue pictures, and the thumbnail a
// shopper made their avatar, stay public with a year-long immutable cache.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { LocalDiskStorage } from "../server/storage";
import { storeImage, type StoredImage } from "../server/storage/images";
import { STAFF_ROLES, type StaffRole } from "../server/staff/roles";
import { hashPassword } from "../server/staff/password";
import { signIn } from "../server/staff/sessions";
import { freshDatabase } from "./helpers/db";
import { signedInStaff, TEST_STAFF_PASSWORD } from "./helpers/caller";

const holder = vi.hoisted(() => ({ db: null as unknown, memberId: null as number | null, staffToken: null as string | null }));
vi.mock("server-only", () => ({}));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/server/auth", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  getServerAuthSession: async () => (holder.memberId ? { user: { id: holder.memberId }, expires: "2099-01-01T00:00:00.000Z" } : null),
}));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  cookies: async () => ({ get: (name: string) => (name === "fm_staff" && holder.staffToken ? { name, value: holder.staffToken } : undefined) }),
  headers: async () => new Headers(),
}));

const dir = mkdtempSync(path.join(tmpdir(), "fm-media-private-"));
process.env.FM_UPLOADS_DIR = dir;
const storage = new LocalDiskStorage(dir);
let GET: (req: Request, ctx: { params: Promise<{ key: string[] }> }) => Promise<Response>;
let database: Database;
let alice: number;
let bob: number;
const tokens = {} as Record<StaffRole | "staffNotReady", string>;

const PUBLIC = "public, max-age=31536000, immutable";
const PRIVATE = "private, no-store";
const picture = (r: number, g: number, b: number) => sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b } } }).png().toBuffer();

/** What the caller gets for a /media URL: its status and cache-control. */
async function fetchAs(who: { memberId?: number; staffToken?: string }, url: string) {
  holder.memberId = who.memberId ?? null;
  holder.staffToken = who.staffToken ?? null;
  const res = await GET(new Request(`http://x${url}`), { params: Promise.resolve({ key: url.replace(/^\/media\//, "").split("/") }) });
  return { status: res.status, cache: res.headers.get("cache-control") };
}

/** A picture the member uploaded through /api/uploads: stored, and recorded as theirs. */
async function shopperUpload(memberId: number, bytes: Buffer): Promise<StoredImage> {
  const img = await storeImage(storage, bytes);
  await database.prisma.shopperUpload.create({ data: { memberId, url: img.url, thumbUrl: img.thumbUrl, bytes: img.bytes, createdAt: new Date() } });
  return img;
}

beforeAll(async () => {
  ({ GET } = await import("../app/media/[...key]/route"));
  database = await freshDatabase();
  holder.db = database.prisma;
  const db = database.prisma;
  const member = (username: string) => db.member.create({ data: { username, referralCode: username.toUpperCase(), createdAt: new Date() } });
  alice = (await member("media-alice")).id;
  bob = (await member("media-bob")).id;
  for (const role of STAFF_ROLES) tokens[role] = (await signedInStaff(db, role)).token;
  // An owner account that has not enrolled TOTP yet (owners must): signed in, no back office yet.
  await db.staffAccount.create({ data: { username: "media-newop", displayName: "新运营", role: "owner", passwordHash: await hashPassword(TEST_STAFF_PASSWORD), createdAt: new Date() } });
  const notReady = await signIn(db, new Date(), { username: "media-newop", password: TEST_STAFF_PASSWORD, totp: null });
  if (!notReady.ok) throw new Error("sign-in failed");
  tokens.staffNotReady = notReady.token;
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("/media: a shopper's after-sales photo", () => {
  it("is served, never to a shared cache, to its shopper and the staff who see refund requests only", async () => {
    const photo = await shopperUpload(alice, await picture(200, 10, 10));
    for (const url of [photo.url, photo.thumbUrl]) {
      expect(await fetchAs({}, url)).toEqual({ status: 404, cache: "no-store" });
      expect(await fetchAs({ memberId: bob }, url)).toEqual({ status: 404, cache: "no-store" });
      expect(await fetchAs({ memberId: alice }, url)).toEqual({ status: 200, cache: PRIVATE });
      // owner; operator (after-sales queue, order detail); support (order detail, read-only)
      for (const role of ["owner", "operator", "support"] as const) expect(await fetchAs({ staffToken: tokens[role] }, url)).toEqual({ status: 200, cache: PRIVATE });
      for (const role of ["finance", "risk", "staffNotReady"] as const) expect(await fetchAs({ staffToken: tokens[role] }, url)).toEqual({ status: 404, cache: "no-store" });
    }
  });

  it("is private from its upload on: the request form shows it before the request is sent", async () => {
    const preview = await shopperUpload(bob, await picture(10, 200, 10));
    expect(await fetchAs({}, preview.thumbUrl)).toEqual({ status: 404, cache: "no-store" });
    expect(await fetchAs({ memberId: bob }, preview.thumbUrl)).toEqual({ status: 200, cache: PRIVATE });
  });

  it("stays public when it is a catalogue picture, and a member's avatar thumbnail is public (its picture not)", async () => {
    const db = database.prisma;
    const catalogue = await storeImage(storage, await picture(10, 10, 200));
    expect(await fetchAs({}, catalogue.url)).toEqual({ status: 200, cache: PUBLIC });
    // A shopper uploads the very file the merchant used (a maker's press photo): the product page keeps its picture.
    await db.category.create({ data: { slug: "media-tea", name: "茶" } });
    await db.product.create({ data: { name: "白茶", category: "media-tea", imageUrl: catalogue.url, images: [catalogue.url] } });
    await shopperUpload(alice, await picture(10, 10, 200));
    expect(await fetchAs({}, catalogue.url)).toEqual({ status: 200, cache: PUBLIC });
    expect(await fetchAs({}, catalogue.thumbUrl)).toEqual({ status: 200, cache: PUBLIC });

    const avatar = await shopperUpload(bob, await picture(90, 90, 90));
    await db.member.update({ where: { id: bob }, data: { avatarUrl: avatar.thumbUrl } });
    expect(await fetchAs({}, avatar.thumbUrl)).toEqual({ status: 200, cache: PUBLIC });
    expect(await fetchAs({}, avatar.url)).toEqual({ status: 404, cache: "no-store" });
  });
});
