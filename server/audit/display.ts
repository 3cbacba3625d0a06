// How the back office shows audit entries (/merchant/audit, the order page's activity): an action's name,
// and an entry's facts as "label: value" pairs in the viewer's language. Pure, shared by client and server.
import type { Translator } from "@/lib/i18n/core";
import { formatBps, formatYuanGrouped } from "@/components/money";
import { formatDateTime } from "@/lib/format-date";
import { carrierLabel } from "@/lib/i18n/labels";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface AuditField {
  key: string;
  label: string;
  value: string;
  /** A member or staff account the value names (auditRef): the page links a member to their page. */
  ref?: AuditRef;
}

/**
 * The names of the members and staff accounts a page of entries refers to by id (server/audit/query.ts reads them
 * once for the page), keyed by id: a member by nickname (or username) and whether the account is deleted, a staff
 * account by display name.
 */
export interface AuditNames {
  members: Record<number, { name: string; deleted: boolean }>;
  staff: Record<number, string>;
  /** The categories the page names by slug (a product's category, a category target) that still exist, slug → name. */
  categories?: Record<string, string>;
}

/** A fact naming a member or a staff account by id, with its name when the page's names have it. */
export type AuditRef = { kind: "member"; id: number; name: string | null; deleted: boolean } | { kind: "staff"; id: number; name: string | null };

/** The facts that hold a member's id: an adjustment's member, a sponsor change's sponsors (server/wallet/adjustments.ts, server/members/sponsor-change.ts). */
export const AUDIT_MEMBER_KEYS: readonly string[] = ["memberId", "sponsorId", "fromSponsorId", "toSponsorId"];
/** The facts that hold a staff account's id: who requested, approved or decided a two-person step. */
export const AUDIT_STAFF_KEYS: readonly string[] = ["requestedById", "approvedById", "decidedById"];

/** The member or staff account a fact names by id, with its name from `names`; null for any other fact. */
export function auditRef(key: string, value: unknown, names: AuditNames | undefined): AuditRef | null {
  if (!names || typeof value !== "number" || !Number.isSafeInteger(value)) return null;
  if (AUDIT_MEMBER_KEYS.includes(key)) {
    const m = names.members[value];
    return { kind: "member", id: value, name: m?.name ?? null, deleted: m?.deleted ?? false };
  }
  if (AUDIT_STAFF_KEYS.includes(key)) return { kind: "staff", id: value, name: names.staff[value] ?? null };
  return null;
}

/** A member as the back office names them, "name #id" (just "#id" when unknown); a staff account by display name. */
export function auditRefText(ref: AuditRef): string {
  if (ref.kind === "staff") return ref.name ?? `#${ref.id}`;
  return ref.name ? `${ref.name} #${ref.id}` : `#${ref.id}`;
}

/** How a *Fen amount reads: grouped on the page (the default), ungrouped in the CSV (server/exports/audit.ts passes formatYuan). */
export type AuditMoney = (fen: number) => string;

export interface AuditChange {
  key: string;
  label: string;
  /** Absent when the entry has no "before" for the key (a creation). */
  before?: string;
  after?: string;
  /** The member or staff account each side names (auditRef), for a link. */
  beforeRef?: AuditRef;
  afterRef?: AuditRef;
}

/** "withdrawal.requested" → 申请提现 / Withdrawal requested; an action without a name is shown as it is. */
export function auditActionLabel(t: Translator, action: string): string {
  return t.opt(`m.audit.act.${action}`, action);
}

/**
 * What an entry is about ("<kind>:<id>", server/audit/index.ts) in words: a whole target by its name (shop:profile → 店铺资料),
 * else its kind with the id (order:FM… → 订单 FM…, staff:12 → 员工 #12, export:orders → 导出：订单); an unknown kind as it is.
 * With the page's `names`: a staff account by name (员工 王店长), a member by name and #id, a category by its name.
 */
export function auditTargetLabel(t: Translator, target: string, names?: AuditNames): string {
  const named = `m.audit.targetName.${target}`;
  if (t.has(named)) return t(named);
  const colon = target.indexOf(":");
  if (colon < 0) return target;
  const kind = target.slice(0, colon);
  const id = target.slice(colon + 1);
  // A staff account or member by name (as the facts name them, auditRefText), a category by its name, where the page has them.
  if (names && /^\d+$/.test(id)) {
    const staff = kind === "staff" ? names.staff[Number(id)] : undefined;
    if (staff) return t("m.audit.targetBy.staff", { name: staff });
    const member = kind === "member" ? names.members[Number(id)] : undefined;
    if (member) return t("m.audit.targetBy.member", { name: member.name, id });
  }
  const category = kind === "category" ? names?.categories?.[id] : undefined;
  if (category) return t("m.audit.targetKind.category", { id: category });
  // A direct download is audited under its list (export:orders), a queued job's file under the job (export:12).
  if (kind === "export" && !/^\d+$/.test(id)) return t("m.audit.targetKind.exportList", { list: t.opt(`m.audit.list.${id}`, id) });
  return t.opt(`m.audit.targetKind.${kind}`, target, { id });
}

