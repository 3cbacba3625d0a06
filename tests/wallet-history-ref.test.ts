// 资金明细 says what each line is for, as 待到账 and 佣金明细 do: a level-1 commission names its order and whose order it
// was (the buyer masked, maskMemberName), a level-2/3 one only its level (PIPL: neither order nor buyer reaches that
// earner), a withdrawal its number. The rows and their references are one statement per page, however many rows.
// Amounts by hand: one tea 99.00; L1 10% = 9.90, L2 5% = 4.95 (SPEC §5 default rates).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, PrismaClient } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { confirmPayment, createOrder } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { fromMerchant } from "../server/wallet/ledger";
import { requestWithdrawal } from "../server/wallet/withdrawals";
import { myWallet } from "../server/promotion";
import { BUCKET_LABEL, WITHDRAWAL_RULES } from "../server/wallet/view";
import { createElement } from "react";
import type { Locale } from "../lib/i18n/core";
import { WalletView } from "../app/wallet/WalletView";
import { freshLoggedDatabase, type LoggedStatement } from "./helpers/logged-db";
import { callerFor } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

const config = parseConfig({}); // everyone a distributor; L1 1000, L2 500 bps
const t0 = new Date("2026-12-01T02:00:00Z");
let database: Database;
let logged: PrismaClient;
let statements: LoggedStatement[];
const id = new Map<string, number>();
let orderNo = "";

const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: t0 }, fn);
const history = async (name: string) => (await callerFor(database.prisma, id.get(name)!).wallet.summary()).history;
const none = { orderNo: null, buyer: null, level: null, friend: null, payoutNo: null, month: null };

async function register(name: string, nickname: string, sponsor: string | null) {
  const n = id.size + 1;
  id.set(name, (await run((ctx) => registerMember(ctx, { username: name, nickname, sponsorId: sponsor ? id.get(sponsor)! : null, ip: `10.9.${n}.1`, device: `dev-${name}` }))).id);
}

beforeAll(async () => {
  ({ database, logged, statements } = await freshLoggedDatabase());
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9_900, category: "tea", stock: 50 });
  // grand → parent → 王小明: parent earns level 1 on 王小明's order, grand level 2.
  await register("grand", "祖父", null);
  await register("parent", "父亲", "grand");
  await register("wxm", "王小明", "parent");
  const o = await run((ctx) => createOrder(ctx, { memberId: id.get("wxm")!, lines: [{ sku: "tea", qty: 1 }] }));
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t-${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  orderNo = o.orderNo;
});

afterAll(async () => {
  await logged.$disconnect();
  await database.close();
});

describe("资金明细: what each line is for", () => {
  it("a level-1 commission names its order and the buyer, masked; a level-2 one only its level", async () => {
    const [p] = await history("parent");
    expect(p).toMatchObject({ kind: "commission_accrue", amountFen: 990, ref: { ...none, orderNo, buyer: "王*明", level: 1 } });
    const g = await history("grand");
    expect(g).toHaveLength(1);
    expect(g[0]).toMatchObject({ kind: "commission_accrue", amountFen: 495, ref: { ...none, level: 2 } });
    // Nothing of the level-2 buyer or their order reaches grand's wallet.
    const sent = JSON.stringify(await callerFor(database.prisma, id.get("grand")!).wallet.summary());
    expect(sent).not.toContain(orderNo);
    expect(sent).not.toContain("王");
  });

  it("a voided commission names the same order (level 1) or only its level (level 2)", async () => {
    const buyer = id.get("wxm")!;
    await run((ctx) => recordRiskEvent(ctx, "refund_abuse", [buyer], [buyer], { refundsIn30Days: 3 }));
    await run((ctx) => reviewMember(ctx, buyer, "reject"));
    const [pVoid, pAccrue] = await history("parent");
    expect(pVoid).toMatchObject({ kind: "commission_void", amountFen: 990, ref: { ...none, orderNo, buyer: "王*明", level: 1 } });
    expect(pAccrue!.kind).toBe("commission_accrue");
    const [gVoid] = await history("grand");
    expect(gVoid).toMatchObject({ kind: "commission_void", amountFen: 495, ref: { ...none, level: 2 } });
  });

  it("a withdrawal names its number, as the withdrawal list does; an adjustment names nothing", async () => {
    const parent = id.get("parent")!;
    await run((ctx) => fromMerchant(ctx, "adjustment:test-history", "manual_adjustment", "merchant:adjustment", parent, "available", 20_000));
    await database.prisma.member.update({ where: { id: parent }, data: { verifiedAt: t0 } });
    const w = await run((ctx) => requestWithdrawal(ctx, parent, 10_000, { providerName: "sandbox" }));
    const [hold, adjustment] = await history("parent");
    expect(hold).toMatchObject({ kind: "withdrawal_hold", amountFen: 10_000, ref: { ...none, payoutNo: `WD${w.id}` } });
    expect(adjustment).toMatchObject({ kind: "manual_adjustment", amountFen: 20_000, ref: none });
  });

  it("reads the page's rows and what they are for in one statement", async () => {
    statements.length = 0;
    const w = await myWallet(logged, id.get("parent")!);
    expect(w.history.length).toBe(4);
    expect(statements.filter((s) => /"LedgerEntry"|"LedgerTxn"|"Commission"|"RebateTask"/.test(s.query))).toHaveLength(1);
  });
});

