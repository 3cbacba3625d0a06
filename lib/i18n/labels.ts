// Wording of engine data by code, for both languages. The engine keeps its own Chinese labels
// (TASK_LABEL, COMMISSION_LABEL, WITHDRAWAL_LABEL, BUCKET_LABEL, ...) for the scenario output and its
// tests; the shopper UI translates the status codes with these helpers instead.
import type { Translator } from "./core";
import { issueRule, upperFirst, type BoundFormat, type IssueDetail } from "./issue-rule";
import { formatBps, formatYuan } from "@/components/money";
import { rebateBack, rebateOfferParts, type RebateOffer as Rebate } from "./rebate-offer";

export { rebateBack, rebateOfferParts };

/** The offer as the promotion centre states it (server/promotion/view.ts rebateOfferText). */
export function promoteOfferText(t: Translator, r: Rebate): string {
  if (!r.enabled) return t("promote.offerDisabled");
  return t("promote.offer", rebateOfferParts(t, r));
}

/** The offer on the share poster: the promotion centre's, shorter, so it stays within the picture's layout. */
export function posterOfferText(t: Translator, r: Rebate): string {
  if (!r.enabled) return t("promote.offerDisabled");
  return t("poster.offer", rebateOfferParts(t, r));
}

/** The landing's headline: "全额返现" only for an uncapped full cash refund (the terms follow in landingOfferText); no cashback while the campaign is off. */
export function landingHeadline(t: Translator, r: Rebate): string {
  if (!r.enabled) return t("landing.headlineOff");
  if (r.capFen === null && r.payout === "cash") return r.percent === 100 ? t("landing.headlineFull", { n: r.n }) : t("landing.headlinePercent", { percent: r.percent });
  return t("landing.headline", { n: r.n, back: rebateBack(t, r) });
}

/** The offer as the landing page states it (app/r/[code]/landing.ts offerText). */
export function landingOfferText(t: Translator, r: Rebate): string {
  if (!r.enabled) return t("landing.offerDisabled");
  return t("landing.offer", rebateOfferParts(t, r));
}

/** 直推 / 间推 / 再推, then 第 N 级 (server/promotion/view.ts depthLabel). */
export function depthLabel(t: Translator, depth: number): string {
  return depth === 1 ? t("depth.1") : depth === 2 ? t("depth.2") : depth === 3 ? t("depth.3") : t("depth.n", { n: depth });
}

/** Why a task will not pay (server/rebate/view.ts taskEndReason; ON_HOLD from server/promotion). */
export function taskReason(t: Translator, task: { status: string; endReason?: string | null; n: number }): string | null {
  if (task.status === "ON_HOLD") return t("task.reason.onHold");
  if (task.status === "EXPIRED") {
    if (task.endReason === "invitee removed after the deadline") return t("task.reason.removedAfterDeadline");
    if (task.endReason === "invitee rejected in risk review after the deadline") return t("task.reason.riskRemovedAfterDeadline");
    return t("task.reason.notEnough", { n: task.n });
  }
  if (task.status === "VOID") {
    if (task.endReason === "anchor order refunded") return t("task.reason.anchorRefunded");
    if (task.endReason === "risk review rejected") return t("task.reason.riskRejected");
    return t("task.reason.void");
  }
  return null;
}

/**
 * Which of the known commission forfeit/void reasons (codes written by server/commission, server/orders, server/risk) a
 * stored reason is, with its values; null for text it does not know. The shopper reads it in the commission.reason
 * messages (commissionReason), staff on a member's page in the back office's own (app/merchant/members/[id]).
 */
export function commissionReasonCode(reason: string): { code: "frozen" | "notDistributor" | "suspended" | "refunded" | "riskRejected" | "locked"; vars?: { n: string; level: string } } | null {
  if (reason === "account frozen") return { code: "frozen" };
  if (reason === "not a distributor when the order was paid") return { code: "notDistributor" };
  if (reason === "distributor suspended") return { code: "suspended" };
  if (reason === "order refunded") return { code: "refunded" };
  if (reason === "risk review rejected") return { code: "riskRejected" };
  const m = /^needs (\d+) qualified directs to earn level (\d+)$/.exec(reason);
  return m ? { code: "locked", vars: { n: m[1]!, level: m[2]! } } : null;
}

/** A commission's forfeit/void reason as the shopper reads it (commissionReasonCode); unknown text as is. */
export function commissionReason(t: Translator, reason: string | null): string | null {
  if (!reason) return null;
  const known = commissionReasonCode(reason);
  return known ? t(`commission.reason.${known.code}`, known.vars) : reason;
}

/** A member tier by its configured name; a tier the messages do not know shows the configured label. */
export function tierLabel(t: Translator, tier: string | null | undefined, configured: string): string {
  return tier ? t.opt(`tier.${tier}`, configured) : configured;
}

/** An order status by code (server/orders/view.ts ORDER_STATUS_LABEL); an unknown code shows the engine's label. */
export function orderStatusLabel(t: Translator, status: string, engineLabel?: string): string {
  return t.opt(`order.status.${status}`, engineLabel ?? status);
}

/** A parcel's carrier by code (server/orders/shipping.ts CARRIER_CODES); an unknown code shows the engine's name. */
export function carrierLabel(t: Translator, code: string, engineName?: string): string {
  return t.opt(`order.carrier.${code}`, engineName ?? code);
}

