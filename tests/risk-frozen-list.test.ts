// The risk page's 已冻结 list (SPEC §8). Found in review: a member the review froze (three rejections) has no open flag
// left, so they dropped out of the queue, and the risk role cannot reach /merchant/members: nobody could find them to
// lift the freeze (RISK_FREEZE_REVIEWER_ONLY). merchantRisk.frozen lists every frozen member with who froze them, when
// and why, newest freeze first, a keyset page at a time; unfreezing takes them off it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { recordRiskEvent } from "../server/risk/flags";
import { reviewMember } from "../server/risk/review";
import { frozenMembersPage } from "../server/risk/view";
import { setFrozen } from "../server/members/status-history";
import { backOfficeHome } from "../server/kpi/home";
import { freshDatabase } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";

const config = parseConfig({});
let database: Database;
let db: Db;
let staff: Record<"risk" | "operator", Awaited<ReturnType<typeof signedInStaff>>>;

beforeAll(async () => {
  database = await freshDatabase();
  db = database.prisma;
  staff = { risk: await signedInStaff(db, "risk"), operator: await signedInStaff(db, "operator") };
});
afterAll(() => database.close());

const HOUR = 3600_000;
const T0 = new Date(Date.now() - 30 * HOUR);
const at = (h: number) => new Date(T0.getTime() + h * HOUR);
const run = <T,>(now: Date, fn: (ctx: Ctx) => Promise<T>) => inTx(db, { config, now }, fn);
let seq = 0;
const join = (name: string) => run(at(-1), (ctx) => registerMember(ctx, { username: name, ip: `203.0.113.${++seq}`, device: `fz-dev-${seq}` })).then((m) => m.id);

const frozenList = (input: Parameters<typeof staff.risk.caller.merchantRisk.frozen>[0] = {}) => staff.risk.caller.merchantRisk.frozen(input);
const queueIds = async () => (await staff.risk.caller.merchantRisk.queue({})).items.map((m) => m.id);

describe("merchantRisk.frozen", () => {
  let reviewed: number; // frozen by the review's third rejection at at(2)
  let byStaff: number; // frozen by a reviewer from the case page, at the request's time (now)
  let tieLow: number; // tieLow and tieHigh frozen at the same instant at(1), no audit entry (older data)
  let tieHigh: number;
  let noTime: number; // frozen with no recorded time (older data): listed last
  let deleted: number; // a deleted account stays frozen for good: not listed

  beforeAll(async () => {
    reviewed = await join("fz-reviewed");
    const rules = ["refund_abuse", "shared_address", "large_first_order"] as const;
    for (const h of [0, 1, 2]) {
      await run(at(h), (ctx) => recordRiskEvent(ctx, rules[h]!, [reviewed], [reviewed], { test: h }));
      await run(at(h), (ctx) => reviewMember(ctx, reviewed, "reject", { staffId: staff.risk.id }, "同一地址反复下单"));
    }
    byStaff = await join("fz-by-staff");
    await staff.risk.caller.merchantRisk.setMemberFrozen({ memberId: byStaff, frozen: true, reason: "同设备批量注册，先行冻结" });
    tieLow = await join("fz-tie-a");
    tieHigh = await join("fz-tie-b");
    for (const m of [tieLow, tieHigh]) await run(at(1), (ctx) => setFrozen(ctx, m, true));
    noTime = await join("fz-no-time");
    await db.member.update({ where: { id: noTime }, data: { frozen: true, frozenAt: null } });
    deleted = await join("fz-deleted");
    await db.member.update({ where: { id: deleted }, data: { frozen: true, frozenAt: at(3), deletedAt: at(3) } });
  });

  // Why: the rules of all three rejections that led to the freeze, in their order (found in a browser walk: only the
  // third rejection's rule was listed, under 累计驳回 3 次).
  it("a member the review froze leaves the open queue and is listed as frozen: the reviewer, the freeze's time and the rejected rules", async () => {
    expect(await queueIds()).not.toContain(reviewed);
    const list = await frozenList();
    const row = list.items.find((m) => m.id === reviewed);
    expect(row).toEqual({
      id: reviewed, username: "fz-reviewed", nickname: null, frozen: true, frozenAt: at(2), rejectionCount: 3, openFlags: 0,
      by: "review", byStaff: `测试risk (${staff.risk.username})`, reason: null, rules: ["refund_abuse", "shared_address", "large_first_order"],
    });
    const other = list.items.find((m) => m.id === byStaff);
    expect(other).toMatchObject({ by: "staff", byStaff: `测试risk (${staff.risk.username})`, reason: "同设备批量注册，先行冻结", rules: [] });
  });

  it("newest freeze first, ties by id, a freeze of no recorded time last, a deleted account never; paged by keyset", async () => {
    const all = [byStaff, reviewed, tieHigh, tieLow, noTime];
    expect((await frozenList()).items.map((m) => m.id)).toEqual(all);
    expect((await frozenList()).total).toBe(5);
    const seen: number[] = [];
    let after: { at: Date | null; id: number } | undefined;
    for (let page = 0; page < 10; page++) {
      const r = await frozenList({ pageSize: 2, after });
      seen.push(...r.items.map((m) => m.id));
      if (!r.next) break;
      after = r.next;
    }
    expect(seen).toEqual(all);
    // A page ending inside the tie resumes after it, and one ending on the timeless freeze has nothing after it.
    expect((await frozenList({ pageSize: 1, after: { at: at(1), id: tieHigh } })).items.map((m) => m.id)).toEqual([tieLow]);
    expect(await frozenList({ pageSize: 1, after: { at: null, id: noTime } })).toMatchObject({ items: [], next: null });
    expect((await frozenList({ member: `#${deleted}` })).items).toEqual([]);
  });

  it("filters by member id or part of the username", async () => {
    expect((await frozenList({ member: `#${reviewed}` })).items.map((m) => m.id)).toEqual([reviewed]);
    expect((await frozenList({ member: "FZ-TIE" })).items.map((m) => m.id)).toEqual([tieHigh, tieLow]);
  });

  it("a frozen member flagged again is in both lists, and the home's risk count is the queue's", async () => {
    await run(at(4), (ctx) => recordRiskEvent(ctx, "refund_abuse", [tieLow], [tieLow], { test: "again" }));
    const queue = await staff.risk.caller.merchantRisk.queue({});
    expect(queue.items.map((m) => m.id)).toEqual([tieLow]);
    expect((await frozenList({ member: `#${tieLow}` })).items[0]).toMatchObject({ id: tieLow, openFlags: 1, by: "staff", byStaff: null, reason: null });
    expect((await backOfficeHome(db, new Date(), "Asia/Shanghai", "risk")).todo.riskCases).toBe(queue.total);
  });

  it("unfreezing from the case takes the member off the list", async () => {
    await staff.risk.caller.merchantRisk.setMemberFrozen({ memberId: reviewed, frozen: false, reason: "申诉核实，解除冻结" });
    const list = await frozenList();
    expect(list.items.map((m) => m.id)).toEqual([byStaff, tieHigh, tieLow, noTime]);
    expect(list.total).toBe(4);
    expect(await queueIds()).not.toContain(reviewed);
  });

  it("is the risk area's: the operator is refused", async () => {
    expect((await refusal(staff.operator.caller.merchantRisk.frozen({}))).code).toBe("FORBIDDEN");
  });
});

