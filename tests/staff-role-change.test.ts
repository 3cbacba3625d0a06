// Changing a member of staff's role on /merchant/staff (app/merchant/staff/StaffAdmin.tsx) asks first: the question
// names the person, the role they have and the one they would get; granting 店主 or 财务 (everything / money)
// carries a stronger warning. Nothing is saved by choosing in the menu alone.
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { roleChangeText } from "@/app/merchant/staff/StaffAdmin";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("the confirmation of a staff role change", () => {
  it("names the person and both roles", () => {
    expect(roleChangeText(zh, { name: "运营阿强", from: "operator", to: "support" })).toEqual({
      title: "修改角色",
      body: "将 运营阿强 的角色从「运营」改为「客服」？",
      warning: null,
    });
    expect(roleChangeText(en, { name: "Qiang", from: "operator", to: "support" }).body).toBe("Change Qiang's role from Operator to Support?");
  });

  it("warns more strongly when granting 店主 (everything) or 财务 (money)", () => {
    const owner = roleChangeText(zh, { name: "运营阿强", from: "operator", to: "owner" });
    expect(owner.body).toBe("将 运营阿强 的角色从「运营」改为「店主」？");
    expect(owner.warning).toContain("全部权限");
    const finance = roleChangeText(zh, { name: "客服小美", from: "support", to: "finance" });
    expect(finance.warning).toContain("能动用资金");
    expect(roleChangeText(en, { name: "Mei", from: "support", to: "finance" }).warning).toContain("move money");
    expect(roleChangeText(en, { name: "Mei", from: "support", to: "owner" }).warning).toContain("do everything");
  });

  it("no warning for the roles that move no money", () => {
    for (const to of ["operator", "risk", "support"] as const) expect(roleChangeText(zh, { name: "甲", from: "finance", to }).warning).toBeNull();
  });
});
