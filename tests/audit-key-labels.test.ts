// Every fact an audit writer puts in an entry (the keys of its before / after / data) has a name in both languages
// (m.audit.key.<key>, server/audit/display.ts auditFieldLabel): the log never shows a raw key such as `attempt` or
// `provider`. The keys are read from the writers themselves (every call of an audit writer under server/), so a key a
// writer adds later without a label fails here. And enum values read in the words the back office uses elsewhere.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { auditChanges, auditFields } from "../server/audit/display";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";

const SERVER = join(__dirname, "..", "server");
/** The audit writers: server/audit's audit (often imported as auditStaff or writeAudit), server/context's, and catalog's own. */
const WRITERS = new Set(["audit", "auditStaff", "writeAudit"]);
const FACTS = new Set(["before", "after", "data"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "generated") return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The keys an object literal (or a const of one, in the same file, or one spread into it) writes, nested objects' too. */
function literalKeys(node: ts.Expression, consts: Map<string, ts.Expression>, out: Set<string>, seen = new Set<ts.Node>()): void {
  if (seen.has(node)) return;
  seen.add(node);
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isAwaitExpression(node)) return literalKeys(node.expression, consts, out, seen);
  if (ts.isConditionalExpression(node)) {
    literalKeys(node.whenTrue, consts, out, seen);
    return literalKeys(node.whenFalse, consts, out, seen);
  }
  // A function of the same file that builds the facts (server/risk/review.ts decisionFacts): what it returns.
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
    const fn = consts.get(`function ${node.expression.text}`);
    if (fn) literalKeys(fn, consts, out, seen);
    return;
  }
  if (ts.isFunctionDeclaration(node as ts.Node) || ts.isArrowFunction(node)) {
    const returns: ts.Expression[] = [];
    const find = (n: ts.Node) => {
      if (ts.isReturnStatement(n) && n.expression) returns.push(n.expression);
      else if (!ts.isFunctionLike(n) || n === node) ts.forEachChild(n, find);
    };
    find(node);
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) returns.push(node.body);
    for (const r of returns) literalKeys(r, consts, out, seen);
    return;
  }
  if (ts.isIdentifier(node)) {
    const init = consts.get(node.text);
    if (init) literalKeys(init, consts, out, seen);
    return;
  }
  if (!ts.isObjectLiteralExpression(node)) return;
  for (const p of node.properties) {
    if (ts.isSpreadAssignment(p)) literalKeys(p.expression, consts, out, seen);
    else if ((ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      out.add(p.name.text);
      if (ts.isPropertyAssignment(p)) literalKeys(p.initializer, consts, out, seen);
      else literalKeys(p.name, consts, out, seen);
    }
  }
}

/** The facts' keys of an audit call: an entry object's before/after/data, or context's audit(ctx, actor, action, target, data). */
function callKeys(call: ts.CallExpression, consts: Map<string, ts.Expression>, out: Set<string>) {
  for (const arg of call.arguments) {
    const obj = ts.isIdentifier(arg) ? consts.get(arg.text) : arg;
    if (!obj || !ts.isObjectLiteralExpression(obj)) continue;
    const isFact = (p: ts.ObjectLiteralElementLike) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && ts.isIdentifier(p.name) && FACTS.has(p.name.text);
    const facts = obj.properties.filter(isFact);
    // context's audit(ctx, actor, action, target, data): data as a whole (it may hold an `after` of its own), unless it
    // is nothing but facts (catalog's audit(ctx, actor, action, target, { before, after, data })).
    if (arg === call.arguments[4] && facts.length < obj.properties.length) literalKeys(obj, consts, out);
    else for (const p of facts) literalKeys(ts.isPropertyAssignment(p) ? p.initializer : (p as ts.ShorthandPropertyAssignment).name, consts, out);
  }
}