/** A fact's name ("amountFen" → 金额); an unknown key is shown as it is. */
export function auditFieldLabel(t: Translator, key: string): string {
  return t.opt(`m.audit.key.${key}`, key);
}

/** Where a "status" is named, by the entry's action: each domain has its own words for its states. */
const STATUS_KEYS: readonly (readonly [actionPrefix: string, keyPrefix: string])[] = [
  ["order.", "order.status."],
  ["adjustment.", "ma.status."],
  ["payment.refund", "m.audit.refund."],
  ["job.", "m.audit.job."],
  ["withdrawal.", "withdrawal.status."],
  ["risk.", "mr.case.status."],
  ["member.sponsor_change", "mm.sc.status."],
  // An export's filter (the pseudo-action `list:<kind>`, see auditFields): its list's statuses.
  ["list:orders", "order.status."],
  ["list:after-sales", "afterSales.status."],
  ["list:withdrawals", "withdrawal.status."],
  ["list:adjustments", "ma.status."],
];

function statusWord(t: Translator, action: string | undefined, value: string): string {
  const keys = action === undefined ? undefined : STATUS_KEYS.find(([prefix]) => action.startsWith(prefix))?.[1];
  return keys ? t.opt(`${keys}${value}`, value) : value;
}

/**
 * One value in words: *Fen amounts by `money` (¥ with two decimals), *Bps as percentages, yes / no, roles and carriers
 * by their names, a status in the words of the entry's action's domain, ISO instants as wall time in `timeZone`
 * (the merchant's configured zone); null (nothing to say) for null and undefined. A member or staff account's id by
 * their name from `names` (auditRef), where given.
 */
export function auditValue(t: Translator, timeZone: string, key: string, value: unknown, action?: string, money: AuditMoney = formatYuanGrouped, names?: AuditNames): string | null {
  if (value === null || value === undefined) return null;
  const ref = auditRef(key, value, names);
  if (ref) return auditRefText(ref);
  if (typeof value === "number") {
    if (/Fen$/.test(key) && Number.isInteger(value)) return money(value);
    if (/Bps$/.test(key) && Number.isInteger(value)) return formatBps(value);
    // Risk flags by their ids (#2), never read as a count.
    if (key === "flags") return `#${value}`;
    return String(value);
  }
  if (typeof value === "boolean") return t(value ? "m.audit.yes" : "m.audit.no");
  if (typeof value === "string") {
    if (key === "role") return t.opt(`m.role.${value}`, value);
    if (key === "carrier") return carrierLabel(t, value);
    if (key === "via" && action === "order.ship") return t.opt(`m.audit.via.${value}`, value);
    if (key === "status") return statusWord(t, action, value);
    // Enum values by the words the rest of the back office has for them: a wallet's bucket, an after-sales request's
    // order, a risk rule, a payment provider, a payout call's state and the provider's answer, a payee login's kind.
    if (key === "bucket") return t.opt(`bucket.${value}`, value);
    if (key === "order" && action?.startsWith("aftersales.")) return t.opt(`order.status.${value}`, value);
    if (key === "request" && action?.startsWith("aftersales.")) return t.opt(`afterSales.status.${value}`, value);
    if (key === "rules") return t.opt(`mr.rule.${value}`, value);
    if (key === "provider") return t.opt(`m.provider.${value}`, value);
    if (key === "callStatus") return t.opt(`m.audit.callStatus.${value}`, value);
    if (key === "providerAnswer") return t.opt(`m.audit.providerAnswer.${value}`, value);
    if (key === "login") return t.opt(`m.audit.login.${value}`, value);
    // The orders list's 退款中 / 退款异常 (its status filter's refund progress) by the list's words.
    if (key === "refund" && action === "list:orders") return t.opt(`mo.refundState.${value}`, value);
    if (key === "kind" && action?.startsWith("export.")) return t.opt(`m.audit.list.${value}`, value);
    // An after-sales request's reason and how it was decided, in the words the after-sales pages use.
    if (key === "reason" && action?.startsWith("aftersales.")) return t.opt(`afterSales.reason.${value}`, value);
    if (key === "resolution" && action?.startsWith("aftersales.")) return t.opt(`afterSales.resolution.${value}`, value);
    // A product's category by its name while it exists (the slug once it is gone).
    if (key === "category" && action?.startsWith("catalog.")) return names?.categories?.[value] ?? value;
    // An instant stored as JSON (e.g. a rule version's effectiveAt): the merchant's wall time, as everywhere.
    if (ISO_INSTANT.test(value)) return formatDateTime(value, { timeZone, seconds: true });
    return value;
  }
  if (Array.isArray(value)) {
    const parts = value.map((v) => auditValue(t, timeZone, key, v, action, money, names)).filter((v): v is string => v !== null);
    return parts.length ? parts.join(" / ") : "—";
  }
  if (typeof value === "object") {
    const fields = auditFields(t, timeZone, value, action, undefined, money, names);
    return fields.length ? fields.map((f) => `${f.label}: ${f.value}`).join("; ") : null;
  }
  return String(value);
}

