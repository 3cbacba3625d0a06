// A share link's code reaches the landing page and its Open Graph picture already decoded by Next: decoding it again
// threw URIError on a "%" (/r/%25 and /api/og/r/%25 answered 500). A code with a "%" is an invalid link like any other.
import { isValidElement } from "react";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { freshPglite } from "./helpers/db";

vi.mock("server-only", () => ({}));
const holder = vi.hoisted(() => ({ db: null as unknown as Database["prisma"] }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
vi.mock("@/lib/i18n/server", () => ({
  getLocale: async () => "zh-CN",
  getMessages: async () => MESSAGES["zh-CN"],
  getT: async () => createT("zh-CN", MESSAGES["zh-CN"]),
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ host: "shop.example.com", "x-fm-page-fill": "1" }),
  cookies: async () => ({ get: () => undefined }),
}));

const ORIGIN = "https://shop.example.com";
process.env.SITE_URL = ORIGIN;
const t = createT("zh-CN", MESSAGES["zh-CN"]);
const { loadInvite } = await import("../app/r/[code]/landing");
const { default: LandingPage, generateMetadata } = await import("../app/r/[code]/page");
const { GET: ogImage } = await import("../app/api/og/r/[code]/route");

let database: Database;
let sharer: { id: number; referralCode: string };
beforeAll(async () => {
  database = await freshPglite();
  holder.db = database.prisma;
  sharer = await inTx(database.prisma, { now: new Date() }, (ctx) => registerMember(ctx, { username: "wang", nickname: "王店长" }));
}, 180_000);
afterAll(() => database?.close());

/** The element with `data-testid` in a page's tree (not rendered), with its text. */
function byTestId(node: unknown, id: string): unknown {
  if (Array.isArray(node)) return node.map((n) => byTestId(n, id)).find(Boolean);
  if (!isValidElement<{ children?: unknown; "data-testid"?: string }>(node)) return undefined;
  return node.props["data-testid"] === id ? node.props.children : byTestId(node.props.children, id);
}

// Next hands the route "%" for /r/%25, "%E4" for /r/%25E4, "A%B" for /r/A%25B.
const PERCENT_CODES = ["%", "%E4", "A%B"];

describe("a share code containing %", () => {
  it("is no invite, as an unknown code is; the sharer's own code still is one", async () => {
    for (const code of PERCENT_CODES) expect(await loadInvite(code)).toBeNull();
    expect(await loadInvite("ZZZZZZ")).toBeNull();
    expect((await loadInvite(sharer.referralCode))?.memberId).toBe(sharer.id);
  });

  it("the landing page says the link is invalid, in its title and its heading", async () => {
    for (const code of [...PERCENT_CODES, `${sharer.referralCode}%`]) {
      expect(await generateMetadata({ params: Promise.resolve({ code }) })).toMatchObject({ title: t("landing.invalidTitle") });
      const page = await LandingPage({ params: Promise.resolve({ code }), searchParams: Promise.resolve({}) });
      expect(byTestId(page, "invalid-invite")).toBe(t("landing.invalidHeading"));
    }
  });

  it("the Open Graph picture is the picture of an unknown code, not a 500", async () => {
    const res = await ogImage(new Request(`${ORIGIN}/api/og/r/%25`), { params: Promise.resolve({ code: "%" }) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
  });
});
