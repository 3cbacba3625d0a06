// The account page states the staff password rules before a save (they showed only as a refusal after one), with the
// numbers passwordProblem enforces: at least 10 characters, not the username, at least 5 different characters.
import { describe, expect, it } from "vitest";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { PASSWORD_MIN, PASSWORD_MIN_DISTINCT } from "@/server/staff/password-rules";
import { passwordProblem } from "@/server/staff/password";

describe("the staff password rules as stated and as checked", () => {
  it("reads in the staff member's language with the rule's numbers", () => {
    const vars = { min: PASSWORD_MIN, distinct: PASSWORD_MIN_DISTINCT };
    expect(createT("zh-CN", MESSAGES["zh-CN"])("m.account.pwRules", vars)).toBe("至少 10 位，不能包含用户名，至少含 5 个不同的字符");
    expect(createT("en", MESSAGES.en)("m.account.pwRules", vars)).toBe("At least 10 characters, not containing your username, with at least 5 different characters");
  });

  it("is what the check refuses and accepts", () => {
    expect(passwordProblem("abcdefghi", "wang")).toBe("密码至少 10 位");
    expect(passwordProblem("xxwangxx12", "wang")).toBe("密码不能包含用户名");
    expect(passwordProblem("abcdabcdab", "wang")).toBe("密码过于简单"); // 4 different characters
    expect(passwordProblem("abcdeabcde", "wang")).toBeNull(); // 5
  });
});
