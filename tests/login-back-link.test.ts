// The login page's "‹ 先逛逛" goes back to the shared product or landing page the visitor left to sign in (a
// browsable page on this site, never another site, never a page behind sign-in), and it names the friend
// whose link the visitor followed, masked as the landing page shows them, while that link would still bind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createSimpleProduct } from "../server/catalog/admin";
import { DAY } from "../server/clock/time";
import { backLink, backTarget } from "../app/login/arrival";
import { pendingInviter } from "../server/referral/inviter";
import { freshDatabase } from "./helpers/db";

describe("backTarget", () => {
  it.each([
    // /r/CODE's 接受邀请 (InviteActions): the product, else the landing, without the sign-up's ?joined=1.
    ["/product/12?joined=1", "/product/12"],
    ["/r/VDZ757?joined=1", "/r/VDZ757"],
    ["/r/VDZ757?product=3", "/r/VDZ757?product=3"],
    ["/product/12", "/product/12"],
    ["/category/tea", "/category/tea"],
    ["/search?q=%E9%BE%99%E4%BA%95", "/search?q=%E9%BE%99%E4%BA%95"],
    ["/", "/"],
  ])("%s → %s", (callbackUrl, path) => expect(backTarget(callbackUrl)).toEqual({ path }));

  it.each([
    // Another site, in the ways a browser would still read as one.
    "https://evil.example/product/1",
    "//evil.example/product/1",
    "/\\evil.example",
    "/\t/evil.example",
    // Pages behind sign-in would only send the visitor back to the login page.
    "/promote",
    "/me",
    "/cart",
    "/orders?tab=all",
    "/product/abc",
    "/product/1/../../promote",
  ])("%s → /", (callbackUrl) => expect(backTarget(callbackUrl)).toEqual({ path: "/" }));

  it("a visitor's 立即购买 names the SKU, whose product page is looked up; an empty one goes home", () => {
    expect(backTarget("/checkout?sku=tea-longjing&qty=1")).toEqual({ sku: "tea-longjing" });
    expect(backTarget("/checkout")).toEqual({ path: "/" });
    expect(backTarget(undefined)).toEqual({ path: "/" });
  });
});

describe("backLink and pendingInviter", () => {
  const t0 = new Date("2026-06-01T02:00:00Z");
  const config = parseConfig({});
  let database: Database;
  let productId: number;
  let inviterCode: string;
  let frozenCode: string;
  beforeAll(async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await db.category.create({ data: { slug: "tea", name: "茶" } });
    productId = (await createSimpleProduct(db, { sku: "tea-longjing", name: "龙井", priceFen: 26_800, category: "tea", stock: 5 })).id;
    await createSimpleProduct(db, { sku: "gone", name: "下架", priceFen: 100, category: "tea", stock: 5 }).then((p) => db.product.update({ where: { id: p.id }, data: { active: false } }));
    const a = await inTx(db, { now: t0, config }, (ctx) => registerMember(ctx, { username: "a", nickname: "温柔兔子" }));
    const f = await inTx(db, { now: t0, config }, (ctx) => registerMember(ctx, { username: "f", nickname: "开心羊驼" }));
    await db.member.update({ where: { id: f.id }, data: { frozen: true, frozenAt: t0 } });
    inviterCode = a.referralCode;
    frozenCode = f.referralCode;
  });
  afterAll(() => database.close());

  it("立即购买's SKU goes back to its product page while it is on sale", async () => {
    expect(await backLink(database.prisma, "/checkout?sku=tea-longjing&qty=1")).toBe(`/product/${productId}`);
    expect(await backLink(database.prisma, "/checkout?sku=gone&qty=1")).toBe("/");
    expect(await backLink(database.prisma, "/checkout?sku=nope&qty=1")).toBe("/");
    expect(await backLink(database.prisma, "/r/VDZ757?joined=1")).toBe("/r/VDZ757");
  });

  it("names the inviter masked (温柔兔子 → 温**子) within the attribution window only, and no frozen member", async () => {
    const visited = Math.floor(t0.getTime() / 1000);
    const now = t0.getTime() + DAY;
    expect(await pendingInviter(database.prisma, `${inviterCode}_${visited}`, 7, now)).toBe("温**子");
    // 8 days after the visit, a 7-day window: the sign-up would bind nobody.
    expect(await pendingInviter(database.prisma, `${inviterCode}_${visited}`, 7, t0.getTime() + 8 * DAY)).toBeNull();
    // A frozen member's link binds nobody (the landing calls it invalid).
    expect(await pendingInviter(database.prisma, `${frozenCode}_${visited}`, 7, now)).toBeNull();
    expect(await pendingInviter(database.prisma, undefined, 7, now)).toBeNull();
    expect(await pendingInviter(database.prisma, "garbage", 7, now)).toBeNull();
  });
});