describe("the wallet page: what each line is for, and large amounts grouped", () => {
  const at = new Date("2026-12-05T02:00:00Z");
  const line = (id: number, kind: string, from: string | null, to: string | null, amountFen: number, netFen: number, ref: object) => ({ id, kind, label: kind, from, to, amountFen, netFen, at, ref: { ...none, ...ref } });
  const summary = {
    expected: { totalFen: 0, rows: [], more: 0 },
    payee: null,
    balances: { pending: 123_456, available: 5_000_000, withdrawing: 250_000, withdrawn: 99_900, credit: 0 },
    bucketLabels: BUCKET_LABEL,
    history: [
      line(4, "withdrawal_hold", "available", "withdrawing", 250_000, 0, { payoutNo: "WD7" }),
      line(3, "commission_accrue", null, "pending", 495, 495, { level: 2 }),
      line(2, "commission_void", "pending", null, 990, -990, { orderNo: "FM2026120100001", buyer: "王*明", level: 1 }),
      line(1, "manual_adjustment", null, "available", 5_250_000, 5_250_000, {}),
    ],
    withdrawals: [{ id: 7, payoutNo: "WD7", amountFen: 250_000, feeFen: 0, netFen: 250_000, status: "PENDING_REVIEW", label: "", tone: "progress", reason: null, failure: null, createdAt: at, decidedAt: null, confirm: null }],
    identity: null,
    frozen: false,
    rules: WITHDRAWAL_RULES,
  };
  const render = (locale: Locale) =>
    renderInProviders(createElement(WalletView), locale, (trpc, qc) => qc.setQueryData(trpc.wallet.summary.queryKey(), summary as never)).html.replaceAll("<!-- -->", "");
  const rows = (html: string) => [...html.matchAll(/data-testid="history-row"[\s\S]*?<\/li>/g)].map((m) => m[0]);
  const forLine = (row: string) => /data-testid="history-for">([^<]*)</.exec(row)?.[1] ?? null;

  it("each history line names its order and buyer, its team level, or its withdrawal, in both languages", () => {
    expect(rows(render("zh-CN")).map(forLine)).toEqual(["提现单号 WD7", "间推好友的订单", "王*明 的订单 FM2026120100001", null]);
    expect(rows(render("en")).map(forLine)).toEqual(["Withdrawal WD7", "An indirect referral&#x27;s order", "王*明&#x27;s order FM2026120100001", null]);
  });

  it("balances, history and withdrawals read with thousands separators", () => {
    const html = render("zh-CN");
    expect(html).toMatch(/data-testid="balance-available">50,000.00</);
    expect(html).toMatch(/data-testid="balance-withdrawing">2,500.00</);
    expect(html).toMatch(/data-testid="balance-pending">1,234.56</);
    expect(html).toMatch(/data-testid="balance-withdrawn">999.00</);
    const [hold, , , adjustment] = rows(html);
    expect(hold).toContain(">\u2212¥2,500.00<");
    expect(adjustment).toContain(">+¥52,500.00<");
    expect(html).toMatch(/data-testid="withdrawal-row"[\s\S]*?>¥2,500.00</);
  });
});
