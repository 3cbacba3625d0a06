// The KPI dashboard's words (walker B): each figure's name says what it counts, and no definition shows developer text.
// - The payout ratio counts only rewards paid out (credited to members), while the simulator's counts rewards earned:
//   its name says 已发放 / paid out, not a bare 奖励支出比 / payout ratio.
// - No URL path pattern (/r/{code}) nor status code (MET, CONFIRMED) in any definition a merchant reads.
// - The link funnel's steps each count the period's events: its 首单 includes referred members who signed up earlier,
//   which its name, definition and a note under it say (why the third step can exceed the second).
import { describe, expect, it } from "vitest";
import { kpiZhCN } from "../lib/i18n/messages/kpi.zh-CN";
import { kpiEn } from "../lib/i18n/messages/kpi.en";

describe("the KPI page's words", () => {
  it("the payout ratio is named for what it counts: rewards paid out ÷ GMV", () => {
    expect(kpiZhCN["kpi.payoutRatio"]).toBe("已发放奖励占 GMV");
    expect(kpiEn["kpi.payoutRatio"]).toBe("Rewards paid out ÷ GMV");
    expect(kpiZhCN["kpi.payoutRatio.def"]).toContain("已产生但尚未发放的奖励（如待结算佣金、待发放返现）不计入");
    expect(kpiEn["kpi.payoutRatio.def"]).toContain("rewards earned but not yet paid out (pending commissions, cashback due) are not counted");
  });

  it("no definition shows a path or a status code", () => {
    for (const [lang, messages] of [["zh-CN", kpiZhCN], ["en", kpiEn]] as const) {
      for (const [key, text] of Object.entries(messages)) {
        if (!key.endsWith(".def")) continue;
        expect(text, `${lang} ${key}`).not.toMatch(/\/r\/|\{code\}|\b(MET|CONFIRMED|PENDING|SETTLED|ON_HOLD|PAID|VOID)\b/);
      }
    }
    expect(kpiZhCN["kpi.funnel.visits.def"]).toBe("期内会员分享的推广链接被打开的次数");
    expect(kpiEn["kpi.liab.cashback.def"]).toBe("Refer-3 cashback of tasks that have all their invitees, not yet paid at the end of the period (waiting for the orders to complete, or confirmed and due)");
  });

  it("the funnel's first orders say they include members who signed up before the period", () => {
    expect(kpiZhCN["kpi.funnel.firstOrders"]).toBe("被推荐会员首单");
    expect(kpiEn["kpi.funnel.firstOrders"]).toBe("Referred members' first orders");
    expect(kpiZhCN["kpi.funnel.firstOrders.def"]).toContain("含期前注册的会员，故可能多于「通过链接注册」");
    expect(kpiEn["kpi.funnel.firstOrders.def"]).toContain("so this can exceed sign-ups via a link");
    expect(kpiZhCN["kpi.funnel.note"]).toContain("所以可能多于注册数");
    expect(kpiEn["kpi.funnel.note"]).toContain("so they can exceed sign-ups");
  });
});