/** Every key the audit writers under server/ put in an entry, by file (for the failure message). */
function auditedKeys(): Map<string, Set<string>> {
  const byKey = new Map<string, Set<string>>();
  for (const file of sourceFiles(SERVER)) {
    const text = readFileSync(file, "utf8");
    if (!/\baudit(Staff)?\(|writeAudit\(/.test(text)) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const consts = new Map<string, ts.Expression>();
    const calls: ts.CallExpression[] = [];
    const walk = (n: ts.Node) => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer) consts.set(n.name.text, n.initializer);
      if (ts.isFunctionDeclaration(n) && n.name) consts.set(`function ${n.name.text}`, n as unknown as ts.Expression);
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && WRITERS.has(n.expression.text)) calls.push(n);
      ts.forEachChild(n, walk);
    };
    walk(source);
    const keys = new Set<string>();
    for (const call of calls) callKeys(call, consts, keys);
    for (const key of keys) byKey.set(key, (byKey.get(key) ?? new Set()).add(file.slice(SERVER.length + 1)));
  }
  return byKey;
}

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const TZ = "Asia/Shanghai";

describe("audit keys", () => {
  const keys = auditedKeys();

  it("finds the writers' keys (the reader works): a few known ones, by hand", () => {
    // server/wallet/withdrawals.ts withdrawal.paying; server/wallet/adjustments.ts's facts const; server/risk/review.ts.
    for (const key of ["attempt", "provider", "payoutNo", "bucket", "failReason", "approvals", "needed", "rules", "flagCount", "note", "commissionsVoided", "tasksReleased"]) {
      expect(keys.has(key), key).toBe(true);
    }
  });

  it("every key has a label in zh and en", () => {
    const missing = [...keys].flatMap(([key, files]) =>
      (["zh-CN", "en"] as const).filter((l) => !(`m.audit.key.${key}` in MESSAGES[l])).map((l) => `${l} m.audit.key.${key} (${[...files].join(", ")})`),
    );
    expect(missing).toEqual([]);
  });
});

describe("audit values in the back office's words", () => {
  it("a withdrawal's statuses and a payout's facts (was PENDING_REVIEW → APPROVED, attempt, provider)", () => {
    const changes = auditChanges(zh, TZ, { status: "PENDING_REVIEW", approvals: 0 }, { status: "APPROVED", approvals: 1 }, "withdrawal.approved");
    expect(changes.map((c) => `${c.label}: ${c.before} → ${c.after}`)).toEqual(["状态: 待审核 → 已批准", "已审批人数: 0 → 1"]);
    const retried = auditChanges(en, TZ, { status: "FAILED" }, { status: "APPROVED" }, "withdrawal.payout_retried");
    expect(retried.map((c) => `${c.label}: ${c.before} → ${c.after}`)).toEqual(["Status: Payout failed → Approved"]);
    const paying = auditFields(zh, TZ, { attempt: 1, provider: "sandbox", needed: 1 }, "withdrawal.paying");
    expect(paying.map((f) => `${f.label}: ${f.value}`)).toEqual(["打款次数: 1", "打款渠道: 沙箱支付（测试）", "需审批人数: 1"]);
  });

  it("a risk decision: its status, its rules and flags", () => {
    const changes = auditChanges(zh, TZ, { status: "OPEN" }, { status: "REJECTED" }, "risk.reject");
    expect(changes.map((c) => `${c.label}: ${c.before} → ${c.after}`)).toEqual(["状态: 待审核 → 已驳回"]);
    const fields = auditFields(zh, TZ, { rules: ["shared_ip", "ip_burst"], flagCount: 2, flags: [2, 5] }, "risk.reject");
    expect(fields.map((f) => `${f.label}: ${f.value}`)).toEqual(["规则: 与上级同一 IP / 同一 IP 短时间内大量注册", "标记数: 2", "风控标记编号: #2 / #5"]);
    const enFields = auditFields(en, TZ, { flags: [2] }, "risk.approve");
    expect(enFields.map((f) => `${f.label}: ${f.value}`)).toEqual(["Risk flag IDs: #2"]);
  });

  it("an adjustment's wallet bucket", () => {
    expect(auditFields(zh, TZ, { bucket: "available" }, "adjustment.approved").map((f) => f.value)).toEqual(["可提现"]);
    expect(auditFields(en, TZ, { bucket: "credit" }, "adjustment.requested").map((f) => f.value)).toEqual([en("bucket.credit")]);
  });
});
