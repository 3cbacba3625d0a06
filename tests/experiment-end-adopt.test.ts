// Ending an A/B experiment (issue 11), as the walker found it: an empty reason is refused as an end (not as
// "实验未开始", not with the field's raw name), first by the form's own schema; adopting B against the verdict
// asks for confirmation; the version B's adoption saves reads in the history's language, its author too; and
// the order page names the experiment group of a task opened during an experiment.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { DomainError, inTx } from "../server/context";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder } from "../server/orders";
import { merchantOrderDetail } from "../server/orders/merchant";
import { createSimpleProduct } from "../server/catalog/admin";
import { listRuleVersions, saveRules } from "../server/rules";
import { parseConfig } from "../server/config/schema";
import { DAY } from "../server/clock/time";
import { endExperimentTx, startExperimentTx, variantFor } from "../server/experiments";
import { promotedReason, promotedReasonParts, promotedReasonText, ROLE_BY_CHINESE_NAME, versionAuthorText } from "../server/experiments/version-reason";
import { adoptBWarning, endExperimentForm } from "../app/merchant/experiments/form";
import { errorText, refusalIssues } from "@/lib/i18n/labels";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT } from "@/lib/i18n/core";
import { merchantZhCN } from "@/lib/i18n/messages/merchant.zh-CN";
import { freshDatabase } from "./helpers/db";
import { createElement } from "react";
import { renderInProviders } from "./helpers/render";
import { RuleHistory } from "../app/merchant/rules/RuleHistory";

const OWNER = { staffId: 1, requestId: "req-exp-end" };
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const t0 = new Date("2026-06-01T02:00:00Z");
const at = (days: number) => new Date(t0.getTime() + days * DAY);

describe("the end form's own check", () => {
  it("refuses an empty (or blank) reason beside the field, in the page's language", () => {
    for (const [t, text] of [[zh, "请填写结束原因"], [en, "Enter the reason for ending the experiment"]] as const) {
      const r = endExperimentForm(t).safeParse({ winner: "B", reason: "   " });
      expect(r.success).toBe(false);
      expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["reason", text]]);
    }
    expect(endExperimentForm(zh).safeParse({ winner: "B", reason: " 数据不足，先试 " }).data).toEqual({ winner: "B", reason: "数据不足，先试" });
    // The request's limit (text(200)).
    expect(endExperimentForm(zh).safeParse({ winner: "A", reason: "字".repeat(201) }).error?.issues[0]?.message).toBe("结束原因最多 200 字");
  });

  it("asks for a second look at adopting B unless the verdict favours B", () => {
    expect(adoptBWarning("b_better")).toBeNull();
    expect(adoptBWarning("not_enough_data")).toBe("exp.confirm.inconclusive");
    expect(adoptBWarning("no_difference")).toBe("exp.confirm.inconclusive");
    expect(adoptBWarning("a_better")).toBe("exp.confirm.favoursA");
    expect(adoptBWarning("mixed")).toBe("exp.confirm.mixed");
    expect(zh("exp.confirm.inconclusive")).toBe("注意：实验数据尚无定论，现有结果还不能说明 B 组更好。");
  });
});

describe("the promoted version's reason and author in the history", () => {
  it("words the reason an experiment wrote in the reader's language, old rows included; a person's own reason as written", () => {
    // A row saved before this change, as the walker's v4 (the same template).
    const old = "实验「邀2人返50%」结束，采用 B 组规则：数据不足，先试用 B 组规则";
    expect(promotedReasonParts(old)).toEqual({ name: "邀2人返50%", reason: "数据不足，先试用 B 组规则" });
    expect(promotedReasonText(en, old)).toBe("Experiment “邀2人返50%” ended, group B's rules adopted: 数据不足，先试用 B 组规则");
    expect(promotedReasonText(zh, old)).toBe(old);
    expect(promotedReason("邀2人返50%", "数据不足，先试用 B 组规则")).toBe(old);
    // A name with its own brackets ends at the template's separator, not at its first 」.
    expect(promotedReasonParts(promotedReason("「双十二」试验", "ok"))).toEqual({ name: "「双十二」试验", reason: "ok" });
    expect(promotedReasonText(en, "双十二当天佣金 15%")).toBeNull();
    expect(promotedReasonText(en, "实验「没有分隔」")).toBeNull();
  });

  it("names an account named after its role by the role in the reader's language", () => {
    expect(versionAuthorText(en, "店主 (owner)")).toBe("Owner (owner)");
    expect(versionAuthorText(zh, "店主 (owner)")).toBe("店主 (owner)");
    expect(versionAuthorText(en, "运营 (ops2)")).toBe("Operator (ops2)");
    // A person's own name, and an account no longer there, stay as they are.
    expect(versionAuthorText(en, "运营小林 (operator)")).toBe("运营小林 (operator)");
    expect(versionAuthorText(en, "#7")).toBe("#7");
    // The map agrees with the roles' Chinese names.
    expect(Object.fromEntries(Object.entries(ROLE_BY_CHINESE_NAME).map(([name, role]) => [`m.role.${role}`, name]))).toEqual(
      Object.fromEntries(Object.entries(merchantZhCN).filter(([k]) => k.startsWith("m.role."))),
    );
  });
});

