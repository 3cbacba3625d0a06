"use client";

// 分享赚: the product poster (drawn by /promote/poster?product=ID with the sharer's QR code), save it,
// or copy the share link.
import { CopyButton } from "@/app/promote/CopyButton";
import { formatFen } from "@/components/money";
import { Sheet } from "@/components/Sheet";
import { useT } from "@/lib/i18n/client";

export function ShareSheet({ productId, link, earnFen, onClose }: { productId: number; link: string; earnFen: number; onClose: () => void }) {
  const t = useT();
  const poster = `/promote/poster?product=${productId}`;
  return (
    <Sheet labelledBy="share-sheet-title" onClose={onClose}>
      <div className="mx-auto w-full max-w-md rounded-t-2xl bg-white p-4 pb-[max(1rem,env(safe-area-inset-bottom))]">
        <div className="flex items-center justify-between">
          <h2 id="share-sheet-title" className="text-base font-semibold">{t("product.shareTitle")}</h2>
          <button type="button" className="px-1 text-xl leading-none text-neutral-400" aria-label={t("common.cancel")} onClick={onClose}>
            ×
          </button>
        </div>
        {earnFen > 0 ? <p className="mt-1 text-xs text-neutral-500">{t("product.shareHint", { amount: formatFen(earnFen) })}</p> : null}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={poster} alt={t("promote.poster.alt")} className="mx-auto mt-3 max-h-[50vh] rounded-lg border border-neutral-100" data-testid="share-poster" />
        <div className="mt-2 break-all rounded-lg bg-neutral-50 px-3 py-2 text-xs text-neutral-600" data-testid="share-sheet-link">
          {link}
        </div>
        <div className="mt-3 flex gap-2">
          <a href={poster} download={t("promote.poster.fileName")} className="flex-1 rounded-full bg-rose-600 py-2 text-center text-sm text-white">
            {t("promote.poster.save")}
          </a>
          <CopyButton text={link} className="flex-1 rounded-full border border-rose-500 py-2 text-sm text-rose-600" />
        </div>
      </div>
    </Sheet>
  );
}
