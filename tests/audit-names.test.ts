// The audit log names the members and staff accounts its entries refer to by id (found in a browser walk of
// /merchant/audit: 申请调账 read "会员: 4, 申请人: 3", 已更换上级 "上级: 4 → 3, 批准人: 1, 申请人: 2", 批准更换上级
// "新上级: 3 / 原上级: 4": staff had to look each number up). A member reads as the back office names members elsewhere,
// name and #id (a deleted account by the name its deletion left, marked deleted), a staff account by display name; the
// names of a whole page are read at once (one read of members, one of staff accounts), never one read per entry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { registerMember } from "../server/referral";
import { approveAdjustment, requestAdjustment } from "../server/wallet/adjustments";
import { newAdjustmentRequestKey } from "../server/wallet/schemas";
import { updateMoneySettings } from "../server/wallet/fee";
import { decideSponsorChange, requestSponsorChange, runSponsorChanges } from "../server/members/sponsor-change";
import { listAudit } from "../server/audit/query";
import { auditChanges, auditFields, type AuditNames } from "../server/audit/display";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";
import { freshDatabase } from "./helpers/db";

const TZ = "Asia/Shanghai";
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
let database: Database;
let db: Db;
const ids = { owner: 0, finance: 0, operator: 0, oldSponsor: 0, newSponsor: 0, buyer: 0, gone: 0 };

// The merchant's settings as saved (the approval threshold below).
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, {}, fn);
let seq = 0;
const join = (username: string, nickname: string | null, sponsorId: number | null = null) =>
  run((ctx) => registerMember(ctx, { username, nickname, sponsorId, ip: `198.51.100.${++seq}`, device: `an-dev-${seq}` })).then((m) => m.id);

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  const staff = (username: string, displayName: string, role: "owner" | "finance" | "operator") =>
    db.staffAccount.create({ data: { username, displayName, role, passwordHash: "x", createdAt: new Date() } }).then((s) => s.id);
  ids.owner = await staff("an-boss", "王店长", "owner");
  ids.finance = await staff("an-fin", "李会计", "finance");
  ids.operator = await staff("an-op", "赵运营", "operator");
  ids.oldSponsor = await join("an-old", "老王");
  ids.newSponsor = await join("an-new", null); // no nickname: read by username
  ids.buyer = await join("an-buyer", "阿明", ids.oldSponsor);
  ids.gone = await join("an-gone", "阿强");
  // Above 500 元 a second person approves.
  await run((ctx) => updateMoneySettings(ctx, { staffId: ids.owner }, { feeBps: 0, feeMinFen: 0, adjustmentApprovalAboveFen: 50_000 }));
  // An adjustment the finance clerk asks for and the owner approves.
  const pending = await run((ctx) => requestAdjustment(ctx, { staffId: ids.finance }, { member: `#${ids.buyer}`, bucket: "available", amountFen: 60_000, reason: "大额补偿", requestKey: newAdjustmentRequestKey() }));
  await run((ctx) => approveAdjustment(ctx, { staffId: ids.owner }, pending.id));
  // One applied at once for a member who has since deleted their account (as server/members/deletion.ts leaves it).
  await run((ctx) => requestAdjustment(ctx, { staffId: ids.finance }, { member: `#${ids.gone}`, bucket: "available", amountFen: 100, reason: "补发", requestKey: newAdjustmentRequestKey() }));
  await db.member.update({ where: { id: ids.gone }, data: { nickname: "已注销用户", username: `deleted-${ids.gone}`, deletedAt: new Date(), frozen: true } });
  // A sponsor change the operator asks for and the owner approves; the move runs.
  const change = await run((ctx) => requestSponsorChange(ctx, { memberId: ids.buyer, to: ids.newSponsor, reason: "客户申请" }, { staffId: ids.operator }));
  await run((ctx) => decideSponsorChange(ctx, change.id, true, "同意", { staffId: ids.owner }));
  await runSponsorChanges(db, { now: new Date() });
});
afterAll(() => database.close());

