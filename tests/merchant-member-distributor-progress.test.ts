// The back office's member page (/merchant/members/<id>) said nothing about how far a member who is not yet a distributor
// is from 分销资格, and its 未获得 (FORFEITED) commission rows gave no reason. The page now shows what the member's own
// /promote card shows, from the same server function (server/distribution distributorProgress, through memberDetail):
// in `spend` the spending that counts against the minimum and what is missing, or that the next payment makes them one
// when a lowered minimum is met already; in `first_order` that the first order does it. Each FORFEITED row says why, in
// words (lib/i18n/labels.ts commissionReason, the staff's wording), zh and en.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig, type MallConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { memberDetail } from "../server/members/admin";
import { freshDatabase } from "./helpers/db";
import { renderInProviders } from "./helpers/render";
import { MemberDetailView } from "../app/merchant/members/[id]/MemberDetailView";

/** `spend` with a minimum of 100 元. */
const spend100 = parseConfig({ commission: { distributorMode: "spend", distributorMinSpendFen: 10_000 } });
/** The minimum lowered to 30 元 (the member's 40 元 already meets it, but only a payment makes them a distributor). */
const spend30 = parseConfig({ commission: { distributorMode: "spend", distributorMinSpendFen: 3_000 } });
const firstOrder = parseConfig({ commission: { distributorMode: "first_order" } });

let database: Database;
let db: Db;
let sponsor: number;
let buyer: number;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  await db.mallConfig.create({ data: { data: spend100 as object } });
  const reg = (username: string, sponsorId: number | null) =>
    inTx(db, { config: spend100 }, (c) => registerMember(c, { username, sponsorId, nickname: null, ip: `10.9.0.${username.length}`, device: username })).then((m) => m.id);
  sponsor = await reg("sponsor", null);
  buyer = await reg("buyer", sponsor);
  // The sponsor's own orders: 40 元 paid and 25 元 refunded (not counted, SPEC §4): 40 元 spent.
  await db.order.create({ data: { orderNo: "S-1", memberId: sponsor, goodsFen: 4_000, payableFen: 4_000, createdAt: new Date(), status: "PAID" } });
  await db.order.create({ data: { orderNo: "S-2", memberId: sponsor, goodsFen: 2_500, payableFen: 2_500, createdAt: new Date(), status: "REFUNDED" } });
  // The buyer's order, paid while the sponsor was not a distributor: the sponsor's level-1 commission was not earned.
  const o = await db.order.create({ data: { orderNo: "B-1", memberId: buyer, goodsFen: 20_000, payableFen: 20_000, createdAt: new Date(), status: "PAID" } });
  await db.commission.create({
    data: { orderId: o.id, beneficiaryId: sponsor, level: 1, amountFen: 2_000, status: "FORFEITED", forfeitReason: "not a distributor when the order was paid", createdAt: new Date() },
  });
});
afterAll(() => database.close());

/** The member page as the browser first shows it, under `config`, its detail read seeded; unescaped. */
async function page(config: MallConfig, id: number, locale: "zh-CN" | "en") {
  const detail = (await memberDetail(db, config, id, "operator"))!;
  const { html } = renderInProviders(createElement(MemberDetailView, { id, canWrite: false, isOwner: false, staffId: 1 }), locale, (trpc, qc) =>
    qc.setQueryData(trpc.merchantMember.detail.queryKey({ id }), detail as never),
  );
  return html.replaceAll("&#x27;", "'").replaceAll("<!-- -->", "");
}
const progress = (html: string) => /data-testid="member-distributor-progress">([^<]*)</.exec(html)?.[1] ?? null;

describe("progress toward 分销资格 on the member page", () => {
  it("spend: the detail carries /promote's numbers: 40 元 of 100 元 counts, 60 元 missing", async () => {
    const d = (await memberDetail(db, spend100, sponsor, "operator"))!;
    expect(d.distributor).toBe(false);
    expect(d.distributorProgress).toEqual({ mode: "spend", minSpendFen: 10_000, spentFen: 4_000, remainingFen: 6_000 });
  });

  it("spend: 已消费 ¥40.00 / ¥100.00 and what is still missing (zh, en)", async () => {
    expect(progress(await page(spend100, sponsor, "zh-CN"))).toBe("已消费 ¥40.00 / ¥100.00 · 再消费 ¥60.00 即可成为分销员");
    expect(progress(await page(spend100, sponsor, "en"))).toBe("Spent ¥40.00 of ¥100.00 · ¥60.00 more spending makes them a distributor");
  });

  it("spend with the minimum lowered below what counts already: the next payment makes them a distributor", async () => {
    expect(progress(await page(spend30, sponsor, "zh-CN"))).toBe("已消费 ¥40.00 / ¥30.00 · 下一笔付款即成为分销员");
    expect(progress(await page(spend30, sponsor, "en"))).toBe("Spent ¥40.00 of ¥30.00 · Their next payment makes them a distributor");
  });

  it("first_order: 完成首单即可成为分销员", async () => {
    expect(progress(await page(firstOrder, sponsor, "zh-CN"))).toBe("完成首单即可成为分销员");
    expect(progress(await page(firstOrder, sponsor, "en"))).toBe("Becomes a distributor with their first paid order");
  });

  it("none for a distributor, nor for a member whose status staff suspended", async () => {
    await db.member.update({ where: { id: buyer }, data: { distributorSince: new Date(Date.now() - 60_000) } });
    expect(progress(await page(spend100, buyer, "zh-CN"))).toBeNull();
    await db.member.update({ where: { id: buyer }, data: { distributorSince: null, distributorDisabledAt: new Date(Date.now() - 60_000) } });
    expect(progress(await page(spend100, buyer, "zh-CN"))).toBeNull();
  });
});

describe("a FORFEITED commission row says why", () => {
  it("付款时还不是分销员 (zh), Not a distributor yet when the order was paid (en), not the engine's code", async () => {
    const zh = await page(spend100, sponsor, "zh-CN");
    const reasons = (html: string) => [...html.matchAll(/data-testid="commission-forfeit-reason">([^<]*)</g)].map((m) => m[1]);
    expect(reasons(zh)).toEqual(["付款时还不是分销员"]);
    expect(reasons(await page(spend100, sponsor, "en"))).toEqual(["Not a distributor yet when the order was paid"]);
    expect(zh).not.toContain("not a distributor when the order was paid");
  });
});
