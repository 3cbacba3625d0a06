// The 手工调账 request form: the amount typed in 元 with a direction, read and then checked by the
// procedure's own schema (server/wallet/schemas.ts) in one pass, so every field that is wrong is reported
// at once, on its field and in the page's language (the limits themselves come from the schema's issues).
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { formatYuan } from "@/components/money";
import { issueText } from "@/components/merchant/issue-text";
import { yuanInputToFen } from "@/server/money";
import { ADJUSTABLE_BUCKETS, adjustmentFieldsSchema } from "@/server/wallet/schemas";

type Issue = z.core.$ZodIssue;

/** The operator's words for a refusal of the request schema, by field. */
function messageOf(t: Translator, field: string, issue: Issue): string {
  const limits = issue as { minimum?: number | bigint; maximum?: number | bigint };
  if (field === "member" && issue.code === "too_small") return t("ma.form.memberRequired");
  if (field === "reason" && issue.code === "too_small") return t("ma.form.reasonMin", { min: Number(limits.minimum) });
  if (field === "amount") {
    const limit = limits.maximum ?? (limits.minimum === undefined ? undefined : -limits.minimum);
    return limit === undefined ? t("ma.form.badAmount") : t("ma.form.amountMax", { amount: formatYuan(Number(limit)) });
  }
  return issueText(t, issue);
}

export function adjustmentForm(t: Translator) {
  return z
    .object({ member: z.string(), bucket: z.enum(ADJUSTABLE_BUCKETS), direction: z.enum(["credit", "debit"]), amount: z.string(), reason: z.string() })
    .transform((v, ctx) => {
      const fen = yuanInputToFen(v.amount);
      // An amount that cannot be read is said so; 1 fen stands in for it, which the schema accepts.
      if (fen === null) ctx.addIssue({ code: "custom", path: ["amount"], message: t("ma.form.badAmount") });
      const amountFen = (v.direction === "debit" ? -1 : 1) * (fen ?? 1);
      const r = adjustmentFieldsSchema.safeParse({ member: v.member, bucket: v.bucket, amountFen, reason: v.reason });
      if (!r.success) {
        for (const issue of r.error.issues) {
          const field = issue.path[0] === "amountFen" ? "amount" : String(issue.path[0] ?? "");
          ctx.addIssue({ code: "custom", path: field ? [field] : [], message: messageOf(t, field, issue) });
        }
      }
      return fen === null || !r.success ? z.NEVER : r.data;
    });
}
export type AdjustmentFormIn = z.input<ReturnType<typeof adjustmentForm>>;
export type AdjustmentFormOut = z.output<ReturnType<typeof adjustmentForm>>;
