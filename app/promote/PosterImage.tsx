"use client";

import { useEffect, useRef, useState } from "react";
import { useT } from "@/lib/i18n/client";

/** The poster over its placeholder; if drawing it fails, the placeholder stops pulsing and offers a retry. */
export function PosterImage({ src }: { src: string }) {
  const t = useT();
  const ref = useRef<HTMLImageElement>(null);
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  // A failure before hydration fires no onError React sees: the element tells it (complete, nothing drawn).
  useEffect(() => {
    const img = ref.current;
    if (img?.complete && img.naturalWidth === 0 && img.currentSrc) setFailed(true);
  }, []);
  const url = attempt === 0 ? src : `${src}${src.includes("?") ? "&" : "?"}retry=${attempt}`;
  return (
    <>
      <div aria-hidden={!failed} className={`absolute inset-0 flex flex-col items-center justify-center gap-2 bg-neutral-100 p-2 text-center text-xs text-neutral-600 ${failed ? "" : "motion-safe:animate-pulse"}`}>
        {failed ? (
          <>
            <span>{t("promote.poster.failed")}</span>
            <button
              type="button"
              className="rounded-full bg-white px-3 py-1.5 text-rose-600"
              onClick={() => {
                setFailed(false);
                setAttempt((n) => n + 1);
              }}
              data-testid="poster-retry"
            >
              {t("promote.poster.retry")}
            </button>
          </>
        ) : (
          t("promote.poster.generating")
        )}
      </div>
      {failed ? null : (
        // eslint-disable-next-line @next/next/no-img-element
        <img ref={ref} key={url} src={url} alt={t("promote.poster.alt")} className="absolute inset-0 h-full w-full" data-testid="poster-img" loading="lazy" onError={() => setFailed(true)} />
      )}
    </>
  );
}
