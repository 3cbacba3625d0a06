// What an English-language shopper reads for refusals the server words in Chinese: the sign-in code's
// refusals carry their domain code over HTTP (so errorText words them), and a parcel's carrier is named by code.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson from "superjson";
import type { Database } from "@/server/db";
import { appRouter } from "@/server/api/root";
import { inTx } from "@/server/context";
import { parseConfig } from "@/server/config/schema";
import { registerMember } from "@/server/referral";
import { createSimpleProduct } from "@/server/catalog/admin";
import { CARRIER_CODES, carrierName } from "@/server/orders/shipping";
import { carrierLabel, errorText, type ServerError } from "@/lib/i18n/labels";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { freshPglite } from "@/tests/helpers/db";
import { session } from "@/tests/helpers/caller";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
let database: Database;
let memberId = 0;
let skuId = 0;
beforeAll(async () => {
  database = await freshPglite();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: parseConfig({}) as object } });
  await db.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(db, { sku: "tea", name: "tea", priceFen: 9900, category: "fmcg", stock: 2 });
  skuId = (await db.sku.findUniqueOrThrow({ where: { code: "tea" } })).id;
  memberId = (await inTx(db, {}, (ctx) => registerMember(ctx, { username: "a", nickname: "阿", sponsorId: null }))).id;
});
afterAll(() => database?.close());

/** A tRPC mutation over HTTP from a browser set to English; the error as the client gets it. */
async function refusal(path: string, input: unknown, signedIn: boolean): Promise<ServerError> {
  const headers = new Headers({ "content-type": "application/json", cookie: "fm_lang=en", host: "127.0.0.1:3100" });
  const req = new Request(`http://127.0.0.1:3100/api/trpc/${path}`, { method: "POST", headers, body: JSON.stringify(superjson.serialize(input)) });
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => ({ db: database.prisma, session: signedIn ? session(memberId) : null, headers, staffToken: null, requestId: "req-1" }) as never,
  });
  const body = (await res.json()) as { error?: { json: ServerError } };
  if (!body.error) throw new Error(`${path} was not refused`);
  return body.error.json;
}

describe("English refusals", () => {
  it("a second sign-in code within the minute: TOO_SOON, worded in English", async () => {
    const consent = await appRouter.createCaller({ db: database.prisma, session: null, headers: new Headers(), staffToken: null, requestId: "x" } as never).legal.versions();
    await appRouter.createCaller({ db: database.prisma, session: null, headers: new Headers(), staffToken: null, requestId: "x" } as never).auth.sendCode({ phone: "13900001234", consent });
    const e = await refusal("auth.sendCode", { phone: "13900001234", consent }, false);
    expect(e.data?.code).toBe("TOO_MANY_REQUESTS");
    expect(e.data?.domainCode).toBe("TOO_SOON");
    // The wait in both languages: the same seconds the Chinese message names, carried as data (domainParams).
    const wait = Number(/^发送太频繁，请 (\d+) 秒后再试$/.exec(errorText(zh, e))?.[1]);
    expect(wait).toBeGreaterThan(0);
    expect(errorText(en, e)).toBe(`Too many codes requested, please try again in ${wait} s`);
  });

  it("a malformed phone number: INVALID_PHONE", async () => {
    const consent = await appRouter.createCaller({ db: database.prisma, session: null, headers: new Headers(), staffToken: null, requestId: "x" } as never).legal.versions();
    const e = await refusal("auth.sendCode", { phone: "12345", consent }, false);
    expect(e.data?.code).toBe("BAD_REQUEST");
    expect(e.data?.domainCode).toBe("INVALID_PHONE");
    expect(errorText(en, e)).toBe("Please enter a valid 11-digit mobile number");
  });

  it("adding more than the stock to the cart: the product page words it by code", async () => {
    const e = await refusal("cart.add", { skuId, qty: 5 }, true);
    expect(e.data?.domainCode).toBe("OUT_OF_STOCK");
    expect(errorText(en, e)).toBe("Not enough stock");
  });
});

describe("a parcel's carrier", () => {
  it("is named by its code in the shopper's language; an unknown code as the engine names it", () => {
    expect(carrierLabel(en, "SF", "顺丰速运")).toBe("SF Express");
    expect(carrierLabel(en, "JT", "极兔速递")).toBe("J&T Express");
    expect(carrierLabel(zh, "SF", "顺丰速运")).toBe("顺丰速运");
    expect(carrierLabel(en, "XYZ", "某某快递")).toBe("某某快递");
    // zh-CN says what the engine's carrier list says; every carrier has an English name.
    for (const code of CARRIER_CODES) {
      expect(carrierLabel(zh, code)).toBe(carrierName(code));
      expect(en.has(`order.carrier.${code}`)).toBe(true);
    }
  });
});
