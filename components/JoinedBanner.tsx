// Shown once on the page a shopper returns to after "接受邀请" (?joined=1): a new member, who invited them, or
// why the invitation bound nobody (SPEC §8), never a silent refusal; a member from before, that it was for new shoppers.
import { getServerAuthSession } from "@/server/auth";
import { appNow } from "@/server/clock/app-clock";
import { getDb } from "@/server/db";
import { joinedView } from "@/server/members/profile-actions";
import { getT } from "@/lib/i18n/server";
import { getShopName } from "@/app/_lib/shop";
import { bindingRefusalText } from "@/lib/i18n/labels";
import { Avatar } from "./Avatar";

export async function JoinedBanner() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) return null;
  const [view, t, shop] = await Promise.all([getDb().then((db) => joinedView({ tx: db }, session.user.id, appNow())), getT(), getShopName()]);
  if (!view) return null;
  if (view.existing) {
    return (
      <div role="status" className="mx-3 mt-3 rounded-xl bg-neutral-100 p-3 text-sm text-neutral-700" data-testid="joined-banner">
        {t("joined.existingMember")}
      </div>
    );
  }
  if (view.sponsor) {
    const [before, after = ""] = t("joined.banner", { inviter: "\u0000", shop }).split("\u0000");
    return (
      <div role="status" className="mx-3 mt-3 flex items-center gap-2 rounded-xl bg-emerald-50 p-3 text-sm text-emerald-900" data-testid="joined-banner">
        <Avatar avatar={view.sponsor.avatar} size={28} />
        <span>
          {before}
          {/* the line may break before the masked name, never inside it (王**茶 is one word to a reader) */}
          <span className="whitespace-nowrap">{view.sponsor.name}</span>
          {after}
        </span>
      </div>
    );
  }
  return (
    <div role="status" className="mx-3 mt-3 rounded-xl bg-amber-50 p-3 text-sm leading-6 text-amber-900" data-testid="joined-banner">
      <div className="font-medium">{t("joined.bannerNoSponsor", { shop })}</div>
      {view.bindingRefusal ? <p className="mt-1 text-xs leading-5" data-testid="binding-refusal">{bindingRefusalText(t, view.bindingRefusal)}</p> : null}
    </div>
  );
}
