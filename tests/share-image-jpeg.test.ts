// Shared links' pictures as JPEG (WeChat's link cards and some chat apps show no WebP): /media/share/<key> serves a
// JPEG copy of a public upload or a demo picture, fitting 1200×1200, and 404s anything outside its whitelist; the
// share data and Open Graph pictures of a product name that copy.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { LocalDiskStorage } from "../server/storage";
import { storeImage } from "../server/storage/images";
import { shareImageUrl } from "../server/storage/urls";
import { shareJpegResponse, type ShareJpegDeps } from "../app/media/share/share-jpeg";
import { landingShareData, productShareData } from "../app/_lib/wechat-share";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { parseConfig } from "../server/config/schema";
import { freshDatabase } from "./helpers/db";

const dir = mkdtempSync(path.join(tmpdir(), "fm-share-jpeg-"));
const storage = new LocalDiskStorage(path.join(dir, "uploads"));
const publicDir = path.join(dir, "public");
let database: Database;
let deps: ShareJpegDeps;

const HASH = "ab" + "0123456789abcdef0123456789abcd"; // 32 hex digits, the folder its first two
const picture = (width: number, height: number, format: "png" | "webp" = "png") =>
  sharp({ create: { width, height, channels: 3, background: { r: 30, g: 120, b: 60 } } })[format]().toBuffer();
