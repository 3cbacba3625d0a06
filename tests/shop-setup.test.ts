// 开店准备 (server/setup/checklist.ts): each item is open on a fresh shop and done by the real action — the 店铺资料
// save, the operator named in the default 用户协议 / 隐私政策 or the merchant's own texts, a product on the shelf with
// stock, a rule version saved by staff, real payment and SMS vendors in the settings, TOTP on every owner account;
// a second withdrawal approver is suggested. The home page shows it open with "N/7", folded when all are done.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { generate } from "otplib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { shopSetup, type ShopSetup } from "../server/setup/checklist";
import { DEFAULT_SHOP_PROFILE, saveShopProfileTx } from "../server/shop/profile";
import type { ShopProfileInput } from "../server/shop/schema";
import { saveLegalDocument } from "../server/legal/documents";
import { adjustStock, saveProduct, setProductShelf } from "../server/catalog/admin";
import { saveRules } from "../server/rules";
import { beginTotpEnrolment, confirmTotpEnrolment, inviteStaff, setStaffDisabled } from "../server/staff/accounts";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { SetupChecklist } from "../app/merchant/_components/SetupChecklist";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";

const NONE = { shopProfile: false, legal: false, products: false, rules: false, payments: false, sms: false, ownerTotp: false };

// A development machine's settings: no vendor named, so the sandbox and the outbox.
function developmentSettings() {
  vi.stubEnv("PAYMENT_PROVIDER", undefined);
  vi.stubEnv("PAYOUT_PROVIDER", undefined);
  vi.stubEnv("SMS_PROVIDER", undefined);
}
afterEach(() => vi.unstubAllEnvs());

// The app's defaults as a save's input: every field unset but the name.
const { updatedAt: _at, updatedById: _by, ...UNSET } = DEFAULT_SHOP_PROFILE;
const profile = (p: Partial<ShopProfileInput>): ShopProfileInput => ({ ...UNSET, ...p });