/** The log's first page, counting the statements it sends about members and about staff accounts. */
async function page() {
  const reads = { member: 0, staffAccount: 0 };
  const counting = db.$extends({
    query: {
      member: { $allOperations: ({ args, query }) => (reads.member++, query(args)) },
      staffAccount: { $allOperations: ({ args, query }) => (reads.staffAccount++, query(args)) },
    },
  }) as unknown as Db;
  const result = await listAudit(counting, {}, TZ, { page: 1, pageSize: 100 });
  return { ...result, reads };
}

type Entry = Awaited<ReturnType<typeof listAudit>>["rows"][number];
const entry = (rows: Entry[], action: string, target?: string) => rows.find((r) => r.action === action && (!target || r.target === target))!;
const facts = (e: Entry, names: AuditNames) => Object.fromEntries(auditFields(zh, TZ, e.data, e.action, e.after, undefined, names).map((f) => [f.label, f.value]));
const changes = (e: Entry, names: AuditNames) => Object.fromEntries(auditChanges(zh, TZ, e.before, e.after, e.action, undefined, names).map((c) => [c.label, [c.before, c.after]]));

describe("the audit log names members and staff by name", () => {
  it("an adjustment's entries: the member by name and #id, the requester by display name", async () => {
    const { rows, names } = await page();
    const requested = entry(rows, "adjustment.requested", `adjustment:${(await db.ledgerAdjustment.findFirstOrThrow({ where: { memberId: ids.buyer } })).id}`);
    expect(changes(requested, names)["会员"]).toEqual([undefined, `阿明 #${ids.buyer}`]);
    const approved = entry(rows, "adjustment.approved");
    expect(facts(approved, names)).toMatchObject({ 会员: `阿明 #${ids.buyer}`, 申请人: "李会计" });
    // The page links a member to their page: the fact carries who it is.
    expect(auditFields(zh, TZ, approved.data, approved.action, approved.after, undefined, names).find((f) => f.key === "memberId")?.ref).toEqual({ kind: "member", id: ids.buyer, name: "阿明", deleted: false });
  });

  it("a sponsor change's entries: the sponsors by name (username when no nickname), the requester and approver by display name", async () => {
    const { rows, names } = await page();
    const changed = entry(rows, "member.sponsor_changed");
    expect(changes(changed, names)["上级"]).toEqual([`老王 #${ids.oldSponsor}`, `an-new #${ids.newSponsor}`]);
    expect(facts(changed, names)).toMatchObject({ 申请人: "赵运营", 批准人: "王店长" });
    const approved = entry(rows, "member.sponsor_change_approved");
    expect(facts(approved, names)).toMatchObject({ 原上级: `老王 #${ids.oldSponsor}`, 新上级: `an-new #${ids.newSponsor}` });
    const requested = entry(rows, "member.sponsor_change_requested");
    expect(changes(requested, names)["上级"]).toEqual([`老王 #${ids.oldSponsor}`, `an-new #${ids.newSponsor}`]);
  });

  it("a deleted member reads by the name the deletion left, marked deleted", async () => {
    const { rows, names } = await page();
    const gone = rows.find((r) => r.action === "adjustment.requested" && (r.after as { memberId?: number }).memberId === ids.gone)!;
    const change = auditChanges(zh, TZ, gone.before, gone.after, gone.action, undefined, names).find((c) => c.key === "memberId");
    expect(change).toMatchObject({ after: `已注销用户 #${ids.gone}`, afterRef: { kind: "member", id: ids.gone, name: "已注销用户", deleted: true } });
  });

  it("reads the names of a whole page at once: one read of members and one of staff accounts", async () => {
    const { rows, reads } = await page();
    expect(rows.filter((r) => r.action.startsWith("adjustment.") || r.action.startsWith("member.sponsor_")).length).toBeGreaterThanOrEqual(6);
    expect(reads).toEqual({ member: 1, staffAccount: 1 });
  });
});
