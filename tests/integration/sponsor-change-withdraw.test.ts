// A sponsor change request can be withdrawn (撤回) by its requester while it waits for approval (review F5):
// the requester may not decide their own request (four eyes), and one open request per member would otherwise
// block a corrected one for ever — in a one-owner shop an owner's own request had nobody to decide it.
// The withdrawal is audited; nothing moves; another member of staff rejects instead, and a decided request
// stays decided. Runs on PGlite, and on PostgreSQL with FM_TEST_DB=postgres.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { decideSponsorChange, listSponsorChanges, requestSponsorChange, withdrawSponsorChange } from "../../server/members/sponsor-change";
import { freshDatabase } from "../helpers/db";

const NOW = new Date("2026-03-10T02:00:00Z");
const LATER = new Date("2026-03-10T03:00:00Z");
const requester = { staffId: 101, requestId: "req-1" };
const other = { staffId: 202, requestId: "req-2" };
const config = parseConfig({});

let database: Database;
let root: number;
let a: number;
let b: number;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2], now = NOW) => inTx(database.prisma, { config, now }, fn);
const reg = async (username: string, sponsorId: number | null) =>
  (await run((c) => registerMember(c, { username, sponsorId, ip: `10.${username.length}.${username.charCodeAt(0)}.1`, device: `dev-${username}` }))).id;
const ask = (to: number) => run((c) => requestSponsorChange(c, { memberId: a, to, reason: "客户申请改绑" }, requester));
const code = (p: Promise<unknown>) => p.then(() => "done", (e: unknown) => (e instanceof DomainError ? e.code : Promise.reject(e)));

beforeEach(async () => {
  database = await freshDatabase();
  root = await reg("root", null);
  a = await reg("a", root);
  b = await reg("b", null);
});
afterEach(() => database.close());

describe("withdrawing a sponsor change request", () => {
  it("the requester withdraws their PENDING request: WITHDRAWN, audited, nothing moved, no longer open", async () => {
    const { id } = await ask(b);
    expect(await run((c) => withdrawSponsorChange(c, id, null, requester), LATER)).toEqual({ id, status: "WITHDRAWN" });
    const req = await database.prisma.sponsorChangeRequest.findUniqueOrThrow({ where: { id } });
    expect(req).toMatchObject({ status: "WITHDRAWN", decidedById: requester.staffId, decidedAt: LATER });
    const entry = await database.prisma.auditLog.findFirstOrThrow({ where: { action: "member.sponsor_change_withdrawn" } });
    expect(entry).toMatchObject({
      actorType: "staff",
      actorId: requester.staffId,
      target: `member:${a}`,
      before: { status: "PENDING" },
      after: { status: "WITHDRAWN" },
      data: { changeRequestId: id, fromSponsorId: root, toSponsorId: b },
      requestId: "req-1",
      createdAt: LATER,
    });
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: a } })).sponsorId).toBe(root);
    expect(await listSponsorChanges(database.prisma, { open: true })).toEqual([]);
    expect((await listSponsorChanges(database.prisma, { memberId: a })).map((r) => r.status)).toEqual(["WITHDRAWN"]);
  });

  it("frees the member for a corrected request", async () => {
    const { id } = await ask(b);
    const c2 = await reg("c2", null);
    expect(await code(ask(c2))).toBe("CHANGE_ALREADY_OPEN");
    await run((c) => withdrawSponsorChange(c, id, "填错了新上级", requester));
    const second = await ask(c2);
    expect(second.id).not.toBe(id);
    expect((await database.prisma.auditLog.findFirstOrThrow({ where: { action: "member.sponsor_change_withdrawn" } })).data).toMatchObject({ note: "填错了新上级" });
  });

  it("only the requester: another member of staff is refused and the request still waits", async () => {
    const { id } = await ask(b);
    expect(await code(run((c) => withdrawSponsorChange(c, id, null, other)))).toBe("NOT_REQUESTER");
    expect((await database.prisma.sponsorChangeRequest.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING");
    expect(await database.prisma.auditLog.count({ where: { action: "member.sponsor_change_withdrawn" } })).toBe(0);
  });

  it("a decided request cannot be withdrawn, and a withdrawn one cannot be decided", async () => {
    const rejected = await ask(b);
    await run((c) => decideSponsorChange(c, rejected.id, false, "资料不全", other));
    expect(await code(run((c) => withdrawSponsorChange(c, rejected.id, null, requester)))).toBe("CHANGE_NOT_PENDING");
    const withdrawn = await ask(b);
    await run((c) => withdrawSponsorChange(c, withdrawn.id, null, requester));
    expect(await code(run((c) => decideSponsorChange(c, withdrawn.id, true, null, other)))).toBe("CHANGE_NOT_PENDING");
    expect(await code(run((c) => withdrawSponsorChange(c, withdrawn.id, null, requester)))).toBe("CHANGE_NOT_PENDING");
    expect(await code(run((c) => withdrawSponsorChange(c, 999_999, null, requester)))).toBe("CHANGE_NOT_FOUND");
    expect((await database.prisma.member.findUniqueOrThrow({ where: { id: a } })).sponsorId).toBe(root);
    expect(await database.prisma.auditLog.count({ where: { action: "member.sponsor_change_withdrawn" } })).toBe(1);
  });
});
