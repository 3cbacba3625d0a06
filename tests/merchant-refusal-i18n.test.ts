// The server's refusals on an English back-office page are English: the whole refusal by its domain code (else
// tRPC's code), each refused field of a form (data.domainIssues) by its issue code or a generic English
// sentence, a bulk-shipping row's problem, a route handler's JSON refusal; Chinese pages keep the server's
// own words. Components render with react-dom/server inside the providers they need (no request is made).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createElement, type ReactNode } from "react";
import { describe, expect, it, vi } from "vitest";
import { createT, type Locale } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { errorText, refusalIssues } from "@/lib/i18n/labels";
import { DomainError } from "@/server/context";
import { z } from "zod";
import { inputErrorMessage } from "@/server/api/input-errors";
import { issueText } from "@/components/merchant/issue-text";
import { refusalNotice } from "@/app/merchant/rules/refusal";
import { shipmentProblem } from "@/app/merchant/orders/ship-problems";
import { renderInProviders, type TrpcProxy } from "./helpers/render";
import { RiskCase } from "@/app/merchant/risk/[memberId]/RiskCase";
import { refusalResponse, withErrorResponse } from "@/app/_lib/route-errors";

const en = createT("en", MESSAGES.en);
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const HAN = /\p{Script=Han}/u;
const ROOT = join(import.meta.dirname, "..");

/** A rules save the compliance guard refused (server/rules RulesRefused), as the client receives it. */
const rulesRefused = {
  message: "规则未保存：commission.ratesBps：合规红线：最多 3 级佣金；reason：请填写修改原因",
  data: {
    code: "BAD_REQUEST",
    domainCode: "RULES_REFUSED",
    zodError: null,
    domainIssues: [
      { path: "commission.ratesBps", message: "合规红线：最多 3 级佣金" },
      { path: "reason", message: "请填写修改原因" },
    ],
  },
};

describe("a domain refusal with refused fields", () => {
  it("English: the refusal by its code, each field in English (a generic sentence where the issue has no code)", () => {
    expect(errorText(en, rulesRefused)).toBe("The rules were not saved: correct the settings marked in red");
    const fields = refusalIssues(en, rulesRefused);
    expect(fields.map((f) => [f.path, f.text])).toEqual([
      ["commission.ratesBps", "Not accepted: please check this value"],
      ["reason", "Not accepted: please check this value"],
    ]);
    const unchanged = refusalIssues(en, { message: "规则未保存：规则：规则没有变化", data: { domainCode: "RULES_REFUSED", domainIssues: [{ path: "", message: "规则没有变化", code: "unchanged" }] } });
    expect(unchanged.map((f) => f.text)).toEqual(["Nothing has changed"]);
  });

  it("Chinese: the server's own words, whole and per field", () => {
    expect(errorText(zh, rulesRefused)).toBe(rulesRefused.message);
    expect(refusalIssues(zh, rulesRefused).map((f) => f.text)).toEqual(["合规红线：最多 3 级佣金", "请填写修改原因"]);
  });

  it("the experiment and simulator refusals have their own English sentence", () => {
    expect(errorText(en, { message: "实验未开始：rebate：推三返一未启用，无法做实验", data: { domainCode: "EXPERIMENT_REFUSED" } })).toBe("Not started: correct the settings marked in red");
    expect(errorText(en, { message: "模拟未开始：name：请填写名称", data: { domainCode: "SIMULATION_REFUSED" } })).toBe("Not started: correct the settings marked in red");
  });

  it("the rules page's line under the form: a whole-rules reason from the server in English", () => {
    expect(refusalNotice(en, [{ path: "", message: "规则已被他人修改" }])).toEqual({ text: "Not saved: the settings as a whole are not accepted", info: false });
    expect(refusalNotice(zh, [{ path: "", message: "规则已被他人修改" }])).toEqual({ text: "规则未保存：规则已被他人修改", info: false });
  });
});

describe("one wording of zod's issue codes for the API's refusals and the back office's fields", () => {
  // English messages, as a schema without its own Chinese ones gives them.
  const schema = z.object({ name: z.string().min(1).max(5), sort: z.number().int().max(100), priceFen: z.number().min(1), kind: z.enum(["a", "b"]) });
  const refused = schema.safeParse({ name: "toolong", sort: 1.5, priceFen: 0, kind: "c" }).error!;
  const byField = (path: string) => refused.issues.find((i) => i.path.join(".") === path)!;

  it("the server says the field's name and the rule; a form says the same rule beside the field", () => {
    expect(inputErrorMessage(refused, "en")).toBe("Invalid input: name must be at most 5 characters; sort order must be a whole number; price must be at least 1 (and 1 more)");
    expect(issueText(en, byField("name"))).toBe("Must be at most 5 characters");
    expect(issueText(en, byField("sort"))).toBe("Must be a whole number");
    expect(issueText(en, byField("priceFen"), { unit: "fen" })).toBe("Must be at least ¥0.01");
    expect(issueText(en, byField("kind"))).toBe("Must be one of the allowed values");
    expect(inputErrorMessage(refused, "zh-CN")).toBe("输入有误：名称 最多 5 个字符；排序值 必须是整数；价格 不能小于 1（另有 1 处）");
    expect(issueText(zh, byField("name"))).toBe("最多 5 个字符");
  });
});

