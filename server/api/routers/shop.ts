import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { appNow } from "@/server/clock/app-clock";
import { AREA_ROLES } from "@/server/staff/roles";
import { getShopProfile, saveShopProfileTx } from "@/server/shop/profile";
import { shopProfileSaveSchema } from "@/server/shop/schema";

/** Back office: every member of staff reads the 店铺资料 (AREA_ROLES.home); the owner edits it, a shop setting like the legal texts (AREA_ROLES.rulesWrite). */
export const merchantShopRouter = createTRPCRouter({
  profile: staffProcedure(...AREA_ROLES.home).query(({ ctx }) => getShopProfile(ctx.db)),
  save: staffProcedure(...AREA_ROLES.rulesWrite)
    .input(shopProfileSaveSchema)
    .mutation(({ ctx, input: { baseUpdatedAt, ...values } }) => saveShopProfileTx(ctx.db, ctx.actor, values, appNow(), { updatedAt: baseUpdatedAt })),
});