/** A checkout line's problem (server/orders/checkout.ts writes it in Chinese); unknown text as is. */
export function lineProblem(t: Translator, problem: string | null): string | null {
  if (!problem) return null;
  if (problem === "商品已下架") return t("checkout.problem.inactive");
  if (problem === "已售罄") return t("checkout.problem.soldOut");
  if (problem === "单笔订单金额过大，请分开下单") return t("error.ORDER_TOO_LARGE");
  const m = /^库存不足，仅剩 (\d+) 件$/.exec(problem);
  if (m) return t("checkout.problem.lowStock", { n: m[1]! });
  return problem;
}

/** One refused field of a domain refusal (data.domainIssues: dotted path, the server's Chinese message, a code for some, the broken rule for most). */
export type RefusalIssue = { path: string; message: string; code?: string | null; detail?: IssueDetail | null };

/** A tRPC error as the client has it (TRPCClientError), or a route handler's refusal put in that shape. */
export type ServerError = {
  message: string;
  data?: { domainCode?: string | null; domainIssues?: readonly RefusalIssue[] | null; domainParams?: Record<string, string | number> | null; zodError?: unknown; code?: string; requestId?: string | null } | null;
};

/**
 * A refusal from the server (tRPC error with the engine's domain code and Chinese message). zh-CN shows
 * the server's own message (it is the most precise, e.g. the remaining stock); other languages word it
 * by domain code, else by tRPC's code (a "not found", an internal error with its request id), or say
 * something generic. A refused input (zodError) is worded by the server in the caller's language
 * (server/api/input-errors.ts): shown as it is.
 */
export function errorText(t: Translator, error: ServerError | null | undefined): string {
  if (!error) return "";
  if (t.locale === "zh-CN" || error.data?.zodError) return error.message;
  const code = error.data?.domainCode;
  if (code) return t.opt(`error.${code}`, t("error.generic"), error.data?.domainParams ?? undefined);
  if (error.data?.code === "INTERNAL_SERVER_ERROR" && error.data.requestId) return t("error.internal", { id: error.data.requestId });
  return error.data?.code ? t.opt(`error.trpc.${error.data.code}`, t("error.generic")) : t("error.generic");
}

/**
 * The refused fields of a domain refusal, each worded for the page: zh-CN the server's own message; other
 * languages by the issue's code or the rule it broke (detail), else a generic sentence (the server words its
 * rules in Chinese only).
 */
export function refusalIssues(t: Translator, error: ServerError | null | undefined, nameOf: SettingName = inputName): (RefusalIssue & { text: string })[] {
  return (error?.data?.domainIssues ?? []).map((i) => ({ ...i, text: refusalIssueText(t, i, nameOf) }));
}

/** A refused setting's name for people by its dotted path (the back office names its own: app/merchant/rules/setting-name.ts). */
export type SettingName = (t: Translator, path: string) => string;

/** The input's name by the path's last named part (input.name.*), else the path as it is. */
export function inputName(t: Translator, path: string): string {
  const key = `input.name.${path.split(".").filter((p) => !/^\d+$/.test(p)).at(-1)}`;
  return t.has(key) ? upperFirst(t(key)) : path;
}

/** One refused field's words (see refusalIssues), "<setting>: <rule>" where the rule is known; path "" is a refusal of the settings as a whole. */
export function refusalIssueText(t: Translator, issue: RefusalIssue, nameOf: SettingName = inputName): string {
  if (t.locale === "zh-CN") return issue.message;
  const generic = issue.path === "" ? t("error.issue.whole") : t("error.issue.generic");
  if (issue.code) return t.opt(`error.issue.${issue.code}`, generic);
  const rule = issue.detail ? brokenRule(t, issue.path, issue.detail) : null;
  if (rule === null) return generic;
  return issue.path === "" ? upperFirst(rule) : t("error.issue.field", { field: nameOf(t, issue.path), rule });
}

/** What the value breaks, as a clause: zod's code by the shared wording, a custom rule by its name (error.issue.<rule>); null for a rule without a name. */
function brokenRule(t: Translator, path: string, detail: IssueDetail): string | null {
  if (detail.code !== "custom") return issueRule(t, detail, boundFormat(path));
  const { rule, words, previous, totalBps } = detail.params ?? {};
  const key = `error.issue.${String(rule)}`;
  if (typeof rule !== "string" || !t.has(key)) return null;
  return t(key, {
    words: Array.isArray(words) ? words.map((w) => `"${String(w)}"`).join(", ") : "",
    previous: Number.isSafeInteger(previous) ? formatYuan(previous as number) : "",
    total: typeof totalBps === "number" ? formatBps(totalBps) : "",
  });
}

/** Bounds of a setting in fen are shown in 元, in bps or whole percent as a percentage (the rules page's inputs). */
function boundFormat(path: string): BoundFormat | undefined {
  if (/Fen(\.|$)/.test(path)) return (v) => (Number.isSafeInteger(v) ? formatYuan(v) : String(v));
  if (/percent$/i.test(path)) return (v) => `${v}%`;
  return /Bps(\.|$)/.test(path) ? formatBps : undefined;
}

/** Why the share link a member signed up through bound no sponsor (Member.bindingRefusal, SPEC §8). */
export function bindingRefusalText(t: Translator, reason: string): string {
  return reason === "shared_device" ? t("binding.refused.sharedDevice") : t("binding.refused.other");
}
