// 分销资格已停用 at the top of the promotion centre (SPEC §4 分销资格): the shop stopped the member's distributor status.
import Link from "next/link";
import type { Translator } from "@/lib/i18n/core";

/**
 * 分销资格已停用: the shop stopped the member's distributor status. What it means (no commission, no stepped bonus while
 * stopped; SPEC §4, §7), what still works (the link binds, 推三返一 counts) and whom to ask: the 我的 page's 联系客服 card
 * when the shop filled one in.
 */
export function StoppedNotice({ t, contact }: { t: Translator; contact: boolean }) {
  return (
    <section role="status" className="mx-3 mt-3 rounded-2xl border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900" data-testid="promote-distributor-stopped">
      <h2 className="font-semibold">{t("promote.stopped.title")}</h2>
      <p className="mt-1 text-xs">{t("promote.stopped.note")}</p>
      <p className="mt-1 text-xs">{t("promote.stopped.still")}</p>
      <p className="mt-1 text-xs">
        {t("promote.stopped.contact")}
        {contact ? (
          <Link href="/me#shop-contact-title" prefetch={false} className="relative ml-1 font-medium text-rose-700 underline underline-offset-2 after:absolute after:-inset-x-1 after:-inset-y-3" data-testid="stopped-contact-link">
            {t("me.contact.title")}
          </Link>
        ) : null}
      </p>
    </section>
  );
}