describe("开店准备", () => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await freshPglite();
    db = database.prisma;
  });
  afterAll(() => database.close());

  it("each item turns done by the action that does it, and back when undone", async () => {
    developmentSettings();
    const done = async () => (await shopSetup(db)).done;
    expect(await shopSetup(db)).toEqual({
      done: NONE,
      doneCount: 0,
      total: 7,
      paymentProvider: "sandbox",
      payoutProvider: "sandbox",
      smsProvider: "outbox",
      // No account at all; two are needed from 50 000 元 (5 000 000 fen) a day.
      secondReviewer: { done: false, fromFen: 5_000_000 },
    });

    // The first owner signs in before enrolling TOTP: not done until a first code confirms it.
    const owner = await signedInStaff(db, "owner", { totp: false });
    const actor = { staffId: owner.id, sessionId: owner.sessionId, requestId: "setup-test" };
    expect((await done()).ownerTotp).toBe(false);
    const { secret } = await inTx(db, {}, (ctx) => beginTotpEnrolment(ctx, actor));
    expect((await done()).ownerTotp).toBe(false);
    const code = await generate({ secret });
    await inTx(db, {}, (ctx) => confirmTotpEnrolment(ctx, actor, code));
    expect(await done()).toEqual({ ...NONE, ownerTotp: true });

    // 店铺资料: a new name and a phone, but no operator: neither it nor the legal texts (whose default names only the shop).
    await saveShopProfileTx(db, actor, profile({ name: "山茶小铺", servicePhone: "0571-88886666" }));
    expect(await done()).toEqual({ ...NONE, ownerTotp: true });
    // The operator named: the regenerated default texts name the handler; the profile still has the app's name.
    await saveShopProfileTx(db, actor, profile({ operatorName: "杭州山茶贸易有限公司", servicePhone: "0571-88886666" }));
    expect(await done()).toEqual({ ...NONE, ownerTotp: true, legal: true });
    // Service hours alone reach nobody.
    await saveShopProfileTx(db, actor, profile({ name: "山茶小铺", operatorName: "杭州山茶贸易有限公司", serviceHours: "每天 9:00–21:00" }));
    expect((await done()).shopProfile).toBe(false);
    // An e-mail is a channel, as a WeChat id is.
    await saveShopProfileTx(db, actor, profile({ name: "山茶小铺", operatorName: "杭州山茶贸易有限公司", email: "service@example.com" }));
    expect(await done()).toEqual({ ...NONE, ownerTotp: true, legal: true, shopProfile: true });
    await saveShopProfileTx(db, actor, profile({ name: "山茶小铺", operatorName: "杭州山茶贸易有限公司", serviceWechat: "shancha_kefu" }));
    expect((await done()).shopProfile).toBe(true);

    // Products: on the shelf without stock sells nothing; stock added, it does; off the shelf, it does not.
    await db.category.create({ data: { slug: "tea", name: "茗茶" } });
    const product = await inTx(db, {}, (ctx) => saveProduct(ctx, actor, null, { name: "龙井", category: "tea", skus: [{ options: [], priceFen: 9900, stock: 0 }] }));
    expect((await done()).products).toBe(false);
    const sku = await db.sku.findFirstOrThrow({ where: { productId: product.id } });
    await inTx(db, {}, (ctx) => adjustStock(ctx, actor, { skuId: sku.id, delta: 5, reason: "入库" }));
    expect((await done()).products).toBe(true);
    await inTx(db, {}, (ctx) => setProductShelf(ctx, actor, product.id, false));
    expect((await done()).products).toBe(false);
    await inTx(db, {}, (ctx) => setProductShelf(ctx, actor, product.id, true));
    expect((await done()).products).toBe(true);

    // Rules: the e2e hook's version (no author) and the version 1 it takes over are not the merchant's; the owner's is.
    await saveRules(db, null, { config: { rebate: { percent: 90 } }, reason: "e2e test hook" });
    expect(await db.ruleVersion.count()).toBe(2);
    expect((await done()).rules).toBe(false);
    await saveRules(db, actor, { config: { rebate: { percent: 80 } }, reason: "按毛利调整返现比例" });
    expect(await done()).toEqual({ ...NONE, ownerTotp: true, legal: true, shopProfile: true, products: true, rules: true });

    // Payments: a real provider for payments but the sandbox for payouts is not done; payouts default to the payment provider.
    vi.stubEnv("PAYMENT_PROVIDER", "wechatpay");
    vi.stubEnv("PAYOUT_PROVIDER", "sandbox");
    expect(await shopSetup(db)).toMatchObject({ paymentProvider: "wechatpay", payoutProvider: "sandbox", done: { payments: false } });
    vi.stubEnv("PAYOUT_PROVIDER", undefined);
    expect(await shopSetup(db)).toMatchObject({ paymentProvider: "wechatpay", payoutProvider: "wechatpay", done: { payments: true } });
    vi.stubEnv("PAYMENT_PROVIDER", "alipay");
    vi.stubEnv("PAYOUT_PROVIDER", "wechatpay");
    expect((await done()).payments).toBe(true);

    // SMS: the outbox named outright is still the outbox; a vendor is done.
    vi.stubEnv("SMS_PROVIDER", "outbox");
    expect((await done()).sms).toBe(false);
    vi.stubEnv("SMS_PROVIDER", "aliyun");
    expect(await shopSetup(db)).toMatchObject({ smsProvider: "aliyun", doneCount: 7 });

    // The suggestion: an operator cannot approve withdrawals, a finance account can, unless disabled.
    const inviter = { staffId: owner.id, requestId: "setup-test" };
    await inTx(db, {}, (ctx) => inviteStaff(ctx, inviter, { username: "yunying", displayName: "运营小王", role: "operator" }));
    expect((await shopSetup(db)).secondReviewer.done).toBe(false);
    const finance = await inTx(db, {}, (ctx) => inviteStaff(ctx, inviter, { username: "caiwu", displayName: "财务小李", role: "finance" }));
    expect((await shopSetup(db)).secondReviewer.done).toBe(true);
    await inTx(db, {}, (ctx) => setStaffDisabled(ctx, inviter, finance.staff.id, true));
    expect((await shopSetup(db)).secondReviewer.done).toBe(false);
    // A second owner approves too, and has not enrolled TOTP yet: that item is open again.
    await inTx(db, {}, (ctx) => inviteStaff(ctx, inviter, { username: "laoban2", displayName: "二老板", role: "owner" }));
    expect(await shopSetup(db)).toMatchObject({ doneCount: 6, done: { ownerTotp: false }, secondReviewer: { done: true } });
  });
});

