// What the promotion centre's rows and cards say (app/promote): a void or forfeited commission is not "+¥", an invitee taken
// off a 推三返一 task is listed as not counting, a suspended distributor is told so (not how to qualify), the month's
// 预计奖励 carries the compliance label, and the tab links do not prefetch in view.
import { readFileSync } from "node:fs";
import { createElement } from "react";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { commissionRowAmount } from "../app/promote/commission-row";
import { taskInviteeLine } from "../app/promote/task-invitee";
import { DistributionSection, distributorCardState } from "../app/promote/DistributionSection";
import { PROJECTION_LABEL } from "../server/rules/compliance";
import { renderInProviders } from "./helpers/render";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("佣金明细 amounts", () => {
  it("money earned or on its way is +¥x.xx; a void or forfeited entry loses the + and is struck through", () => {
    expect(commissionRowAmount({ amountFen: 1234, status: "PENDING" })).toEqual({ text: "+¥12.34", lost: false });
    expect(commissionRowAmount({ amountFen: 990, status: "SETTLED" })).toEqual({ text: "+¥9.90", lost: false });
    expect(commissionRowAmount({ amountFen: 990, status: "ON_HOLD" })).toEqual({ text: "+¥9.90", lost: false });
    expect(commissionRowAmount({ amountFen: 1234, status: "VOID" })).toEqual({ text: "¥12.34", lost: true });
    expect(commissionRowAmount({ amountFen: 5, status: "FORFEITED" })).toEqual({ text: "¥0.05", lost: true });
  });
});

describe("推三返一 invitees", () => {
  const inv = { name: "李**", orderStatus: "PAID", removed: false, removedReason: null } as const;
  it("a counted invitee shows their first order's state", () => {
    expect(taskInviteeLine(zh, inv)).toEqual({ text: "李** · 首单已付款", removed: false });
  });
  it("a removed invitee stays listed, saying why it does not count", () => {
    expect(taskInviteeLine(zh, { ...inv, orderStatus: "REFUNDED", removed: true, removedReason: "refunded" })).toEqual({ text: "李** · 已退款，不计入", removed: true });
    expect(taskInviteeLine(zh, { ...inv, removed: true, removedReason: "notCounted" })).toEqual({ text: "李** · 不计入", removed: true });
    expect(taskInviteeLine(en, { ...inv, removed: true, removedReason: "refunded" }).text).toBe("李** · Refunded — doesn't count");
    expect(taskInviteeLine(en, { ...inv, removed: true, removedReason: "notCounted" }).text).toBe("李** · Doesn't count");
  });
});

describe("分销员 card", () => {
  const distributor = { mode: "spend" as const, isDistributor: false, disabled: true, since: new Date("2026-11-02T02:00:00Z"), minSpendFen: 10_000, spentFen: 0, remainingFen: 0 };
  const step = {
    enabled: true,
    month: "2026-12",
    salesFen: 60_000,
    current: { minFen: 0, bps: 500 },
    next: { minFen: 5_000_000, bps: 800 },
    remainingFen: 4_940_000,
    estimatedFen: 3_000,
    brackets: [{ minFen: 0, bps: 500 }, { minFen: 5_000_000, bps: 800 }],
  };
  const board = { month: "2026-12", top: [], me: null, shown: true };
  const render = (d: typeof distributor, t = zh) =>
    renderInProviders(createElement(DistributionSection, { data: { distributor: d, step, bonuses: [] }, board, t, fmtDate: (x: Date) => x.toISOString() }), t.locale).html;

  it("state: a distributor, else suspended before any way to qualify", () => {
    expect(distributorCardState({ isDistributor: false, disabled: true, mode: "spend" })).toBe("suspended");
    expect(distributorCardState({ isDistributor: false, disabled: true, mode: "first_order" })).toBe("suspended");
    expect(distributorCardState({ isDistributor: false, disabled: false, mode: "first_order" })).toBe("firstOrder");
    expect(distributorCardState({ isDistributor: false, disabled: false, mode: "spend" })).toBe("spend");
    expect(distributorCardState({ isDistributor: true, disabled: false, mode: "everyone" })).toBe("distributor");
  });

  it("a suspended distributor is told the status is suspended, not how to become one", () => {
    const html = render(distributor);
    expect(html).toContain("分销资格已停用，如有疑问请联系商家");
    expect(html).toContain("已停用");
    expect(html).not.toContain("暂停");
    expect(html).not.toContain("再完成一笔订单即可成为分销员");
    expect(html).not.toContain("已消费");
    expect(html).not.toContain("成为分销员后才可获得阶梯奖励");
    expect(render(distributor, en)).toContain("Your distributor status is suspended.");
  });

  it("one who has still to qualify is told how (the spend mode's progress)", () => {
    const html = render({ ...distributor, disabled: false, spentFen: 4_000, remainingFen: 6_000 });
    expect(html).toContain("再消费 ¥60 即可成为分销员");
    expect(html).toContain("已消费 ¥40 / ¥100");
  });

  it("预计奖励 (this month so far, can still change) carries 理论测算值，非收益承诺", () => {
    const html = render({ ...distributor, isDistributor: true, disabled: false });
    // 5% of ¥600 so far: ¥30, then its label and the label's note.
    expect(html).toMatch(/¥(<!-- -->)?30\.00<\/div><div[^>]*>预计奖励<\/div><div[^>]*>理论测算值，非收益承诺</);
    expect(render({ ...distributor, isDistributor: true, disabled: false }, en)).toContain("Theoretical estimate, not a promise of earnings");
    // The shop's copy of the label is the back office's, word for word.
    expect(zh("step.projection")).toBe(PROJECTION_LABEL);
    expect(en("step.projection")).toBe(en("projection.label"));
  });
});

describe("/promote layout", () => {
  it("provides tRPC: the commissions tab's 在排行榜中显示我 switch calls useTRPC (without it the tab could not load)", () => {
    // Read as source: the layouts import server-only modules.
    expect(readFileSync("app/promote/layout.tsx", "utf8").trim()).toBe('export { default } from "@/app/_lib/trpc-layout";');
  });
});

describe("/promote links", () => {
  it("every next/link <Link> in app/promote/page.tsx has prefetch={false} (the tabs fetched each tab's RSC payload on load)", () => {
    const file = "app/promote/page.tsx";
    const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    const found: { line: number; prefetch: string | null }[] = [];
    const visit = (node: ts.Node) => {
      if ((ts.isJsxOpeningElement(node) || ts.isJsxSelfClosingElement(node)) && node.tagName.getText(src) === "Link") {
        const attr = node.attributes.properties.find((p): p is ts.JsxAttribute => ts.isJsxAttribute(p) && p.name.getText(src) === "prefetch");
        found.push({ line: src.getLineAndCharacterOfPosition(node.getStart(src)).line + 1, prefetch: attr ? (attr.initializer?.getText(src) ?? "true") : null });
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
    // The tier badge's link to its card, the share card's poster and 我邀请的好友 links, the four tabs (one element) and the empty task list's shop link.
    expect(found).toHaveLength(5);
    expect(found.filter((l) => l.prefetch !== "{false}")).toEqual([]);
  });
});