/**
 * An entry's extra facts (its `data`) as labelled values, in their order; empty values are left out. `after`, the
 * entry's after, names an export's list where `data` does not (export.queued keeps it there, export.downloaded in data).
 * `names`: the page's members and staff accounts (AuditNames), so an id reads as a name.
 */
export function auditFields(t: Translator, timeZone: string, data: unknown, action?: string, after?: unknown, money: AuditMoney = formatYuanGrouped, names?: AuditNames): AuditField[] {
  if (!data || typeof data !== "object" || Array.isArray(data)) return [];
  const kindOf = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as { kind?: unknown }).kind : undefined);
  const kind = kindOf(data) ?? kindOf(after);
  return Object.entries(data).flatMap(([key, raw]) => {
    // An export's filter is in the words of its list (a status of orders, of withdrawals…).
    const scope = key === "filter" && action?.startsWith("export.") && typeof kind === "string" ? `list:${kind}` : action;
    const value = auditValue(t, timeZone, key, raw, scope, money, names);
    if (value === null) return [];
    const ref = auditRef(key, raw, names);
    return [{ key, label: auditFieldLabel(t, key), value, ...(ref ? { ref } : {}) }];
  });
}

type SkuFacts = Record<string, unknown> & { code: string };
const isSku = (v: unknown): v is SkuFacts => !!v && typeof v === "object" && !Array.isArray(v) && typeof (v as { code?: unknown }).code === "string";

/**
 * A product edit's SKUs (its before and after list them whole, server/catalog/admin.ts productSnapshot): only what
 * changed, one line per SKU by its code (and options): an added SKU as its after, a removed one as its before, a kept
 * one with just the facts (price, stock, options, image) that changed; an unchanged SKU is left out.
 */
function skuChanges(t: Translator, timeZone: string, before: unknown[], after: unknown[], action: string | undefined, money: AuditMoney, names: AuditNames | undefined): AuditChange[] {
  const b = before.filter(isSku);
  const a = after.filter(isSku);
  // Not a list of SKUs by code (an older or unknown shape): the two lists whole, as any other key.
  if (b.length !== before.length || a.length !== after.length) {
    const beforeText = auditValue(t, timeZone, "skus", before, action, money, names) ?? "—";
    const afterText = auditValue(t, timeZone, "skus", after, action, money, names) ?? "—";
    return beforeText === afterText ? [] : [{ key: "skus", label: auditFieldLabel(t, "skus"), before: beforeText, after: afterText }];
  }
  const side = (sku: SkuFacts, keys?: string[]) => {
    const facts = Object.fromEntries(Object.entries(sku).filter(([k]) => k !== "code" && (!keys || keys.includes(k))));
    return auditValue(t, timeZone, "sku", facts, action, money, names) ?? "—";
  };
  const label = (sku: SkuFacts) => {
    const options = Array.isArray(sku.options) ? sku.options.filter((o): o is string => typeof o === "string") : [];
    return t("m.audit.skuLine", { code: sku.code, options: options.length ? ` (${options.join(" / ")})` : "" });
  };
  const kept = new Map(b.map((s) => [s.code, s]));
  const changes: AuditChange[] = [];
  for (const sku of a) {
    const old = kept.get(sku.code);
    if (!old) {
      changes.push({ key: `skus.${sku.code}`, label: label(sku), after: side(sku) });
      continue;
    }
    const keys = [...new Set([...Object.keys(old), ...Object.keys(sku)])].filter(
      (k) => k !== "code" && (auditValue(t, timeZone, k, old[k], action, money, names) ?? "—") !== (auditValue(t, timeZone, k, sku[k], action, money, names) ?? "—"),
    );
    if (keys.length) changes.push({ key: `skus.${sku.code}`, label: label(sku), before: side(old, keys), after: side(sku, keys) });
  }
  const now = new Set(a.map((s) => s.code));
  for (const sku of b) if (!now.has(sku.code)) changes.push({ key: `skus.${sku.code}`, label: label(sku), before: side(sku) });
  return changes;
}

