// Stopping a member's distributor status had four names (found in a browser walk): the button 停用分销资格, the audit
// action 取消分销资格, the audit fact 分销资格暂停时间, the shopper notice 分销资格已暂停. Decided: the acts are
// 停用分销资格 / 恢复分销资格 and the state 分销资格已停用; the audit log uses the member page's words for the acts.
import { describe, expect, it } from "vitest";
import { auditActionLabel, auditFieldLabel } from "../server/audit/display";
import { createT } from "../lib/i18n/core";
import { MESSAGES } from "../lib/i18n/messages";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("the audit log's words for a member's distributor status", () => {
  it("names the acts as the member page's buttons do", () => {
    expect(auditActionLabel(zh, "member.distributor_disabled")).toBe("停用分销资格");
    expect(auditActionLabel(zh, "member.distributor_enabled")).toBe("恢复分销资格");
    expect(auditActionLabel(zh, "member.distributor_disabled")).toBe(zh("mm.distributor.disable"));
    expect(auditActionLabel(zh, "member.distributor_enabled")).toBe(zh("mm.distributor.enable"));
  });

  it("names the fact by the state's word 停用, never 暂停 or 取消", () => {
    expect(auditFieldLabel(zh, "distributorDisabledAt")).toBe("分销资格停用时间");
    for (const t of [zh, en]) {
      const words = [auditActionLabel(t, "member.distributor_disabled"), auditActionLabel(t, "member.distributor_enabled"), auditFieldLabel(t, "distributorDisabledAt")].join(" ");
      expect(words).not.toMatch(/暂停|取消|suspend|remov|rights/i);
    }
  });
});
