// The risk review pages speak the staff's language: the rule names of the queue's filter and badges and
// every word of a member's case come from the message files, whose zh-CN rule names are the engine's.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import { en } from "@/lib/i18n/messages/en";
import { RISK_RULES, riskRuleLabel } from "@/server/risk/view";

const ROOT = path.resolve(import.meta.dirname, "..");
type Key = keyof typeof zhCN;

describe("risk review in the staff's language", () => {
  it("names every rule in both languages, the Chinese as the engine does", () => {
    expect(RISK_RULES.length).toBeGreaterThan(0);
    for (const rule of RISK_RULES) {
      expect(zhCN[`mr.rule.${rule}` as Key], rule).toBe(riskRuleLabel(rule));
      expect(en[`mr.rule.${rule}` as Key], rule).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it("writes no Chinese into the case page or the queue's options itself", () => {
    for (const file of ["app/merchant/risk/[memberId]/RiskCase.tsx", "app/merchant/risk/format.ts", "app/merchant/risk/page.tsx", "app/merchant/risk/FrozenMembersClient.tsx"]) {
      const code = readFileSync(path.join(ROOT, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      expect(code.match(/[\u4e00-\u9fff]+/g), file).toBeNull();
    }
  });
});
