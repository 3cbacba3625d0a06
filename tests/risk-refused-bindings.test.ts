// Found in a back-office walk: the risk queue's rule filter offered 自己邀请自己 and 与上级同一设备, but those rules refuse
// the binding and flag nobody (SPEC §8), so the filter always came back empty, and the risk role (403 on member pages)
// could see a refused binding nowhere. The filter offers only the rules that flag (FLAG_RULES), and 绑定被拒
// (merchantRisk.refusedBindings) lists the refused sign-ups, newest first, a keyset page at a time, each member by name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { FLAG_RULES } from "../server/risk/view";
import { freshDatabase } from "./helpers/db";
import { refusal, signedInStaff } from "./helpers/caller";

const config = parseConfig({});
const t0 = new Date("2026-12-01T02:00:00Z");
let database: Database;
let risk: Awaited<ReturnType<typeof signedInStaff>>;
let finance: Awaited<ReturnType<typeof signedInStaff>>;
const id: Record<string, number> = {};
let minute = 0;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: new Date(t0.getTime() + ++minute * 60_000) }, fn);

beforeAll(async () => {
  database = await freshDatabase();
  risk = await signedInStaff(database.prisma, "risk");
  finance = await signedInStaff(database.prisma, "finance");
  id.sponsor = (await run((ctx) => registerMember(ctx, { username: "sponsor", nickname: "老张", ip: "10.1.0.1", device: "dev-sponsor" }))).id;
  // Signed up with their own code: refused, flags nobody.
  id.self = (await run((ctx) => registerMember(ctx, { username: "self", nickname: "自荐", sponsorIsSelf: true, ip: "10.1.0.2", device: "dev-self" }))).id;
  // On the sponsor's device: refused, flags nobody.
  id.device = (await run((ctx) => registerMember(ctx, { username: "device", nickname: "同机", sponsorId: id.sponsor, ip: "10.1.0.3", device: "dev-sponsor" }))).id;
  // From the sponsor's sign-up IP: bound, and flagged (shared_ip), so in the queue, not in 绑定被拒.
  id.ip = (await run((ctx) => registerMember(ctx, { username: "ip", nickname: "同网", sponsorId: id.sponsor, ip: "10.1.0.1", device: "dev-ip" }))).id;
});
afterAll(() => database.close());

describe("refused bindings", () => {
  it("the queue's filter offers only the rules that flag a member", () => {
    expect(FLAG_RULES).toEqual(["shared_ip", "ip_burst", "shared_address", "large_first_order", "refund_abuse", "returning_phone"]);
  });

  it("are listed for the risk role, newest first, with the members involved; a flagged sign-up is not", async () => {
    const page = await risk.caller.merchantRisk.refusedBindings({});
    expect(page.items.map((e) => [e.rule, e.members.map((m) => [m.id, m.name])])).toEqual([
      ["shared_device", [[id.sponsor, "老张"], [id.device, "同机"]]],
      ["self_referral", [[id.self, "自荐"]]],
    ]);
    expect(page.items[0]!.evidence).toEqual({ device: "dev-sponsor" });
    expect(page.next).toBeNull();
    expect((await risk.caller.merchantRisk.queue({})).items.map((m) => m.id)).toEqual([id.ip]);
  });

  it("pages by keyset", async () => {
    const first = await risk.caller.merchantRisk.refusedBindings({ pageSize: 1 });
    expect(first.items.map((e) => e.rule)).toEqual(["shared_device"]);
    expect(first.next).toBe(first.items[0]!.id);
    const second = await risk.caller.merchantRisk.refusedBindings({ pageSize: 1, after: first.next! });
    expect(second.items.map((e) => e.rule)).toEqual(["self_referral"]);
    expect(second.next).toBeNull();
  });

  it("are the risk area's: finance is refused", async () => {
    expect((await refusal(finance.caller.merchantRisk.refusedBindings({}))).code).toBe("FORBIDDEN");
  });
});
