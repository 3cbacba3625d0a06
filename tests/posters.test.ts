// The server-drawn images: the share poster (personal and product) and the share link's Open Graph
// picture, rendered by their real routes against a real database. The poster's QR code is decoded
// from the PNG's pixels (jsQR) and must be the member's share link; the fonts are the static
// @fontsource/noto-sans-sc .woff subsets that cover the text, nothing else.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createSimpleProduct } from "../server/catalog/admin";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshPglite } from "./helpers/db";
import { getStorage } from "../server/storage";
import { storeImage } from "../server/storage/images";
import { recordShopperUpload, reserveUpload } from "../server/aftersales/uploads";
import { saveAvatar } from "../server/members/profile-actions";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"], memberId: 0 }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/server/auth", () => ({ getServerAuthSession: async () => (holder.memberId ? { user: { id: holder.memberId } } : null) }));
vi.mock("@/lib/i18n/server", () => ({ getT: async () => createT("zh-CN", MESSAGES["zh-CN"]) }));

const ORIGIN = "https://shop.example.com";
process.env.SITE_URL = ORIGIN;
// Uploaded pictures (the avatar) go to a scratch folder, not the dev data folder.
process.env.FM_UPLOADS_DIR = mkdtempSync(path.join(tmpdir(), "fm-posters-"));
const OUT = path.join(process.cwd(), "test-results", "posters");

const { GET: poster } = await import("../app/promote/poster/route");
const { GET: ogImage } = await import("../app/api/og/r/[code]/route");
const { ogFontsFor, ogSubsetsFor } = await import("../app/_lib/og/cjk-font");

const config = parseConfig({});
let database: Database;
let inviter: { id: number; referralCode: string };
let tea: number;
let unpictured: number;

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  tea = (await createSimpleProduct(database.prisma, { sku: "lj", name: "明前西湖龙井 250g", priceFen: 12_800, category: "tea", stock: 10, imageUrl: "/products/tea-longjing.svg" })).id;
  unpictured = (await createSimpleProduct(database.prisma, { sku: "np", name: "无图商品", priceFen: 990, category: "tea", stock: 10 })).id;
  inviter = await inTx(database.prisma, { config, now: new Date() }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长家的茶" }));
  mkdirSync(OUT, { recursive: true });
}, 180_000);
afterAll(() => database?.close());

async function png(res: Response, name: string) {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/png");
  const buf = Buffer.from(await res.arrayBuffer());
  writeFileSync(path.join(OUT, `${name}.png`), buf);
  return buf;
}

async function decodeQr(buf: Buffer) {
  const { data, info } = await sharp(buf).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { qr: jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height), info };
}

const get = (url: string) => poster(new Request(`${ORIGIN}${url}`));

describe("share poster", () => {
  it("a personal poster is 750×1334 and its QR code decodes to the member's share link", async () => {
    holder.memberId = inviter.id;
    const buf = await png(await get("/promote/poster"), "personal");
    const { qr, info } = await decodeQr(buf);
    expect([info.width, info.height]).toEqual([750, 1334]);
    expect(qr?.data).toBe(`${ORIGIN}/r/${inviter.referralCode}`);
  });

  it("a product poster's QR code carries the product, and the poster shows its picture", async () => {
    holder.memberId = inviter.id;
    const buf = await png(await get(`/promote/poster?product=${tea}`), "product");
    const { qr } = await decodeQr(buf);
    expect(qr?.data).toBe(`${ORIGIN}/r/${inviter.referralCode}?product=${tea}`);
    // The product picture (a green tea tile) is drawn, not a placeholder gradient.
    const { data, info } = await sharp(buf).extract({ left: 150, top: 500, width: 100, height: 100 }).raw().toBuffer({ resolveWithObject: true });
    let green = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i + 1]! > data[i]! + 40 && data[i + 1]! > data[i + 2]!) green++;
    expect(green).toBeGreaterThan(5000);
  });

  it("a product without a picture still gets a poster with a scannable code", async () => {
    holder.memberId = inviter.id;
    const { qr } = await decodeQr(await png(await get(`/promote/poster?product=${unpictured}`), "product-no-picture"));
    expect(qr?.data).toBe(`${ORIGIN}/r/${inviter.referralCode}?product=${unpictured}`);
  });

  it("draws the member's uploaded avatar instead of the glyph", async () => {
    const blueIn = async (buf: Buffer) => {
      // The avatar's circle sits left of the headline, below the brand row.
      const { data, info } = await sharp(buf).extract({ left: 40, top: 110, width: 100, height: 200 }).raw().toBuffer({ resolveWithObject: true });
      let blue = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i]! < 40 && data[i + 1]! < 40 && data[i + 2]! > 215) blue++;
      return blue;
    };
    const member = await inTx(database.prisma, { config, now: new Date() }, (ctx) => registerMember(ctx, { username: "blue", nickname: "蓝色头像" }));
    holder.memberId = member.id;
    expect(await blueIn(await png(await get("/promote/poster"), "avatar-glyph"))).toBe(0);

    const stored = await storeImage(getStorage(), await sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 0, g: 0, b: 255 } } }).png().toBuffer());
    await recordShopperUpload(database.prisma, await reserveUpload(database.prisma, member.id, new Date()), stored);
    await inTx(database.prisma, { config, now: new Date() }, (ctx) => saveAvatar(ctx, member.id, stored.url));
    // A circle of diameter 84 inside the border: about 5 500 pixels of the picture's blue.
    expect(await blueIn(await png(await get("/promote/poster"), "avatar-picture"))).toBeGreaterThan(4000);
  });

  it("refuses a visitor without a session and an unknown product", async () => {
    holder.memberId = 0;
    expect((await get("/promote/poster")).status).toBe(401);
    holder.memberId = inviter.id;
    expect((await get("/promote/poster?product=999999")).status).toBe(404);
  });
});

