// The shop home header's share link (app/_lib/home-share-link.ts): "分享赚钱" promises a commission, so it is shown only to
// a member who earns one by sharing now (SPEC §4 分销资格, as the product page's 分享赚). A visitor is asked to sign in to
// share (their share link exists only once signed in); another member (not yet a distributor, frozen, commissions off)
// is offered to invite friends. Each label is in zh and en.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { defaultConfig, type MallConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder } from "../server/orders";
import { setFrozen } from "../server/members/status-history";
import { homeShareLink, type HomeShareLink } from "../app/_lib/home-share-link";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";
import { teaShop } from "./helpers/shop";

let database: Database;
const db = (): Db => database.prisma;
const NOW = new Date("2026-06-01T02:00:00Z");
const rules = (commission: Partial<MallConfig["commission"]>): MallConfig => ({ ...defaultConfig, commission: { ...defaultConfig.commission, ...commission } });
const everyone = rules({ distributorMode: "everyone" });
const firstOrder = rules({ distributorMode: "first_order" });

const join = async (username: string, config: MallConfig) => (await inTx(db(), { config, now: NOW }, (ctx) => registerMember(ctx, { username }))).id;
const link = (config: MallConfig, viewerId: number | null) => homeShareLink(db(), config, viewerId, NOW);

const EARN: HomeShareLink = { label: "home.shareEarn", href: "/promote" };
const INVITE: HomeShareLink = { label: "home.inviteFriends", href: "/promote" };
const SIGN_IN: HomeShareLink = { label: "home.signInToShare", href: "/login?callbackUrl=%2Fpromote" };

beforeAll(async () => {
  database = await freshDatabase();
  await teaShop(db());
});
afterAll(() => database.close());

describe("the home header's share link", () => {
  it("asks a visitor to sign in to share, and promises nothing", async () => {
    expect(await link(everyone, null)).toEqual(SIGN_IN);
  });

  it("says 分享赚钱 to a distributor (everyone: from sign-up)", async () => {
    expect(await link(everyone, await join("dist", everyone))).toEqual(EARN);
  });

  it("first_order: offers a member to invite friends until their first paid order makes them a distributor", async () => {
    const m = await join("newcomer", firstOrder);
    expect(await link(firstOrder, m)).toEqual(INVITE);
    const o = await inTx(db(), { config: firstOrder, now: NOW }, (ctx) => createOrder(ctx, { memberId: m, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db(), { config: firstOrder, now: NOW }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
    expect(await link(firstOrder, m)).toEqual(EARN);
  });

  it("does not promise earnings to a frozen member, nor anyone while commissions are off", async () => {
    const frozen = await join("frozen", everyone);
    await inTx(db(), { now: NOW }, (ctx) => setFrozen(ctx, frozen, true));
    expect(await link(everyone, frozen)).toEqual(INVITE);
    expect(await link(rules({ enabled: false }), await join("off", everyone))).toEqual(INVITE);
  });

  it("has every label in Chinese and English, the visitor's not promising money", () => {
    for (const { label } of [EARN, INVITE, SIGN_IN]) {
      expect(MESSAGES["zh-CN"][label]).toBeTruthy();
      expect(MESSAGES.en[label]).toBeTruthy();
    }
    expect(MESSAGES["zh-CN"][SIGN_IN.label]).not.toMatch(/赚/);
    expect(MESSAGES.en[SIGN_IN.label]).not.toMatch(/earn/i);
  });
});
