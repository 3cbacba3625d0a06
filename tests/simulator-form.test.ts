// The simulator form (issue 11): a decimal where the server takes a whole number, or a category given
// twice, is refused beside its own field before anything is sent; so are the domain's population ranges
// and rule set B's red lines, all in the same submit; the server's refusals land on their fields.
import { describe, expect, it } from "vitest";
import { formFieldOf, simulatorForm } from "@/app/merchant/simulator/form";
import { parseConfig } from "@/server/config/schema";
import { createT } from "@/lib/i18n/core";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { en as enMessages } from "@/lib/i18n/messages/en";
import { validSimulatorInput } from "./helpers/simulator-input";

const valid = validSimulatorInput;
const form = simulatorForm(parseConfig({}), createT("zh-CN", zhCN));
const issues = (v: object) => form.safeParse(v).error?.issues.map((i) => [i.path.join("."), i.message]) ?? [];

describe("the simulator form", () => {
  it("takes decimals where they mean something (invites, repeats, shares)", () => {
    expect(issues(valid)).toEqual([]);
  });

  it("refuses a decimal in each whole-number field, beside that field", () => {
    const decimals = { members: 1000.5, horizonDays: 30.5, seed: 1.5, rebateN: 2.5, rebatePercent: 12.5, rebateWindow: 7.5 };
    expect(issues({ ...valid, ...decimals })).toEqual(Object.keys(decimals).map((k) => [k, "请填写整数"]));
  });

  it("refuses a category given twice on the row that repeats it", () => {
    const categories = [...valid.categories, { category: "fmcg", price: "10", weight: 5 }];
    expect(issues({ ...valid, categories })).toEqual([["categories.2.category", "类目重复：fmcg"]]);
  });

  it("reports the domain's ranges together with the form's own refusals, even beside a field it cannot read", () => {
    expect(issues({ ...valid, name: "", members: 0, horizonDays: -3 })).toEqual([
      ["name", "请填写名称"],
      ["members", "会员数至少 10"],
      ["horizonDays", "模拟天数至少 7 天"],
    ]);
    expect(issues({ ...valid, members: Number.NaN, horizonDays: 400 })).toEqual([
      ["members", "请填写数字"],
      ["horizonDays", "模拟天数最多 365 天"],
    ]);
    // A population whose replay would be too long is refused as a whole, under the form.
    const [whole] = issues({ ...valid, members: 20_000, firstOrderPercent: 100, repeatOrders: 20 });
    expect(whole?.[0]).toBe("root");
    expect(whole?.[1]).toContain("超过上限 100000");
  });

  it("refuses more sign-ups by sharers than there are members beside the invitations, in the page's language", () => {
    // 50% × 5 = 250% of the members; 40% × 2.5 = 100% is every member, still possible.
    const zh = "分享者比例 × 每位分享者平均带来的注册数不能超过 100%（邀请来的新会员也计入会员总数）";
    expect(issues({ ...valid, sharerPercent: 50, invitesPerSharer: 5 })).toEqual([["invitesPerSharer", zh]]);
    expect(issues({ ...valid, sharerPercent: 40, invitesPerSharer: 2.5 })).toEqual([]);
    const en = simulatorForm(parseConfig({}), createT("en", enMessages)).safeParse({ ...valid, sharerPercent: 50, invitesPerSharer: 5 }).error?.issues;
    expect(en?.map((i) => [i.path.join("."), i.message])).toEqual([["invitesPerSharer", "Members who share × sign-ups per sharer may not exceed 100%: invited members count among the members too"]]);
  });

  it("checks rule set B against the red lines only when B is run, on B's rate fields", () => {
    // 60 + 30 + 20 = 110% of the sale, before the partner tier's team bonus.
    const b = { l1: "60", l2: "30", l3: "20" };
    const refused = issues({ ...valid, ...b, members: 5 });
    expect(refused.map(([path]) => path)).toEqual(["members", "l1"]);
    expect(refused[1]?.[1]).toContain("合规红线");
    expect(issues({ ...valid, ...b, compare: false })).toEqual([]);
    // A rate the form cannot read is said once, on its own field.
    expect(issues({ ...valid, l2: "abc" })).toEqual([["l2", "比例格式不对（如 10 或 2.5）"]]);
  });

  it("shows each refusal of the server on its field, a category row's on that row", () => {
    expect(formFieldOf("population.categories.2.category")).toBe("categories.2.category");
    expect(formFieldOf("population.categories.0.priceFen")).toBe("categories.0.price");
    expect(formFieldOf("population.categories")).toBe("categories");
    expect(formFieldOf("population.members")).toBe("members");
    expect(formFieldOf("rebate.percent")).toBe("rebatePercent");
    expect(formFieldOf("commission.ratesBps.1")).toBe("l1");
    // The replay-length refusal names its fields in words, under the form.
    expect(formFieldOf("population")).toBe("root");
  });
});
