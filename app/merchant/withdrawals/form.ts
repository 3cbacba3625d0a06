// The money settings form (提现手续费与调账审批): the fee rate typed in basis points, amounts typed in 元,
// read and then checked by the procedure's own schema (server/wallet/schemas.ts) in one pass, so every field
// that is wrong is reported at once, beside it and in the page's language.
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { yuanInputToFen } from "@/server/money";
import { moneySettingsSchema } from "@/server/wallet/schemas";
import { issueText } from "@/components/merchant/issue-text";

/** The form field each setting is typed in, and whether it is in fen (typed in 元). */
const FIELD = { feeBps: ["feeBps", false], feeMinFen: ["feeMin", true], adjustmentApprovalAboveFen: ["approvalAbove", true] } as const;

export function moneySettingsForm(t: Translator) {
  return z.object({ feeBps: z.string(), feeMin: z.string(), approvalAbove: z.string() }).transform((v, ctx) => {
    // A blank rate is no fee rate (0 bps).
    const typed = v.feeBps.trim();
    const bps = typed === "" ? 0 : /^\d+$/.test(typed) ? Number(typed) : null;
    if (bps === null) ctx.addIssue({ code: "custom", path: ["feeBps"], message: t("m.issue.whole") });
    const fen = (field: "feeMin" | "approvalAbove") => {
      const value = yuanInputToFen(v[field]);
      if (value === null) ctx.addIssue({ code: "custom", path: [field], message: t("mw.settings.err.amount") });
      return value;
    };
    const feeMinFen = fen("feeMin");
    const approvalAboveFen = fen("approvalAbove");
    // A value that could not be read stands in as 0 (accepted), so the others are still checked.
    const r = moneySettingsSchema.safeParse({ feeBps: bps ?? 0, feeMinFen: feeMinFen ?? 0, adjustmentApprovalAboveFen: approvalAboveFen ?? 0 });
    if (!r.success) {
      for (const issue of r.error.issues) {
        const [field, inFen] = FIELD[issue.path[0] as keyof typeof FIELD];
        ctx.addIssue({ code: "custom", path: [field], message: issueText(t, issue, { unit: inFen ? "fen" : undefined }) });
      }
    }
    return bps === null || feeMinFen === null || approvalAboveFen === null || !r.success ? z.NEVER : r.data;
  });
}
export type MoneySettingsFormIn = z.input<ReturnType<typeof moneySettingsForm>>;
export type MoneySettingsFormOut = z.output<ReturnType<typeof moneySettingsForm>>;
