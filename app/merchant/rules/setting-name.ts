// The names of the program's settings (and the simulator's population) for a refusal of them: "<setting>: <rule>"
// (lib/i18n/labels.ts refusalIssueText), on the rules, simulator and experiments pages.
import type { Translator } from "@/lib/i18n/core";
import { inputName } from "@/lib/i18n/labels";

/**
 * A setting's name by its dotted path (m.rules.field.*: a position is {n}, from 1, a category code {category},
 * e.g. "commission.ratesBps.0" → "Level 1 commission rate"); else the input's name (lib/i18n/labels inputName).
 */
export function settingName(t: Translator, path: string): string {
  const parts = path.split(".");
  const vars: Record<string, string | number> = {};
  const shape = parts.map((p, i) => {
    if (parts[i - 1] === "categoryRatesBps") {
      vars.category = p;
      return "category";
    }
    if (!/^\d+$/.test(p)) return p;
    vars.n ??= Number(p) + 1;
    return "n";
  });
  return t.opt(`m.rules.field.${shape.join(".")}`, inputName(t, path), vars);
}
