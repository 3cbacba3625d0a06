// Account deletion as the deletion page submits it: with the forfeit totals the page shows at that moment.
import type { Ctx } from "../../server/context";
import { deleteMemberAccount, deletionPreview } from "../../server/members/deletion";

/** deleteMemberAccount with the forfeit the page would show now, ticked as accepted or not. */
export async function deleteAsShown(ctx: Ctx, memberId: number, acceptForfeit: boolean) {
  const { forfeit } = await deletionPreview(ctx, memberId);
  return deleteMemberAccount(ctx, memberId, { acceptForfeit, shown: forfeit });
}
