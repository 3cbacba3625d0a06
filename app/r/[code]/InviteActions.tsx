// The landing page's steps and call to action. A visitor is asked to accept the invitation and sign up; a
// signed-in member (back here after signing up, ?joined=1, or opening a friend's link later) is shown what
// to do next instead: the shared product, or the mall, and inviting friends of their own; the sharer on their
// own link, sharing it. Only requests with a session cookie render a member's version: those bypass the shared
// page cache (server/page-cache.ts), whose anonymous copy never depends on a session.
import Link from "next/link";
import type { Translator } from "@/lib/i18n/core";

export function InviteSteps({ t, n, member, credit }: { t: Translator; n: number; member: boolean; credit: boolean }) {
  // Balanced lines that wrap only at spaces and the copy's zero-width spaces (keep-all), never inside a word like 首单.
  return (
    <ol className="mt-4 grid grid-cols-3 gap-2 text-center text-xs text-balance break-keep text-neutral-600" data-testid="landing-steps">
      <li className="rounded-xl bg-rose-50 p-2">
        <div className="text-lg font-bold text-rose-600">1</div>
        {member ? t("landing.step1Member") : t("landing.step1")}
      </li>
      <li className="rounded-xl bg-rose-50 p-2">
        <div className="text-lg font-bold text-rose-600">2</div>
        {t("landing.step2", { n })}
      </li>
      <li className="rounded-xl bg-rose-50 p-2">
        <div className="text-lg font-bold text-rose-600">3</div>
        {credit ? t("landing.step3Credit") : t("landing.step3")}
      </li>
    </ol>
  );
}

// At least 48 px high, growing with a label that wraps (English on a 320 px phone) instead of overflowing.
const PRIMARY = "mt-5 flex min-h-12 items-center justify-center rounded-full bg-gradient-to-r from-orange-700 to-rose-700 px-5 py-2 text-center text-base font-semibold leading-snug text-balance text-white";
// A text link's tap target: 44 px high.
const SECONDARY = "mt-1 flex min-h-11 items-center justify-center text-center text-sm text-neutral-500";

/** Who is looking: an anonymous visitor, a member, or the sharer on their own link. */
export type LandingViewer = "visitor" | "member" | "own";

export function InviteActions({ t, viewer, campaign, product, returnTo }: { t: Translator; viewer: LandingViewer; campaign: boolean; product: { id: number } | null; returnTo: string }) {
  const browse = product ? `/product/${product.id}` : "/";
  if (viewer === "own") {
    return (
      <>
        <Link prefetch={false} href="/promote" className={PRIMARY} data-testid="own-share">
          {t("landing.ownShare")}
        </Link>
        <Link prefetch={false} href={browse} className={SECONDARY} data-testid="landing-next">
          {product ? t("landing.seeProduct") : t("landing.browseShop")}
        </Link>
      </>
    );
  }
  if (viewer === "member") {
    return (
      <>
        <Link prefetch={false} href={browse} className={PRIMARY} data-testid="landing-next">
          {product ? t("landing.seeProduct") : campaign ? t("landing.shopNow") : t("landing.browseShop")}
        </Link>
        <Link prefetch={false} href="/promote" className={SECONDARY}>
          {t("landing.invite")}
        </Link>
      </>
    );
  }
  return (
    <>
      <Link prefetch={false} href={`/login?callbackUrl=${encodeURIComponent(returnTo)}`} className={PRIMARY} data-testid="accept-invite">
        {product ? t("landing.acceptProduct") : t("landing.accept")}
      </Link>
      <Link prefetch={false} href="/" className={SECONDARY} data-testid="landing-browse">
        {t("landing.browse")}
      </Link>
    </>
  );
}
