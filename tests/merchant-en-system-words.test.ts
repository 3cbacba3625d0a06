// English back-office screens show no Chinese the system wrote (W1 finding 8): the first rule version's reason, written by
// the system (server/rules INITIAL_VERSION_REASON), reads in English; a status's note and a refund request's label
// before the shopper's words use ASCII punctuation in English ("Void … (order refunded)", "Quality problem: …"),
// full-width in Chinese. Rendered as the browser's first render would show them.
import { createElement } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/server/db";
import { INITIAL_VERSION_REASON } from "@/server/rules";
import { OrderDetailClient } from "@/app/merchant/orders/[id]/OrderDetailClient";
import { RuleHistory } from "@/app/merchant/rules/RuleHistory";
import { freshPglite } from "./helpers/db";
import { signedInStaff } from "./helpers/caller";
import { shippedOrderWithRefundRequest } from "./helpers/aftersales";
import { renderInProviders } from "./helpers/render";

/** The page's text: tags dropped, React's text separators too. */
const text = (html: string) => html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "\n");

describe("the rule history's reasons", () => {
  const at = new Date("2026-03-01T02:00:00Z");
  const versions = [
    { version: 2, author: "店长 (owner)", reason: "一级佣金调整", createdAt: at, effectiveAt: at, state: "active" as const },
    { version: 1, author: null, reason: INITIAL_VERSION_REASON, createdAt: at, effectiveAt: new Date(0), state: "superseded" as const },
  ];
  const reasons = (locale: "en" | "zh-CN") => {
    const { html } = renderInProviders(createElement(RuleHistory, { versions }), locale);
    return [2, 1].map((v) => /<td class="min-w-40[^"]*">([^<]*)<\/td>/.exec(new RegExp(`data-testid="rule-version-${v}".*?</tr>`, "s").exec(html)![0])![1]);
  };

  it("the system's reason for version 1 is in the reader's language; a person's reason stays as written", () => {
    expect(reasons("en")).toEqual(["一级佣金调整", "The rules in force before version history began"]);
    expect(reasons("zh-CN")).toEqual(["一级佣金调整", "启用规则版本管理前的规则"]);
  });
});

describe("the order page of a refunded order with a quality complaint", () => {
  let database: Database;
  let page: (locale: "en" | "zh-CN") => string;
  beforeAll(async () => {
    database = await freshPglite();
    const { order } = await shippedOrderWithRefundRequest(database, { reason: "quality", detail: "茶叶受潮" });
    const operator = await signedInStaff(database.prisma, "operator");
    const [request] = await database.prisma.refundRequest.findMany({ where: { orderId: order.id } });
    await operator.caller.merchantAfterSales.approve({ id: request!.id });
    const detail = await operator.caller.merchantOrder.detail({ id: order.id });
    page = (locale) =>
      text(renderInProviders(createElement(OrderDetailClient, { id: order.id, canWrite: true, canDecide: true }), locale, (trpc, qc) => qc.setQueryData(trpc.merchantOrder.detail.queryKey({ id: order.id }), detail as never)).html);
  });
  afterAll(() => database.close());

  it("English: the task's end note in ASCII brackets after its time, the request's reason then a colon and a space", () => {
    const en = page("en");
    expect(en).toMatch(/\d{2}:\d{2}:\d{2} \(this order was refunded\)/);
    expect(en).toContain("Quality problem\n\n: 茶叶受潮");
    expect(en).not.toMatch(/[（）：]/);
  });

  it("Chinese keeps full-width punctuation", () => {
    const zh = page("zh-CN");
    expect(zh).toMatch(/\d{2}:\d{2}:\d{2}（本单已退款）/);
    expect(zh).toContain("质量问题\n\n：茶叶受潮");
  });
});
