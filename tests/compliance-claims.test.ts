// The compliance guard's earnings-claim check (issue 11): a negation excuses a claim only as a plain disclaimer,
// never as a double negative or a rhetorical question (both promise the earnings), and blank letters cannot split a claim.
import { describe, expect, it } from "vitest";
import { DEFAULT_FORBIDDEN_CLAIMS, forbiddenClaimsIn, forbiddenClaimsMessage } from "../server/rules/compliance";

describe("forbidden earnings claims", () => {
  it("a double negative, a rhetorical question or a 都难/莫属 ending promises the earnings: refused", () => {
    for (const [text, word] of [
      ["想不稳赚都难", "稳赚"], // 都难: it is hard NOT to earn
      ["想不稳赚都难！", "稳赚"],
      ["让你不躺赚都难", "躺赚"],
      ["不可能不稳赚", "稳赚"], // 不可能 earlier in the clause
      ["谁说不能躺赚？", "躺赚"], // 谁说 and the question mark
      ["谁说不能躺赚", "躺赚"],
      ["不能躺赚？", "躺赚"], // asked, not stated
      ["没有人不稳赚", "稳赚"], // 没有人 earlier in the clause
      ["无一不稳赚", "稳赚"],
      ["非躺赚莫属", "躺赚"], // 莫属: it can only be
      ["怎能不稳赚", "稳赚"],
      ["怎么能不稳赚", "稳赚"],
      ["哪有不日赚的", "日赚"],
      ["不愁不日赚", "日赚"],
      ["非稳赚不可", "稳赚"], // 非…不可: must be
      ["不稳赚才怪", "稳赚"],
      ["推广有风险，想不稳赚都难", "稳赚"], // the clause with the claim decides, not the first one
      ["怎么可能不保本", "保本"],
      ["豈不是躺賺", "躺赚"], // Traditional rhetoric folds like the claims
      ["誰說不能躺賺", "躺赚"],
      ["想不穩賺都難", "稳赚"],
    ]) {
      expect(forbiddenClaimsIn(text, DEFAULT_FORBIDDEN_CLAIMS), text).toEqual([word]);
    }
  });

  it("a plain disclaimer, its negation directly before the claim, is still accepted", () => {
    for (const text of [
      "本活动不保证收益",
      "佣金非稳赚",
      "推广有风险，不承诺零风险",
      "收益不是躺赚来的",
      "我们不承诺月入过万",
      // A question or an earlier negation in another clause changes nothing here.
      "谁说推广容易？佣金非稳赚",
      "没有捷径，收益不是躺赚来的",
    ]) {
      expect(forbiddenClaimsIn(text, DEFAULT_FORBIDDEN_CLAIMS), text).toEqual([]);
    }
  });

  it("the refusal names the phrase as before", () => {
    expect(forbiddenClaimsMessage(forbiddenClaimsIn("想不稳赚都难", DEFAULT_FORBIDDEN_CLAIMS))).toBe("含有禁用的收益承诺用语：“稳赚”");
  });

  it("a Hangul filler (a letter that displays blank) cannot split a claim, nor can a default-ignorable character", () => {
    for (const f of ["\u115f", "\u1160", "\u3164", "\uffa0", "\u034f", "\u{e0100}"]) {
      expect(forbiddenClaimsIn(`稳${f}赚`, []), f.codePointAt(0)!.toString(16)).toEqual(["稳赚"]);
    }
    expect(forbiddenClaimsIn("月入\u3164过万", DEFAULT_FORBIDDEN_CLAIMS)).toEqual(["月入过万"]);
    // Ignored, not a break: a disclaimer with a filler in it stays a disclaimer.
    expect(forbiddenClaimsIn("不\u3164保证收益", [])).toEqual([]);
  });
});