const serve = (url: string) => shareJpegResponse(url.replace(/^\/media\/share\//, ""), deps);

async function expectJpeg(res: Response, width: number, height: number) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/jpeg");
  const body = Buffer.from(await res.arrayBuffer());
  expect([...body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  expect(res.headers.get("content-length")).toBe(String(body.length));
  const meta = await sharp(body).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", width, height]);
}

beforeAll(async () => {
  database = await freshDatabase();
  deps = { db: database.prisma, storage, publicDir };
  mkdirSync(path.join(publicDir, "products"), { recursive: true });
  writeFileSync(path.join(publicDir, "products", "green-tea.webp"), await picture(600, 400, "webp"));
  writeFileSync(path.join(publicDir, "products", "green-tea_400.webp"), await picture(400, 400, "webp"));
  // Files a traversal would reach: beside products/, and at the folder's root.
  writeFileSync(path.join(publicDir, "secret.webp"), await picture(10, 10, "webp"));
  writeFileSync(path.join(dir, "secret.webp"), await picture(10, 10, "webp"));
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("/media/share: a JPEG copy for link previews", () => {
  it("serves an uploaded (WebP) catalogue picture as a JPEG within 1200×1200, cached for a year", async () => {
    // Stored at 1600×800 (uploads fit 1600): the copy fits 1200 wide, so 1200×600.
    const big = await storeImage(storage, await picture(2000, 1000));
    expect(big.url).toMatch(/\.webp$/);
    const res = await serve(shareImageUrl(big.url));
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    await expectJpeg(res, 1200, 600);
    // A small picture is not enlarged.
    await expectJpeg(await serve(shareImageUrl((await storeImage(storage, await picture(64, 48))).url)), 64, 48);
  });

  it("serves a demo picture of public/products as a JPEG, for the week public/products is cached", async () => {
    const res = await serve(shareImageUrl("/products/green-tea.webp"));
    expect(res.headers.get("cache-control")).toBe("public, max-age=604800");
    await expectJpeg(res, 600, 400);
  });

  it("serves the shop's own demo pictures", async () => {
    await expectJpeg(await shareJpegResponse("products/beauty-cream.jpg", { ...deps, publicDir: path.join(process.cwd(), "public") }), 600, 600);
  });

  it("does not serve a shopper's after-sales photo (private to its shopper and staff, behind /media's checks)", async () => {
    const member = await database.prisma.member.create({ data: { username: "share-jpeg-alice", referralCode: "SHAREJ", createdAt: new Date() } });
    const photo = await storeImage(storage, await picture(50, 50));
    await database.prisma.shopperUpload.create({ data: { memberId: member.id, url: photo.url, thumbUrl: photo.thumbUrl, bytes: 1, createdAt: new Date() } });
    expect((await serve(shareImageUrl(photo.url))).status).toBe(404);
  });

  it("404s path traversal, other files and unknown keys, reading nothing outside its whitelist", async () => {
    const stored = (await storeImage(storage, await picture(20, 20))).url.slice("/media/".length, -".webp".length);
    const keys = [
      "products/../secret.jpg",
      "products/../../secret.jpg",
      "products/..%2fsecret.jpg",
      "products/%2e%2e/secret.jpg",
      "products/./green-tea.jpg",
      "products//green-tea.jpg",
      "products/green-tea/../../secret.jpg",
      "/products/green-tea.jpg",
      "../secret.jpg",
      "secret.jpg",
      "products\\..\\secret.jpg",
      "products/green-tea.jpg\0",
      "products/green-tea.webp",
      "products/green-tea",
      "products/GREEN-TEA.jpg",
      "products/green-tea_400.jpg",
      "products/missing.jpg",
      "http://169.254.169.254/latest.jpg",
      "https:/example.com/products/green-tea.jpg",
      `${stored}_400.jpg`,
      `${stored}.webp`,
      `${stored}.png`,
      `${stored}/../../../secret.jpg`,
      `p/00/${HASH}.jpg`,
      `p/ab/${HASH}.jpg`,
      "private/exports/x.csv",
      "private/exports/x.jpg",
      "",
    ];
    for (const key of keys) expect({ key, status: (await shareJpegResponse(key, deps)).status }).toEqual({ key, status: 404 });
    // The whitelist is what stops them: each file above exists.
    expect((await shareJpegResponse(`${stored}.jpg`, deps)).status).toBe(200);
  });
});

describe("shareImageUrl and the share data", () => {
  it("maps an upload's or a demo picture's WebP to its JPEG copy, and leaves other pictures as they are", () => {
    expect(shareImageUrl(`/media/p/ab/${HASH}.webp`)).toBe(`/media/share/p/ab/${HASH}.jpg`);
    expect(shareImageUrl("/products/green-tea.webp")).toBe("/media/share/products/green-tea.jpg");
    // Thumbnails, a key whose folder is not its hash's, other types and other sites: no copy is served for them.
    expect(shareImageUrl(`/media/p/ab/${HASH}_400.webp`)).toBe(`/media/p/ab/${HASH}_400.webp`);
    expect(shareImageUrl(`/media/p/00/${HASH}.webp`)).toBe(`/media/p/00/${HASH}.webp`);
    expect(shareImageUrl("/products/tea.jpg")).toBe("/products/tea.jpg");
    expect(shareImageUrl("/products/../secret.webp")).toBe("/products/../secret.webp");
    expect(shareImageUrl("https://cdn.example.com/products/a.webp")).toBe("https://cdn.example.com/products/a.webp");
  });

  it("gives WeChat the absolute JPEG copy of a product's picture, on the product page and on a share link", () => {
    const t = createT("zh-CN", MESSAGES["zh-CN"]);
    const product = { id: 7, name: "明前龙井", description: "西湖产区", images: [`/media/p/ab/${HASH}.webp`, "/products/green-tea.webp"], priceFen: 12_800 };
    const jpeg = `https://shop.example.com/media/share/p/ab/${HASH}.jpg`;
    expect(productShareData(t, "裂变商城", product, "https://shop.example.com").imgUrl).toBe(jpeg);
    expect(productShareData(t, "裂变商城", product, "https://shop.example.com", "ABC234").imgUrl).toBe(jpeg);
    const invite = { code: "ABC234", inviter: "王*长", rebate: parseConfig({}).rebate };
    expect(landingShareData(t, "裂变商城", invite, "https://shop.example.com", null, product).imgUrl).toBe(jpeg);
    expect(productShareData(t, "裂变商城", { ...product, images: [] }, "https://shop.example.com").imgUrl).toBe("https://shop.example.com/icon.svg");
  });
});
