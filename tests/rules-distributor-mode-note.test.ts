// The rules page says what a change of 分销资格 does to members already in the shop before it is saved (SPEC §4:
// once a distributor, always one; decided at each payment, never back-dated); no note when who may earn is unchanged.
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { distributorModeNote } from "@/app/merchant/rules/distributor-mode";

const everyone = { distributorMode: "everyone" as const, distributorMinSpendFen: 0 };
const firstOrder = { distributorMode: "first_order" as const, distributorMinSpendFen: 0 };
const spend300 = { distributorMode: "spend" as const, distributorMinSpendFen: 30_000 };

describe("the 分销资格 change note", () => {
  it("is absent while the saved rule stands (a threshold ignored outside spend mode included)", () => {
    expect(distributorModeNote(everyone, everyone)).toBeNull();
    expect(distributorModeNote(spend300, { ...spend300 })).toBeNull();
    expect(distributorModeNote(firstOrder, { ...firstOrder, distributorMinSpendFen: 500 })).toBeNull();
    expect(distributorModeNote(undefined, spend300)).toBeNull();
    expect(distributorModeNote(spend300, { distributorMode: undefined, distributorMinSpendFen: 30_000 })).toBeNull();
  });

  it("warns that every member, existing ones included, becomes a distributor for good", () => {
    expect(distributorModeNote(spend300, everyone)).toBe("rules.c.modeNote.toEveryone");
    expect(distributorModeNote(firstOrder, everyone)).toBe("rules.c.modeNote.toEveryone");
  });

  it("leaving 所有会员 keeps those who were distributors then; any other change is judged at the next payment", () => {
    expect(distributorModeNote(everyone, spend300)).toBe("rules.c.modeNote.fromEveryone");
    expect(distributorModeNote(everyone, firstOrder)).toBe("rules.c.modeNote.fromEveryone");
    expect(distributorModeNote(firstOrder, spend300)).toBe("rules.c.modeNote.change");
    expect(distributorModeNote(spend300, { ...spend300, distributorMinSpendFen: 20_000 })).toBe("rules.c.modeNote.change");
  });

  it("reads in the merchant's language", () => {
    const zh = createT("zh-CN", MESSAGES["zh-CN"]);
    const en = createT("en", MESSAGES.en);
    expect(zh("rules.c.modeNote.toEveryone")).toContain("包括现有会员");
    expect(zh("rules.c.modeNote.change")).toContain("下一笔付款");
    expect(en("rules.c.modeNote.toEveryone")).toContain("existing ones included");
    expect(en("rules.c.modeNote.fromEveryone")).not.toMatch(/\p{Script=Han}/u);
  });
});
