// PIPL, as 佣金明细 (tests/promotion-privacy.test.ts): the wallet's 待到账 gave an upline at levels 2 and 3 the order
// number of a buyer they did not invite. Only a level-1 commission comes with its order now; a level-2 or 3 one says
// whose team's order it was, and nothing the wallet sends names the buyer or the order.
import { createElement } from "react";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { expectedPayoutSummary } from "../server/wallet/expected";
import type { Locale } from "../lib/i18n/core";
import { WalletView } from "../app/wallet/WalletView";
import { callerFor as callerOf } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});
let database: Database;
const id = new Map<string, number>();
const at = new Date("2026-03-01T10:00:00+08:00");
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config, now: at }, fn);
const callerFor = (name: string) => callerOf(database.prisma, id.get(name)!);
let orderNo = "";
const commissionId = new Map<number, number>();

async function register(name: string, nickname: string, sponsor: string | null) {
  const n = id.size + 1;
  id.set(name, (await run((ctx) => registerMember(ctx, { username: name, nickname, sponsorId: sponsor ? id.get(sponsor)! : null, ip: `10.8.${n}.1`, device: `dev-${name}` }))).id);
}

beforeAll(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "tea", priceFen: 9900, category: "fmcg", stock: 10 });
  // great → grand → parent → wxm (王小明): wxm's paid order pays each of the three a pending commission.
  await register("great", "曾祖", null);
  await register("grand", "祖父", "great");
  await register("parent", "父亲", "grand");
  await register("wxm", "王小明", "parent");
  const o = await run((ctx) => createOrder(ctx, { memberId: id.get("wxm")!, lines: [{ sku: "tea", qty: 1 }], address: "addr-wxm" }));
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  orderNo = o.orderNo;
  for (const c of await database.prisma.commission.findMany({ where: { orderId: o.id } })) commissionId.set(c.level, c.id);
}, 600_000);
afterAll(() => database?.close());

// What could name the buyer or their order: the order number, 王小明's nickname masked and whole, the username.
const leaks = () => [orderNo, "王*明", "王小明", "wxm"];

describe("the wallet's 待到账 rows", () => {
  it("a level-1 commission comes with its order number", async () => {
    const sent = await run((ctx) => expectedPayoutSummary(ctx, id.get("parent")!));
    // floor(9900 × 1000 / 10000) = 990; not shipped yet, so no date.
    expect(JSON.parse(JSON.stringify(sent))).toEqual({
      totalFen: 990,
      rows: [{ kind: "commission", id: commissionId.get(1), amountFen: 990, level: 1, orderNo, expectedAt: null, why: "awaiting_shipment" }],
      more: 0,
    });
  });

  it("a level-2 or 3 commission carries neither the order number nor the buyer, anywhere the wallet sends", async () => {
    // floor(9900 × 500 / 10000) = 495 at level 2, floor(9900 × 200 / 10000) = 198 at level 3.
    for (const [name, level, amountFen] of [["grand", 2, 495], ["great", 3, 198]] as const) {
      const sent = JSON.stringify(await run((ctx) => expectedPayoutSummary(ctx, id.get(name)!)));
      expect(JSON.parse(sent), name).toEqual({
        totalFen: amountFen,
        rows: [{ kind: "commission", id: commissionId.get(level), amountFen, level, orderNo: null, expectedAt: null, why: "awaiting_shipment" }],
        more: 0,
      });
      // The whole 我的钱包 response as it goes to the browser: 待到账, the ledger history (the accrual is there), withdrawals.
      const summary = await callerFor(name).wallet.summary();
      expect(summary.history.map((h) => [h.kind, h.to, h.amountFen]), name).toEqual([["commission_accrue", "pending", amountFen]]);
      const wire = superjson.stringify(summary);
      for (const leak of leaks()) expect(wire, `${name}: ${leak}`).not.toContain(leak);
    }
  });

  it("read 订单 and the number at level 1, whose team's order at levels 2 and 3", async () => {
    const rowText = async (name: string, locale: Locale) => {
      const data = await callerFor(name).wallet.summary();
      const html = renderInProviders(createElement(WalletView), locale, (trpc, qc) => qc.setQueryData(trpc.wallet.summary.queryKey(), data)).html.replaceAll("<!-- -->", "");
      const rows = [...html.matchAll(/data-testid="expected-row"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => `|${m[1]!}`.replace(/<[^>]+>/g, "|").replace(/\|+/g, "|"));
      return { rows, html };
    };
    expect((await rowText("parent", "zh-CN")).rows).toEqual([`|佣金|+¥9.90|订单 ${orderNo}|发货后可知到账日期|`]);
    expect((await rowText("grand", "zh-CN")).rows).toEqual(["|佣金|+¥4.95|间推好友的订单|发货后可知到账日期|"]);
    expect((await rowText("great", "zh-CN")).rows).toEqual(["|佣金|+¥1.98|再推好友的订单|发货后可知到账日期|"]);
    expect((await rowText("grand", "en")).rows).toEqual(["|Commission|+¥4.95|An indirect referral&#x27;s order|Date known once shipped|"]);
    expect((await rowText("great", "en")).rows).toEqual(["|Commission|+¥1.98|A 3rd-level referral&#x27;s order|Date known once shipped|"]);
    for (const name of ["grand", "great"]) {
      const { html } = await rowText(name, "zh-CN");
      for (const leak of leaks()) expect(html, `${name}: ${leak}`).not.toContain(leak);
    }
  });
});
