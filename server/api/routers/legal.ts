import { z } from "zod";
import { id, text } from "@/server/validation";
import { createTRPCRouter, publicProcedure, staffProcedure } from "@/server/api/trpc";
import { appNow } from "@/server/clock/app-clock";
import { AREA_ROLES } from "@/server/staff/roles";
import { LOCALES } from "@/lib/i18n/core";
import { currentLegalVersions, LEGAL_KINDS, legalDocument, legalOverview, MAX_LEGAL_CHARS, saveLegalDocument } from "@/server/legal/documents";

/** Shoppers (signed in or not): the 用户协议 and 隐私政策 in force. */
export const legalRouter = createTRPCRouter({
  /** The version numbers the login page's consent names. */
  versions: publicProcedure.query(({ ctx }) => currentLegalVersions(ctx.db)),
  document: publicProcedure
    .input(z.object({ kind: z.enum(LEGAL_KINDS), locale: z.enum(LOCALES) }))
    .query(({ ctx, input }) => legalDocument(ctx.db, input.kind, input.locale)),
});

/** Back office: the owner edits both documents, each language on its own (shop settings: AREA_ROLES.rulesWrite). */
export const merchantLegalRouter = createTRPCRouter({
  overview: staffProcedure(...AREA_ROLES.rulesWrite).query(({ ctx }) => legalOverview(ctx.db)),
  save: staffProcedure(...AREA_ROLES.rulesWrite)
    .input(z.object({ kind: z.enum(LEGAL_KINDS), locale: z.enum(LOCALES).default("zh-CN"), body: text(MAX_LEGAL_CHARS * 2), baseVersion: id() }))
    .mutation(({ ctx, input }) => saveLegalDocument(ctx.db, ctx.actor, input, appNow())),
});
