// The share link's Open Graph picture (app/api/og/r/[code]) is drawn once per content, not once per request: next/og
// costs ~86 ms of CPU a picture, so ten requests a second for any code (made-up ones included) kept a core busy.
// A changed offer, inviter name or shop name is new content, drawn at once. Renders are counted at next/og.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as NextOg from "next/og";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { saveRules } from "../server/rules";
import { RenderedImageCache } from "../app/api/og/r/[code]/image-cache";
import { freshPglite } from "./helpers/db";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"], renders: 0 }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("next/og", async (importOriginal) => {
  const real = await importOriginal<typeof NextOg>();
  return {
    ...real,
    ImageResponse: class extends real.ImageResponse {
      constructor(...args: ConstructorParameters<typeof real.ImageResponse>) {
        super(...args);
        holder.renders++;
      }
    },
  };
});

const ORIGIN = "https://shop.example.com";
process.env.SITE_URL = ORIGIN;
const { GET: ogImage } = await import("../app/api/og/r/[code]/route");

let database: Database;
let sharer: { id: number; referralCode: string };

beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  sharer = await inTx(database.prisma, { now: new Date() }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长" }));
}, 180_000);
afterAll(() => database?.close());

async function picture(code: string) {
  const res = await ogImage(new Request(`${ORIGIN}/api/og/r/${encodeURIComponent(code)}`), { params: Promise.resolve({ code }) });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/png");
  expect(res.headers.get("cache-control")).toBe("public, max-age=600, stale-while-revalidate=86400");
  const bytes = Buffer.from(await res.arrayBuffer());
  // A PNG's signature: a real picture, not an empty answer.
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return bytes;
}

describe("Open Graph picture of a share link", () => {
  it("a known code is drawn once, however often it is asked for", async () => {
    const before = holder.renders;
    const first = await picture(sharer.referralCode);
    const again = await Promise.all([picture(sharer.referralCode), picture(sharer.referralCode), picture(sharer.referralCode.toLowerCase())]);
    expect(holder.renders - before).toBe(1);
    for (const bytes of again) expect(bytes.equals(first)).toBe(true);
  });

  it("every unknown or malformed code shares one drawn picture", async () => {
    const before = holder.renders;
    const codes = ["NOBODY9", "ZZZZZZ", "made-up-code", "%", "A".repeat(200)];
    const pictures = [];
    for (const code of codes) pictures.push(await picture(code));
    expect(holder.renders - before).toBe(1);
    for (const bytes of pictures) expect(bytes.equals(pictures[0]!)).toBe(true);
    expect(pictures[0]!.equals(await picture(sharer.referralCode))).toBe(false);
  });

  it("a changed inviter name, offer or shop name is drawn anew, and then kept", async () => {
    const shown = await picture(sharer.referralCode);
    let before = holder.renders;
    await database.prisma.member.update({ where: { id: sharer.id }, data: { nickname: "李老板" } });
    const renamed = await picture(sharer.referralCode);
    expect(holder.renders - before).toBe(1);
    expect(renamed.equals(shown)).toBe(false);

    before = holder.renders;
    // A cap of 50 元 in store credit: the picture's offer line changes.
    await saveRules(database.prisma, { staffId: 1, requestId: "req-og-cache" }, { config: { rebate: { capFen: 5_000, payout: "credit" } }, reason: "封顶" }, new Date(Date.now() - 60_000));
    const capped = await picture(sharer.referralCode);
    expect(holder.renders - before).toBe(1);
    expect(capped.equals(renamed)).toBe(false);

    before = holder.renders;
    await database.prisma.shopProfile.upsert({ where: { id: "default" }, create: { name: "小满优选", updatedAt: new Date(), updatedById: 1 }, update: { name: "小满优选" } });
    await picture(sharer.referralCode);
    await picture("NOBODY9");
    expect(holder.renders - before).toBe(2);
    await picture(sharer.referralCode);
    await picture("NOBODY9");
    expect(holder.renders - before).toBe(2);
  });
});

describe("the rendered picture cache", () => {
  const image = (bytes: number) => async () => new ArrayBuffer(bytes);

  it("keeps at most its size in bytes, dropping the least recently used picture first", async () => {
    const cache = new RenderedImageCache(300);
    let renders = 0;
    const counted = (bytes: number) => () => {
      renders++;
      return image(bytes)();
    };
    await cache.get("a", counted(100));
    await cache.get("b", counted(100));
    await cache.get("c", counted(100));
    await cache.get("a", counted(100)); // a is now the most recently used: b goes first
    await cache.get("d", counted(100)); // 400 bytes > 300: b is dropped
    expect(renders).toBe(4);
    for (const key of ["a", "c", "d"]) await cache.get(key, counted(100));
    expect(renders).toBe(4);
    await cache.get("b", counted(100));
    expect(renders).toBe(5);
  });

  it("concurrent requests share one render, and a failed render is tried again", async () => {
    const cache = new RenderedImageCache(1_000);
    let renders = 0;
    const slow = async () => {
      renders++;
      await new Promise((r) => setTimeout(r, 20));
      return new ArrayBuffer(10);
    };
    await Promise.all([cache.get("a", slow), cache.get("a", slow), cache.get("a", slow)]);
    expect(renders).toBe(1);
    await expect(cache.get("x", () => Promise.reject(new Error("font missing")))).rejects.toThrow("font missing");
    expect((await cache.get("x", image(10))).byteLength).toBe(10);
  });
});
