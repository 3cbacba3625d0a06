// The matrix card on the promotion page (and the matrix commission tree on the rules page) is named by the shop's
// configured width (SPEC §3 matrix.width, 2–10; no depth is configured): 三三 / 3×3 only at width 3, else "<w> 宽矩阵".
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT } from "@/lib/i18n/core";
import { matrixTreeLabel } from "@/app/merchant/rules/setting-labels";
import { matrixTitle } from "@/app/promote/tier-text";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("the matrix's name follows its width", () => {
  it("the promotion page's matrix card: 三三 / 3×3 at width 3, the width otherwise (zh and en)", () => {
    expect(matrixTitle(zh, 3)).toBe("三三矩阵（自动滑落）");
    expect(matrixTitle(en, 3)).toBe("3×3 matrix (auto spillover)");
    expect(matrixTitle(zh, 2)).toBe("2 宽矩阵（自动滑落）");
    expect(matrixTitle(zh, 4)).toBe("4 宽矩阵（自动滑落）");
    expect(matrixTitle(en, 4)).toBe("4-wide matrix (auto spillover)");
  });

  it("the rules page's matrix commission tree option", () => {
    expect(matrixTreeLabel(zh, 3)).toBe("三三复制矩阵");
    expect(matrixTreeLabel(en, 3)).toBe("3×3 matrix");
    expect(matrixTreeLabel(zh, 2)).toBe("2 宽矩阵");
    expect(matrixTreeLabel(en, 5)).toBe("5-wide matrix");
  });
});