describe("Open Graph picture of a share link", () => {
  it("is a 1200×630 PNG", async () => {
    const res = await ogImage(new Request(`${ORIGIN}/api/og/r/${inviter.referralCode}`), { params: Promise.resolve({ code: inviter.referralCode }) });
    const meta = await sharp(await png(res, "og")).metadata();
    expect([meta.width, meta.height]).toEqual([1200, 630]);
  });
});

describe("poster fonts", () => {
  it("loads only the .woff subsets covering the text, in Regular and Bold", async () => {
    const ids = await ogSubsetsFor("邀请 ABC");
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids.length).toBeLessThanOrEqual(3);
    const fonts = await ogFontsFor("邀请 ABC");
    expect(fonts).toHaveLength(ids.length * 2);
    expect(new Set(fonts.map((f) => f.weight))).toEqual(new Set([400, 700]));
    // WOFF files as the package ships them ("wOFF" signature), no decoding of our own.
    for (const f of fonts) expect(Buffer.from(f.data.slice(0, 4)).toString("latin1")).toBe("wOFF");
  });
});

describe("a long shop name (店铺资料 allows 30 characters)", () => {
  const LONG = "杭州西湖区小满优选生活好物旗舰店官方直营茶叶礼品专营店铺总店";

  /** Share of near-white pixels (the pictures' text colour on the red gradient) in a box. */
  async function white(buf: Buffer, box: { left: number; top: number; width: number; height: number }) {
    const { data, info } = await sharp(buf).extract(box).raw().toBuffer({ resolveWithObject: true });
    let n = 0;
    for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 235 && data[i + 1]! > 235 && data[i + 2]! > 235) n++;
    return n / (box.width * box.height);
  }

  beforeAll(async () => {
    expect(Array.from(LONG)).toHaveLength(30);
    await database.prisma.shopProfile.upsert({ where: { id: "default" }, create: { name: LONG, updatedAt: new Date(), updatedById: 1 }, update: { name: LONG } });
  });
  afterAll(async () => {
    await database.prisma.shopProfile.deleteMany({});
  });

  it("stays inside the poster's margin", async () => {
    holder.memberId = inviter.id;
    const buf = await png(await get("/promote/poster"), "long-name-personal");
    // The brand row is the poster's top ~140 px; its right margin (40 px) stays the gradient.
    expect(await white(buf, { left: 750 - 36, top: 0, width: 36, height: 160 })).toBe(0);
    // The mark (a white 52 px square at the padding's corner, the name's first character in it) is not squeezed away.
    expect(await white(buf, { left: 44, top: 44, width: 44, height: 44 })).toBeGreaterThan(0.5);
    const { qr } = await decodeQr(buf);
    expect(qr?.data).toBe(`${ORIGIN}/r/${inviter.referralCode}`);
  });

  it("stays inside the Open Graph picture, with and without an inviter", async () => {
    for (const code of [inviter.referralCode, "NOBODY9"]) {
      const buf = await png(await ogImage(new Request(`${ORIGIN}/api/og/r/${code}`), { params: Promise.resolve({ code }) }), `long-name-og-${code}`);
      expect([(await sharp(buf).metadata()).height]).toEqual([630]);
      // The picture's side padding is 72 px: nothing drawn in the outer 60.
      expect(await white(buf, { left: 1200 - 60, top: 0, width: 60, height: 630 })).toBe(0);
      // The mark (64 px at 72, 56) is drawn, and the name keeps to one line: nothing under the top row.
      expect(await white(buf, { left: 76, top: 60, width: 56, height: 56 })).toBeGreaterThan(0.5);
      expect(await white(buf, { left: 72, top: 128, width: 1056, height: 24 })).toBe(0);
    }
  });
});
