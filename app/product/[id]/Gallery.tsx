"use client";

// Swipeable product pictures (CSS scroll snap: the browser's own touch scrolling) with thumbnails.
// `focus` scrolls to a picture (the chosen SKU's).
import { useEffect, useRef, useState } from "react";
import { ProductImage } from "@/components/ProductImage";
import { thumbnailUrl } from "@/server/storage/urls";
import { useT } from "@/lib/i18n/client";

export function Gallery({ images, name, focus }: { images: string[]; name: string; focus: number | null }) {
  const t = useT();
  const track = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(0);

  function go(i: number) {
    const el = track.current;
    if (el) el.scrollTo({ left: i * el.clientWidth, behavior: "smooth" });
    setCurrent(i);
  }
  // Scrolling fires onScroll, which moves the counter and thumbnails along.
  useEffect(() => {
    const el = track.current;
    if (el && focus !== null && focus >= 0) el.scrollTo({ left: focus * el.clientWidth, behavior: "smooth" });
  }, [focus]);

  if (images.length === 0) return <ProductImage src={null} name={name} />;
  return (
    <div className="bg-white" data-testid="gallery">
      <div className="relative">
        <div
          ref={track}
          className="flex snap-x snap-mandatory overflow-x-auto [scrollbar-width:none]"
          onScroll={(e) => {
            const el = e.currentTarget;
            setCurrent(Math.round(el.scrollLeft / Math.max(el.clientWidth, 1)));
          }}
          data-testid="gallery-track"
        >
          {images.map((u, i) => (
            <div key={u} className="w-full shrink-0 snap-center" aria-hidden={i !== current}>
              <ProductImage src={u} name={i === 0 ? name : t("product.gallery", { i: i + 1, n: images.length })} priority={i === 0} />
            </div>
          ))}
        </div>
        {images.length > 1 ? (
          <span className="absolute bottom-2 right-3 rounded-full bg-black/40 px-2 py-0.5 text-xs tabular-nums text-white" data-testid="gallery-counter">
            {current + 1}/{images.length}
          </span>
        ) : null}
      </div>
      {images.length > 1 ? (
        <div className="flex gap-2 overflow-x-auto px-3 py-2 [scrollbar-width:none]">
          {images.map((u, i) => (
            <button
              key={u}
              type="button"
              aria-label={t("product.gallery", { i: i + 1, n: images.length })}
              aria-current={i === current}
              onClick={() => go(i)}
              className={`w-12 shrink-0 overflow-hidden rounded-md border-2 ${i === current ? "border-rose-500" : "border-transparent opacity-70"}`}
            >
              <ProductImage src={thumbnailUrl(u)} name="" />
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
