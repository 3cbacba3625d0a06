import { z } from "zod";
import { id, text } from "@/server/validation";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { appNow } from "@/server/clock/app-clock";
import { rulesOverview, ruleVersionDiff, saveRules, MAX_REASON_CHARS } from "@/server/rules";
import { AREA_ROLES } from "@/server/staff/roles";

/**
 * The rules form's submission. The config is checked by the domain's compliance guard (the same
 * config schema the form's resolver uses, plus the refusal of any fee / deposit key), so it is
 * passed through as sent: stripping unknown keys here would hide a refused setting.
 */
export const saveRulesInput = z.object({
  config: z.record(z.string(), z.unknown()),
  reason: text(MAX_REASON_CHARS * 4),
  /** The shop's wall clock of a scheduled time (datetime-local): the server reads it in the rules' time zone, not the browser's. */
  effectiveLocal: text(32).nullish(),
  /** The version the form was opened from (overview's baseVersion): only the settings changed from it are saved. */
  baseVersion: id().nullish(),
});

/** Back office: program rules (owner edits; operator reads). */
export const merchantRulesRouter = createTRPCRouter({
  overview: staffProcedure(...AREA_ROLES.rulesRead).query(({ ctx }) => rulesOverview(ctx.db, appNow())),
  diff: staffProcedure(...AREA_ROLES.rulesRead)
    .input(z.object({ version: id() }))
    .query(({ ctx, input }) => ruleVersionDiff(ctx.db, input.version)),
  save: staffProcedure(...AREA_ROLES.rulesWrite)
    .input(saveRulesInput)
    .mutation(({ ctx, input }) => saveRules(ctx.db, ctx.actor, input, appNow())),
});
