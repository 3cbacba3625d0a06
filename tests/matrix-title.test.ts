// The matrix card on the promotion page (and the matrix commission tree on the rules page) is named by the shop's
// configured width (SPEC §3 matrix.width, 2–10; no depth is configured): 三三 / 3×3 only at width 3, else "<w> 宽矩阵".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "@/lib/i18n/messages";
import { createT } from "@/lib/i18n/core";
import { matrixTreeLabel } from "@/app/merchant/rules/setting-labels";

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

describe("the matrix's name follows its width", () => {
  it("the promotion page's matrix card picks its title by team.matrixInfo.width", () => {
    const page = readFileSync(join(import.meta.dirname, "../app/promote/page.tsx"), "utf8");
    const summary = page.slice(page.indexOf('data-testid="matrix-details"'), page.indexOf("</summary>", page.indexOf('data-testid="matrix-details"')));
    expect(summary).toContain('team.matrixInfo.width === 3 ? t("promote.matrix.title") : t("promote.matrix.titleWidth", { width: team.matrixInfo.width })');
  });

  it("the card's titles: 三三 / 3×3 at width 3, the width otherwise (zh and en)", () => {
    expect(zh("promote.matrix.title")).toBe("三三矩阵（自动滑落）");
    expect(en("promote.matrix.title")).toBe("3×3 matrix (auto spillover)");
    expect(zh("promote.matrix.titleWidth", { width: 2 })).toBe("2 宽矩阵（自动滑落）");
    expect(zh("promote.matrix.titleWidth", { width: 4 })).toBe("4 宽矩阵（自动滑落）");
    expect(en("promote.matrix.titleWidth", { width: 4 })).toBe("4-wide matrix (auto spillover)");
  });

  it("the rules page's matrix commission tree option", () => {
    expect(matrixTreeLabel(zh, 3)).toBe("三三复制矩阵");
    expect(matrixTreeLabel(en, 3)).toBe("3×3 matrix");
    expect(matrixTreeLabel(zh, 2)).toBe("2 宽矩阵");
    expect(matrixTreeLabel(en, 5)).toBe("5-wide matrix");
  });
});