describe("开店准备: the legal texts", () => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await freshPglite();
    db = database.prisma;
  });
  afterAll(() => database.close());

  it("are done while the default texts name the operator, or once both are the merchant's own", async () => {
    developmentSettings();
    const owner = await signedInStaff(db, "owner");
    const actor = { staffId: owner.id, requestId: "setup-test" };
    const legal = async () => (await shopSetup(db)).done.legal;
    await saveShopProfileTx(db, actor, profile({ operatorName: "杭州山茶贸易有限公司" }));
    expect(await legal()).toBe(true);
    // The operator removed: the default texts are regenerated naming only the shop again.
    await saveShopProfileTx(db, actor, profile({}));
    expect(await legal()).toBe(false);
    // Version 1 (default), 2 (operator named), 3 (operator removed): the merchant's own text is version 4.
    await saveLegalDocument(db, actor, { kind: "terms", body: "# 用户协议\n\n本店由杭州山茶贸易有限公司经营。", baseVersion: 3 });
    expect(await legal()).toBe(false); // the privacy policy is still the default, naming nobody
    await saveLegalDocument(db, actor, { kind: "privacy", body: "# 隐私政策\n\n个人信息处理者：杭州山茶贸易有限公司。", baseVersion: 3 });
    expect(await legal()).toBe(true);
    // A 店铺资料 save leaves the merchant's own texts alone: still done without an operator.
    await saveShopProfileTx(db, actor, profile({ name: "山茶小铺" }));
    expect(await legal()).toBe(true);
  });
});

describe("开店准备 on the home page", () => {
  const setup = (done: Partial<ShopSetup["done"]>, doneCount: number): ShopSetup => ({
    done: { ...NONE, ...done },
    doneCount,
    total: 7,
    paymentProvider: "sandbox",
    payoutProvider: "sandbox",
    smsProvider: "outbox",
    secondReviewer: { done: false, fromFen: 5_000_000 },
  });
  const render = (s: ShopSetup, role: "owner" | "operator" = "owner", locale: "zh-CN" | "en" = "zh-CN") =>
    renderToStaticMarkup(createElement(SetupChecklist, { setup: s, role, t: createT(locale, MESSAGES[locale]) }));

  it("is open with N/7 while an item is, each item linked to its page; settings are named, not linked", () => {
    const html = render(setup({ ownerTotp: true, products: true }, 2));
    expect(html).toContain("<details open");
    expect(html).toContain("2/7 项已完成");
    for (const href of ["/merchant/shop", "/merchant/legal", "/merchant/products", "/merchant/rules", "/merchant/staff"]) expect(html).toContain(`href="${href}"`);
    expect(html.match(/<a /g)).toHaveLength(6); // five items and the suggestion
    expect(html).toContain("给技术人员：把 PAYMENT_PROVIDER（当前 sandbox）和 PAYOUT_PROVIDER（当前 sandbox）设为 wechatpay 或 alipay");
    expect(html).toContain("给技术人员：把 SMS_PROVIDER（当前 outbox）设为 tencent 或 aliyun");
    // The second approver's threshold, 5 000 000 fen = 50 000 元, as the back office shows amounts: grouped by thousands.
    expect(html).toContain("¥50,000.00");
    expect(html).toMatch(/data-testid="setup-products" data-done="true"/);
    expect(html).toMatch(/data-testid="setup-legal" data-done="false"/);
  });

  it("folds to its one line when all seven are done", () => {
    const html = render(setup({ shopProfile: true, legal: true, products: true, rules: true, payments: true, sms: true, ownerTotp: true }, 7));
    expect(html).not.toContain("<details open");
    expect(html).toContain("7/7 项已完成");
    expect(render(setup({}, 0), "owner", "en")).toContain("0/7 done");
  });

  it("names a page the viewer's role cannot open without a link", () => {
    // An operator opens the shop profile, products and rules; the legal texts and staff are the owner's.
    const html = render(setup({}, 0), "operator");
    expect(html).toContain('href="/merchant/products"');
    expect(html).not.toContain('href="/merchant/legal"');
    expect(html).not.toContain('href="/merchant/staff"');
    expect(html.match(/<a /g)).toHaveLength(3);
  });
});