describe("the rules history page", () => {
  it("shows the experiment's version reason and a role-named author in the reader's language", () => {
    const versions = [
      { version: 4, author: "店主 (owner)", reason: "实验「邀2人返50%」结束，采用 B 组规则：数据不足，先试用 B 组规则", createdAt: t0, effectiveAt: t0, state: "active" as const },
      { version: 3, author: "运营小林 (operator)", reason: "双十二当天佣金 15%", createdAt: t0, effectiveAt: t0, state: "superseded" as const },
      { version: 1, author: null, reason: "启用规则版本管理前的规则", createdAt: t0, effectiveAt: new Date(0), state: "superseded" as const },
    ];
    const cells = (locale: "zh-CN" | "en") => {
      const html = renderInProviders(createElement(RuleHistory, { versions }), locale).html.replaceAll("<!-- -->", "");
      return [4, 3, 1].map((v) => [...html.split(`data-testid="rule-version-${v}"`)[1]!.split("</tr>")[0]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]));
    };
    const [v4, v3, v1] = cells("en");
    // Author, then reason (the cells without markup inside).
    expect(v4).toContain("Owner (owner)");
    expect(v4).toContain("Experiment “邀2人返50%” ended, group B&#x27;s rules adopted: 数据不足，先试用 B 组规则");
    expect(v4!.join("|")).not.toMatch(/店主|采用 B 组规则/);
    expect(v3).toContain("运营小林 (operator)");
    expect(v3).toContain("双十二当天佣金 15%");
    expect(v1).toContain("System");
    const [z4] = cells("zh-CN");
    expect(z4).toContain("店主 (owner)");
    expect(z4).toContain("实验「邀2人返50%」结束，采用 B 组规则：数据不足，先试用 B 组规则");
  });
});

describe("ending an experiment on the engine", () => {
  let database: Database;
  beforeEach(async () => {
    database = await freshDatabase();
    await database.prisma.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 10_000, category: "tea", stock: 500 });
    await saveRules(database.prisma, OWNER, { config: { rebate: { minAnchorFen: 5_000 } }, reason: "满 50 元开任务" }, new Date(t0.getTime() - DAY));
  });
  afterEach(() => database.close());
  const db = () => database.prisma;

  it("refuses an empty reason as an end, by its own code, on the reason field", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "邀2人返50%", hypothesis: "", variantPercent: 50, variantRebate: { n: 2, percent: 50 } }, t0);
    const e = (await endExperimentTx(db(), OWNER, { id: exp.id, winner: "B", reason: "  " }, at(1)).catch((x: unknown) => x)) as DomainError;
    expect(e).toBeInstanceOf(DomainError);
    expect(e.code).toBe("EXPERIMENT_END_REFUSED");
    expect(e.message).toBe("请填写结束原因");
    expect(e.issues).toEqual([{ path: "reason", message: "请填写结束原因" }]);
    // As a page receives it (server/api/trpc's error data): no "实验未开始", no field name, in either language.
    const received = { message: e.message, data: { domainCode: e.code, domainIssues: e.issues } };
    expect(errorText(zh, received)).toBe("请填写结束原因");
    expect(errorText(en, received)).toBe("Enter the reason for ending the experiment");
    expect(refusalIssues(zh, received).map((i) => [i.path, i.text])).toEqual([["reason", "请填写结束原因"]]);
    // Nothing ended, nothing saved.
    expect(await db().experiment.findUniqueOrThrow({ where: { id: exp.id } })).toMatchObject({ status: "RUNNING", winner: null });
    expect(await db().ruleVersion.count()).toBe(2);
  });

  it("saves B's version with a reason the English history words in English", async () => {
    const exp = await startExperimentTx(db(), OWNER, { name: "邀2人返50%", hypothesis: "", variantPercent: 50, variantRebate: { n: 2, percent: 50 } }, t0);
    const ended = await endExperimentTx(db(), OWNER, { id: exp.id, winner: "B", reason: "B 更好" }, at(1));
    const [v] = await listRuleVersions(db(), at(2));
    expect(v).toMatchObject({ version: ended.promotedVersion, reason: "实验「邀2人返50%」结束，采用 B 组规则：B 更好" });
    expect(promotedReasonText(en, v!.reason)).toBe("Experiment “邀2人返50%” ended, group B's rules adopted: B 更好");
  });

  it("names the experiment and group of a task opened during it on the order's page; none outside one", async () => {
    const config = parseConfig({});
    const exp = await startExperimentTx(db(), OWNER, { name: "邀2人返50%", hypothesis: "", variantPercent: 50, variantRebate: { n: 2, percent: 50 } }, t0);
    const { salt } = await db().experiment.findUniqueOrThrow({ where: { id: exp.id } });
    const buy = async (memberId: number, now: Date) => {
      const o = await inTx(db(), { now }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
      await inTx(db(), { now }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
      return o.id;
    };
    const task = async (orderId: number) => (await merchantOrderDetail({ tx: db(), config }, orderId, { revealAddress: false }))!.rebateTask;
    const seen = new Set<string>();
    for (let i = 0; seen.size < 2; i++) {
      const m = await inTx(db(), { now: t0 }, (ctx) => registerMember(ctx, { username: `s${i}`, sponsorId: null }));
      const variant = variantFor(salt, m.id, 50);
      if (seen.has(variant)) continue;
      seen.add(variant);
      const t = await task(await buy(m.id, at(1)));
      expect(t?.experiment).toEqual({ id: exp.id, name: "邀2人返50%", variant });
    }
    await endExperimentTx(db(), OWNER, { id: exp.id, winner: "A", reason: "B 没有更好" }, at(2));
    const later = await inTx(db(), { now: at(2) }, (ctx) => registerMember(ctx, { username: "later", sponsorId: null }));
    expect((await task(await buy(later.id, at(3))))?.experiment).toBeNull();
    // Words of the order page's label.
    expect(zh("exp.orderTask", { name: "邀2人返50%", group: zh("exp.group", { variant: "B" }) })).toBe("实验：邀2人返50% · B 组");
    expect(en("exp.orderTask", { name: "x", group: en("exp.group", { variant: "A" }) })).toBe("Experiment: x · Group A");
  });
});