describe("an error without a domain code, in English", () => {
  it("words it by tRPC's code; an internal error keeps its request id", () => {
    expect(errorText(en, { message: "会员不存在", data: { code: "NOT_FOUND", domainCode: null } })).toBe("Not found: it may have been removed");
    expect(errorText(en, { message: "商品已被他人修改，请刷新后再保存", data: { code: "CONFLICT", domainCode: null } })).toBe("Someone else changed this at the same time: reload and try again");
    expect(errorText(en, { message: "服务器出错了，请稍后再试（请求编号 req-1234）", data: { code: "INTERNAL_SERVER_ERROR", requestId: "req-1234", domainCode: null } })).toBe(
      "Something went wrong on the server. Please try again later (request req-1234)",
    );
    expect(errorText(en, { message: "？", data: { code: "PARSE_ERROR" } })).toBe(en("error.generic"));
  });
});

describe("a bulk-shipping row's problem (server/orders/shipping.ts words it in Chinese)", () => {
  it.each([
    ["缺少订单号", "Order number missing"],
    ["订单号与第 3 行重复", "Same order number as line 3"],
    ["订单不存在", "Order not found"],
    ["订单状态为「已发货」，不能发货", "Only orders awaiting shipment can be shipped"],
    ["未知的物流公司：（空）", "Unknown carrier: (empty)"],
    ["运单号格式不正确：AB", "Tracking number not valid: AB"],
    ["CSV 格式错误：Quoted field unterminated", "CSV format error: Quoted field unterminated"],
    ["别的问题", "Not accepted: please check this value"],
  ])("%s", (message, english) => {
    expect(shipmentProblem(en, message)).toBe(english);
    expect(shipmentProblem(zh, message)).toBe(message);
  });
});

describe("a back-office route's JSON refusal", () => {
  const request = (lang: Locale) => new Request("http://127.0.0.1/merchant/kpi/export", { headers: { cookie: `fm_staff=x; fm_lang=${lang}` } });

  it("a domain refusal: English by its code, Chinese as the engine says it", async () => {
    const refusal = new DomainError("INVALID_PERIOD", "日期范围无效：开始日期须不晚于结束日期和今天，且最长 1100 天");
    const english = refusalResponse(request("en"), 400, refusal);
    expect(english.status).toBe(400);
    expect(await english.json()).toEqual({ error: "Invalid date range: the start must not be after the end or after today, and a range is at most 1100 days", code: "INVALID_PERIOD" });
    expect(await refusalResponse(request("zh-CN"), 400, refusal).json()).toEqual({ error: refusal.message, code: "INVALID_PERIOD" });
    expect(await refusalResponse(request("en"), 400, "m.route.badFilter").json()).toEqual({ error: "The filters are not valid" });
    expect(await refusalResponse(request("zh-CN"), 400, "m.route.badFilter").json()).toEqual({ error: "筛选条件无效" });
  });

  it("an internal error in the caller's language, with the request id", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const handler = withErrorResponse("test route", async () => {
      throw new Error("boom");
    });
    const req = new Request("http://127.0.0.1/x", { headers: { cookie: "fm_lang=en", "x-request-id": "req-en-0001" } });
    const res = await handler(req);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: "Something went wrong on the server. Please try again later (request req-en-0001)", requestId: "req-en-0001" });
    log.mockRestore();
  });
});

/** Renders a back-office client component with the query `key` already failed with `error`. */
function renderFailed(node: ReactNode, locale: Locale, key: (trpc: TrpcProxy) => readonly unknown[], error: object): string {
  const { html } = renderInProviders(node, locale, (trpc, queryClient) => {
    const queryKey = key(trpc);
    // Not retried when the component mounts: it shows the failure (a render on the server makes no request anyway).
    queryClient.setQueryDefaults(queryKey, { retryOnMount: false });
    queryClient.getQueryCache().build(queryClient, { queryKey }).setState({ status: "error", error: error as Error, errorUpdatedAt: 1, fetchStatus: "idle" });
  });
  return html.replaceAll("<!-- -->", "");
}

describe("back-office pages show a failed load in the staff's language", () => {
  const notFound = Object.assign(new Error("会员不存在"), { data: { code: "NOT_FOUND", domainCode: null, zodError: null } });

  it("the risk case of a member that does not exist", () => {
    const key = (trpc: TrpcProxy) => trpc.merchantRisk.case.queryKey({ memberId: 9 });
    const english = renderFailed(createElement(RiskCase, { memberId: 9, freezeAt: 3 }), "en", key, notFound);
    expect(english).toContain("Not found: it may have been removed");
    expect(english).not.toMatch(HAN);
    expect(renderFailed(createElement(RiskCase, { memberId: 9, freezeAt: 3 }), "zh-CN", key, notFound)).toContain("会员不存在");
  });

  it("no back-office component prints a server error's own message", () => {
    // The message of a tRPC error (e, q.error, list.error…) is the server's Chinese: errorText words it.
    const printsMessage = /\b(?:e|err|error)\.message\b|\b[a-z]\w*\.error\??\.message\b/;
    const offenders: string[] = [];
    const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
    for (const file of [...walk(join(ROOT, "app/merchant")), ...walk(join(ROOT, "components/merchant"))]) {
      const rel = relative(ROOT, file);
      if (!/\.tsx?$/.test(rel)) continue;
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => printsMessage.test(line) && offenders.push(`${rel}:${i + 1}: ${line.trim()}`));
    }
    expect(offenders).toEqual([]);
  });
});
