// SPEC §7: the team bonus goes to each partner, the tier whose every threshold holds, as the member stood when the month
// closed. A run late after the instant checks qualified directs and team size at the instant as it checks gmv90: rules
// in force then that raised them lower no tier until the nightly review, and what changed after the instant does not decide.
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { defaultConfig, type MallConfig } from "../../server/config/schema";
import { saveRules } from "../../server/rules";
import { registerMember } from "../../server/referral";
import { confirmPayment, createOrder, refundOrder } from "../../server/orders";
import { payMonthlyTeamBonus } from "../../server/tiers";
import { freshDatabase } from "../helpers/db";
import { teaShop } from "../helpers/shop";

const rules = (minDirects: number, minTeam: number): MallConfig => ({
  ...defaultConfig,
  rebate: { ...defaultConfig.rebate, enabled: false },
  tiers: [{ name: "member" }, { name: "partner", minDirects, minTeam }],
  teamBonusBps: 200,
});
const JOINED = "2026-01-05T10:00:00+08:00";
const BOUGHT = "2026-01-06T10:00:00+08:00";
// February closes at 1 March 00:00 (Asia/Shanghai); its run happens on 3 March, after changes made on 2 March.
const MARCH_1 = new Date("2026-03-01T00:00:00+08:00");
const MARCH_2 = "2026-03-02T10:00:00+08:00";
const LATE = new Date("2026-03-03T09:00:00+08:00");

let database: Database;
afterEach(() => database.close());

describe("team bonus run late: every partner threshold as of the month's instant", () => {
  it("pays none below a threshold raised before the instant, judged on directs and team then, not since", async () => {
    database = await freshDatabase();
    const db = database.prisma;
    await teaShop(db);
    // January: a partner needs 1 qualified direct and 1 member in the team.
    await saveRules(db, null, { config: rules(1, 1), reason: "合伙人门槛" }, new Date("2026-01-01T00:00:00+08:00"));
    const reg = async (username: string, sponsorId: number | null, when = JOINED) =>
      (await inTx(db, { now: new Date(when) }, (ctx) => registerMember(ctx, { username, sponsorId }))).id;
    const buy = async (memberId: number, when: string) => {
      const o = await inTx(db, { now: new Date(when) }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }] }));
      await inTx(db, { now: new Date(when) }, (ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
      return o.id;
    };
    // a: directs a1, a2 who buy (2 qualified directs, team 2). b: b1 buys, b2 and b3 do not (1 qualified direct,
    // team 3). c: c1, c2 buy, c3 does not (2 qualified directs, team 3).
    const [a, b, c] = [await reg("a", null), await reg("b", null), await reg("c", null)];
    const [a1, a2] = [await reg("a1", a), await reg("a2", a)];
    const [b1, b2] = [await reg("b1", b), await reg("b2", b), await reg("b3", b)];
    const [c1, c2] = [await reg("c1", c), await reg("c2", c), await reg("c3", c)];
    await buy(a1, BOUGHT);
    await buy(a2, BOUGHT);
    await buy(b1, BOUGHT);
    const c1Order = await buy(c1, BOUGHT);
    await buy(c2, BOUGHT);
    expect((await db.member.findMany({ where: { id: { in: [a, b, c] } }, orderBy: { id: "asc" } })).map((m) => m.tier)).toEqual(["partner", "partner", "partner"]);
    // Their downline's February: a 100 元, b 200 元, c 300 元 of goods completed (depth 1).
    const completedAt = new Date("2026-02-10T12:00:00+08:00");
    await db.gmvCredit.createMany({
      data: [a, b, c].map((memberId, i) => ({ memberId, orderId: 9001 + i, depth: 1, amountFen: (i + 1) * 10_000, completedAt })),
    });
    // From 20 February a partner needs 2 qualified directs and 3 in the team; no nightly review runs before the instant.
    await saveRules(db, null, { config: rules(2, 3), reason: "提高合伙人门槛" }, new Date("2026-02-20T09:00:00+08:00"));

    // 2 March, after the instant: a's team reaches 3, b's second direct buys, c1's order is refunded (c: 1 direct now).
    await reg("a3", a, MARCH_2);
    await buy(b2, MARCH_2);
    expect((await inTx(db, { now: new Date(MARCH_2) }, (ctx) => refundOrder(ctx, c1Order))).refunded).toBe(true);

    expect(await payMonthlyTeamBonus(db, { now: LATE, instant: MARCH_1 })).toBe(1);
    // At the instant: a had team 2 < 3 and b 1 qualified direct < 2: neither was a partner. c had exactly 2 directs and
    // 3 in the team (the thresholds themselves hold): 2% of 300 元 = 600 fen.
    expect(await db.teamBonus.findMany({ select: { memberId: true, month: true, baseFen: true, amountFen: true } })).toEqual([{ memberId: c, month: "2026-02", baseFen: 30_000n, amountFen: 600 }]);
    const available = await db.wallet.findMany({ where: { memberId: { in: [a, b, c] } }, orderBy: { memberId: "asc" }, select: { available: true } });
    expect(available.map((w) => Number(w.available))).toEqual([0, 0, 600]);
  });
});
