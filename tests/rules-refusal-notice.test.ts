// The rules page's line under the form when the server refuses a save (app/merchant/rules/refusal.ts):
// "correct the settings marked in red" only when some setting was refused and marked; a save that changes
// nothing (server/rules saveRuleVersion: code "unchanged", pinned in tests/rules-schedule.test.ts)
// is a notice that there is nothing to save.
import { describe, expect, it } from "vitest";
import { refusalNotice } from "@/app/merchant/rules/refusal";
import { createT } from "@/lib/i18n/core";
import { en } from "@/lib/i18n/messages/en";
import { zhCN } from "@/lib/i18n/messages/zh-CN";

const zh = createT("zh-CN", zhCN);

describe("the rules page's refusal line", () => {
  it("says an unchanged save needs no saving, without asking to correct anything marked in red", () => {
    expect(refusalNotice(zh, [{ path: "", message: "规则没有变化", code: "unchanged" }])).toEqual({ text: "规则没有变化，无需保存", info: true });
    expect(refusalNotice(createT("en", en), [{ path: "", message: "规则没有变化", code: "unchanged" }])).toEqual({ text: "Nothing has changed, so there is nothing to save", info: true });
  });

  it("asks to correct the red settings when settings were refused, with a whole-rules reason after it", () => {
    expect(refusalNotice(zh, [{ path: "commission.ratesBps", message: "合规红线：最多 3 级佣金" }])).toEqual({ text: "规则未保存，请修正标红的设置", info: false });
    expect(refusalNotice(zh, [{ path: "reason", message: "请填写修改原因" }, { path: "", message: "规则没有变化", code: "unchanged" }])).toEqual({ text: "规则未保存，请修正标红的设置：规则没有变化", info: false });
  });

  it("says another refusal of the rules as a whole as it is, whatever its wording", () => {
    expect(refusalNotice(zh, [{ path: "", message: "规则已被他人修改" }])).toEqual({ text: "规则未保存：规则已被他人修改", info: false });
    // The notice follows the code, not the words: a reworded server message keeps it, another refusal never gets it.
    expect(refusalNotice(zh, [{ path: "", message: "配置与现行版本相同", code: "unchanged" }])).toEqual({ text: "规则没有变化，无需保存", info: true });
    expect(refusalNotice(zh, [{ path: "", message: "规则没有变化" }])).toEqual({ text: "规则未保存：规则没有变化", info: false });
  });

  it("in English the red-marking request and a whole-rules reason are joined by an ASCII colon", () => {
    const { text } = refusalNotice(createT("en", en), [{ path: "reason", message: "请填写修改原因" }, { path: "", message: "规则没有变化", code: "unchanged" }]);
    expect(text).toContain(": ");
    expect(text).not.toContain("：");
  });
});