describe("merchantRisk.frozen's reads", () => {
  let many: number[]; // each frozen by the review's third rejection

  beforeAll(async () => {
    many = [];
    for (let i = 0; i < 4; i++) {
      const id = await join(`fz-many-${i}`);
      for (const h of [5, 6, 7]) {
        await run(at(h), (ctx) => recordRiskEvent(ctx, "refund_abuse", [id], [id], { test: `many-${i}-${h}` }));
        await run(at(h), (ctx) => reviewMember(ctx, id, "reject", { staffId: staff.risk.id }, "同一地址反复下单"));
      }
      many.push(id);
    }
  });

  /** A page of the list, counting the statements it sends about risk flags. */
  async function riskFlagReads(pageSize: number) {
    let reads = 0;
    const counting = db.$extends({ query: { riskFlag: { $allOperations: ({ args, query }) => (reads++, query(args)) } } }) as unknown as Db;
    const page = await frozenMembersPage(counting, { member: "fz-many", pageSize });
    return { reads, by: page.items.map((m) => m.by) };
  }

  it("tells who froze each member of a page from one read of their rejections, however many members the page has", async () => {
    const one = await riskFlagReads(1);
    const all = await riskFlagReads(100);
    expect(all.by).toEqual(["review", "review", "review", "review"]);
    expect(one.by).toEqual(["review"]);
    // One read of the page's REJECTED flags, one count of its OPEN ones: not one more per member frozen by the review.
    expect(all.reads).toBe(2);
    expect(one.reads).toBe(2);
  });
});

describe("merchantRisk.frozen's reason", () => {
  // Found in a browser walk: a member rejected for shared_ip, large_first_order and shared_address read
  // "累计驳回 3 次：与上级收货地址相同", the last rejection's rule alone.
  it("names the rules of every rejection that led to the freeze, each once, in the order they were rejected", async () => {
    const id = await join("fz-three-rules");
    // First rejection: shared_ip; second: shared_ip again and large_first_order, decided at once; third: shared_address.
    await run(at(8), (ctx) => recordRiskEvent(ctx, "shared_ip", [id], [id], { test: "r1" }));
    await run(at(8), (ctx) => reviewMember(ctx, id, "reject", { staffId: staff.risk.id }, "同一 IP 注册"));
    await run(at(9), (ctx) => recordRiskEvent(ctx, "shared_ip", [id], [id], { test: "r2a" }));
    await run(at(9), (ctx) => recordRiskEvent(ctx, "large_first_order", [id], [id], { test: "r2b" }));
    await run(at(9), (ctx) => reviewMember(ctx, id, "reject", { staffId: staff.risk.id }, "大额首单"));
    await run(at(10), (ctx) => recordRiskEvent(ctx, "shared_address", [id], [id], { test: "r3" }));
    await run(at(10), (ctx) => reviewMember(ctx, id, "reject", { staffId: staff.risk.id }, "收货地址相同"));
    const row = (await frozenList({ member: `#${id}` })).items[0];
    expect(row).toMatchObject({ id, by: "review", frozenAt: at(10), rejectionCount: 3, rules: ["shared_ip", "large_first_order", "shared_address"] });
  });
});
