// The landing page's steps and call to action. A visitor is asked to accept the invitation and sign up; a
// signed-in member (back here after signing up, ?joined=1, or opening a friend's link later) is shown what
// to do next instead: the shared product, or the mall, and inviting friends of their own. Only requests
// with a session cookie render the member's version: those bypass the shared page cache (server/page-cache.ts),
// whose anonymous copy never depends on a session.
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

const PRIMARY = "mt-5 flex h-12 items-center justify-center rounded-full bg-gradient-to-r from-orange-700 to-rose-700 text-base font-semibold text-white";

export function InviteActions({ t, member, product, returnTo }: { t: Translator; member: boolean; product: { id: number } | null; returnTo: string }) {
  if (member) {
    return (
      <>
        <Link prefetch={false} href={product ? `/product/${product.id}` : "/"} className={PRIMARY} data-testid="landing-next">
          {product ? t("landing.seeProduct") : t("landing.shopNow")}
        </Link>
        <Link prefetch={false} href="/promote" className="mt-2 block text-center text-sm text-neutral-500">
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
      <Link prefetch={false} href="/" className="mt-2 block text-center text-sm text-neutral-500">
        {t("landing.browse")}
      </Link>
    </>
  );
}
