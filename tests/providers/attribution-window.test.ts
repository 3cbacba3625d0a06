// SPEC §2: a share link's visit binds the sign-up it leads to for the attribution window (default 7 days), a rule
// the merchant sets (attributionDays). The fm_ref cookie carries the visit time; sign-up applies the window in force.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { formatRefCookie, parseRefCookie } from "../../server/auth/request";
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

const DAY_S = 24 * 3600;
const nowS = () => Math.floor(Date.now() / 1000);
let database: Database;
let db: Db;
let sponsorCode: string;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  holder.db = db;
  await db.mallConfig.create({ data: { data: parseConfig({}) as object } });
  const sponsor = await inTx(db, { config: parseConfig({}), now: new Date() }, (c) => registerMember(c, { username: "sharer", ip: "10.9.1.1", device: "dev-sharer" }));
  sponsorCode = sponsor.referralCode;
});
afterAll(() => database.close());
beforeEach(() => holder.jar.clear());

type Authorize = (c: Record<string, string>) => Promise<{ id: string } | null>;
const authorize = (authOptions.providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize;

/** Signs up by SMS with an fm_ref cookie of the given value; the new member's sponsor id. */
async function sponsorAfterSignUp(phone: string, cookie: string): Promise<number | null> {
  await sendSignInCode(db, phone, "198.51.100.20");
  const sms = await db.smsMessage.findFirstOrThrow({ orderBy: { id: "desc" } });
  holder.jar.set("fm_ref", cookie);
  const user = await authorize({ phone, code: /(\d{6})/.exec(sms.body)![1]!, consent: "1.1" });
  return (await db.member.findUniqueOrThrow({ where: { id: Number(user!.id) } })).sponsorId;
}

describe("the fm_ref cookie", () => {
  it("carries the visit time and counts within the window asked for", () => {
    const visited = 1_800_000_000;
    const value = formatRefCookie("ABC234", visited);
    expect(value).toBe("ABC234_1800000000");
    expect(parseRefCookie(value, (visited + 7 * DAY_S - 1) * 1000, 7)).toEqual({ code: "ABC234", visitedAtSec: visited });
    // SPEC §8: a window includes both ends. The visit plus exactly 7 days still binds; a millisecond later does not.
    expect(parseRefCookie(value, (visited + 7 * DAY_S) * 1000, 7)).toEqual({ code: "ABC234", visitedAtSec: visited });
    expect(parseRefCookie(value, (visited + 7 * DAY_S) * 1000 + 1, 7)).toBeNull();
    expect(parseRefCookie(value, visited * 1000, 7)).toEqual({ code: "ABC234", visitedAtSec: visited });
    expect(parseRefCookie(value, (visited + 14 * DAY_S) * 1000, 14)).toEqual({ code: "ABC234", visitedAtSec: visited });
    // Without a window: the longest the rules allow (30 days), what the proxy keeps.
    expect(parseRefCookie(value, (visited + 30 * DAY_S) * 1000)).not.toBeNull();
    expect(parseRefCookie(value, (visited + 30 * DAY_S) * 1000 + 1)).toBeNull();
  });

  it("reads a cookie written before the window was a setting (CODE.expiry, the visit plus 7 days)", () => {
    const expiry = 1_800_000_000;
    expect(parseRefCookie(`ABC234.${expiry}`, expiry * 1000, 7)).toEqual({ code: "ABC234", visitedAtSec: expiry - 7 * DAY_S });
    expect(parseRefCookie(`ABC234.${expiry}`, expiry * 1000 + 1, 7)).toBeNull();
    expect(parseRefCookie("ABC234#1800000000", 0)).toBeNull();
  });

  it("refuses a visit time in the future (a hand-made cookie that would never expire)", () => {
    const now = 1_800_000_000;
    expect(parseRefCookie(formatRefCookie("ABC234", now + 30), now * 1000, 7)).not.toBeNull();
    expect(parseRefCookie(formatRefCookie("ABC234", now + 3600), now * 1000, 7)).toBeNull();
    expect(parseRefCookie(formatRefCookie("ABC234", 9_999_999_999), now * 1000)).toBeNull();
  });
});

describe("signing up after a share link", () => {
  it("binds within the default 7 days, not after", async () => {
    expect(await sponsorAfterSignUp("13700007001", formatRefCookie(sponsorCode, nowS() - 6 * DAY_S))).not.toBeNull();
    expect(await sponsorAfterSignUp("13700007002", formatRefCookie(sponsorCode, nowS() - 8 * DAY_S))).toBeNull();
  });

  it("follows the rules' attribution window: 10 days binds a visit of 8 days ago, and 3 days does not bind one of 4", async () => {
    await db.mallConfig.update({ where: { id: "default" }, data: { data: parseConfig({ attributionDays: 10 }) as object } });
    const sponsor = await db.member.findUniqueOrThrow({ where: { referralCode: sponsorCode } });
    expect(await sponsorAfterSignUp("13700007003", formatRefCookie(sponsorCode, nowS() - 8 * DAY_S))).toBe(sponsor.id);
    await db.mallConfig.update({ where: { id: "default" }, data: { data: parseConfig({ attributionDays: 3 }) as object } });
    expect(await sponsorAfterSignUp("13700007004", formatRefCookie(sponsorCode, nowS() - 4 * DAY_S))).toBeNull();
    expect(await sponsorAfterSignUp("13700007005", formatRefCookie(sponsorCode, nowS() - 2 * DAY_S))).toBe(sponsor.id);
  });

  it("refuses a window outside 1–30 days in the rules", () => {
    expect(() => parseConfig({ attributionDays: 0 })).toThrow(/归因期至少 1 天/);
    expect(() => parseConfig({ attributionDays: 31 })).toThrow(/归因期最多 30 天/);
  });
});
