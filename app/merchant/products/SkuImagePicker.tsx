"use client";

// A SKU's picture, chosen by thumbnail among the product's pictures (or none: the SKU shows the product's
// main picture). A button in the row shows the choice; it opens a panel of thumbnails below it, in the cell
// (an absolute popover would be clipped by the SKU table's horizontal scroll box).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { useT } from "@/lib/i18n/client";
import { thumbnailUrl } from "@/server/storage/urls";
import { INVALID_CLASSES } from "@/components/merchant/FieldError";

/** A picture's stored thumbnail, as the editor's gallery shows it. */
export function PictureThumb({ url, className = "" }: { url: string; className?: string }) {
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={thumbnailUrl(url) ?? url} alt="" className={`aspect-square rounded border border-neutral-200 object-cover ${className}`} />;
}

/** `value`: the SKU's imageUrl (null: none, the product's main picture); `label`: the SKU's name in the row. */
export function SkuImagePicker({
  value,
  images,
  label,
  onChange,
  invalid,
}: {
  value: string | null;
  images: string[];
  label: string;
  onChange: (url: string | null) => void;
  /** The field's marking (invalidProps): aria-invalid and its message's id. */
  invalid?: { "aria-invalid"?: true; "aria-describedby"?: string };
}) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const id = useId();
  const index = value ? images.indexOf(value) : -1;
  const choiceText = value === null ? t("mcat.edit.skuImageMain") : index >= 0 ? t("mcat.edit.skuImageN", { i: index + 1 }) : t("mcat.edit.skuImageRemoved");
  // The main picture is the gallery's first (the product's imageUrl).
  const shown = value ?? images[0] ?? null;

  // Opening moves focus to the current choice; a click outside closes without a change.
  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLButtonElement>('[aria-pressed="true"]')?.focus();
    const outside = (e: PointerEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", outside);
    return () => document.removeEventListener("pointerdown", outside);
  }, [open]);

  function choose(url: string | null) {
    onChange(url);
    setOpen(false);
    trigger.current?.focus();
  }
  /** Escape closes; the arrow keys move among the choices (Enter or Space chooses). */
  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false);
      trigger.current?.focus();
      return;
    }
    const step = e.key === "ArrowRight" || e.key === "ArrowDown" ? 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const buttons = Array.from(panel.current?.querySelectorAll<HTMLButtonElement>("button") ?? []);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    buttons[(at + step + buttons.length) % buttons.length]?.focus();
  }

  const choiceClass = (chosen: boolean) => `relative w-10 shrink-0 rounded ${chosen ? "ring-2 ring-rose-500 ring-offset-1" : "opacity-80 hover:opacity-100"} focus-visible:outline focus-visible:outline-2 focus-visible:outline-rose-600`;
  return (
    <div ref={box} className="w-56" data-testid="sku-image">
      <button
        ref={trigger}
        type="button"
        disabled={images.length === 0 && value === null}
        onClick={() => setOpen((o) => !o)}
        aria-label={`${t("mcat.edit.skuImage")} ${label}`}
        aria-invalid={invalid?.["aria-invalid"]}
        aria-describedby={[`${id}-choice`, invalid?.["aria-describedby"]].filter(Boolean).join(" ")}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        className={`flex h-12 w-full items-center gap-2 rounded border border-neutral-300 bg-white px-1.5 text-left text-xs hover:bg-neutral-50 disabled:cursor-not-allowed disabled:opacity-60 ${INVALID_CLASSES}`}
        data-testid="sku-image-button"
        data-url={value ?? ""}
      >
        {shown ? (
          <PictureThumb url={shown} className={`w-9 ${value === null ? "opacity-50" : ""}`} />
        ) : (
          <span className="flex aspect-square w-9 items-center justify-center rounded border border-dashed border-neutral-300 text-neutral-400">—</span>
        )}
        <span id={`${id}-choice`} className="flex-1 text-neutral-600">
          {images.length === 0 && value === null ? t("mcat.edit.skuImageEmpty") : choiceText}
        </span>
        <span aria-hidden className="text-neutral-400">
          ▾
        </span>
      </button>
      {open ? (
        <div
          ref={panel}
          id={`${id}-panel`}
          role="group"
          aria-label={t("mcat.edit.skuImageChoose", { label })}
          onKeyDown={onKey}
          className="mt-1 flex flex-wrap gap-2 rounded border border-neutral-200 bg-white p-2 shadow-md"
          data-testid="sku-image-choices"
        >
          <button type="button" aria-pressed={value === null} aria-label={t("mcat.edit.skuImageMain")} onClick={() => choose(null)} className={choiceClass(value === null)}>
            <span className="flex aspect-square w-10 items-center justify-center rounded border border-dashed border-neutral-300 text-[10px] leading-tight text-neutral-500">
              {t("mcat.edit.skuImageMainShort")}
            </span>
          </button>
          {images.map((u, k) => (
            <button key={u} type="button" aria-pressed={value === u} aria-label={t("mcat.edit.skuImageN", { i: k + 1 })} onClick={() => choose(u)} className={choiceClass(value === u)}>
              <PictureThumb url={u} className="w-10" />
              <span aria-hidden className="absolute bottom-0 right-0 rounded-tl bg-black/50 px-0.5 text-[9px] leading-tight text-white tabular-nums">
                {k + 1}
              </span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