/**
 * Before → after per key (either side may be missing); a key whose two sides read the same is left out. A product
 * edit's SKUs by what changed in them (skuChanges).
 */
export function auditChanges(t: Translator, timeZone: string, before: unknown, after: unknown, action?: string, money: AuditMoney = formatYuanGrouped, names?: AuditNames): AuditChange[] {
  const obj = (v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const b = obj(before);
  const a = obj(after);
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].flatMap((key) => {
    if (key === "skus" && Array.isArray(b[key]) && Array.isArray(a[key])) return skuChanges(t, timeZone, b[key] as unknown[], a[key] as unknown[], action, money, names);
    const change: AuditChange = { key, label: auditFieldLabel(t, key) };
    if (key in b) change.before = auditValue(t, timeZone, key, b[key], action, money, names) ?? "—";
    if (key in a) change.after = auditValue(t, timeZone, key, a[key], action, money, names) ?? "—";
    const beforeRef = key in b ? auditRef(key, b[key], names) : null;
    const afterRef = key in a ? auditRef(key, a[key], names) : null;
    if (beforeRef) change.beforeRef = beforeRef;
    if (afterRef) change.afterRef = afterRef;
    if (change.before === undefined && change.after === "—") return [];
    return change.before !== undefined && change.before === change.after ? [] : [change];
  });
}

export interface AuditFilterOption {
  value: string;
  label: string;
}

/** The codes the filters offer (server/audit/query.ts auditFilterCodes): named actions, target kinds, targets named whole. */
export interface AuditFilterCodes {
  actions: readonly string[];
  kinds: readonly string[];
  named: readonly string[];
}

/** A value the URL holds that the options lack (a link to one target, an older prefix) stays chosen, in words where it has them. */
function withCurrent(options: AuditFilterOption[], current: string, label: (v: string) => string): AuditFilterOption[] {
  return !current || options.some((o) => o.value === current) ? options : [...options, { value: current, label: label(current) }];
}

/**
 * The action filter's choices in words (the filter takes a prefix of the code): each group ("withdrawal." → 提现：全部)
 * followed by its named actions.
 */
export function auditActionOptions(t: Translator, actions: readonly string[], current = ""): AuditFilterOption[] {
  const groupLabel = (domain: string) => t("m.audit.allOf", { what: t.opt(`m.audit.domain.${domain}`, domain) });
  const options: AuditFilterOption[] = [{ value: "", label: t("m.audit.anyAction") }];
  for (const action of [...actions].sort()) {
    const group = action.slice(0, action.indexOf(".") + 1);
    if (group && !options.some((o) => o.value === group)) options.push({ value: group, label: groupLabel(group.slice(0, -1)) });
    options.push({ value: action, label: auditActionLabel(t, action) });
  }
  return withCurrent(options, current, (v) => (v.endsWith(".") && !v.slice(0, -1).includes(".") ? groupLabel(v.slice(0, -1)) : auditActionLabel(t, v)));
}

/** The target filter's choices in words: each kind as a whole ("order:" → 订单：全部), then the targets named whole (店铺资料). */
export function auditTargetOptions(t: Translator, kinds: readonly string[], named: readonly string[], current = ""): AuditFilterOption[] {
  const kindLabel = (kind: string) => t("m.audit.allOf", { what: t.opt(`m.audit.kind.${kind}`, kind) });
  const options: AuditFilterOption[] = [
    { value: "", label: t("m.audit.anyTarget") },
    ...kinds.map((kind) => ({ value: `${kind}:`, label: kindLabel(kind) })),
    ...named.map((target) => ({ value: target, label: auditTargetLabel(t, target) })),
  ];
  return withCurrent(options, current, (v) => (/^[^:]+:$/.test(v) ? kindLabel(v.slice(0, -1)) : auditTargetLabel(t, v)));
}
