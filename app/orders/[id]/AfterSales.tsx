"use client";

// 售后 on the shopper's order: the refund request form (reason + details; the same zod schema as the
// tRPC input) and the requests with their status and the merchant's reason.
import { useForm } from "react-hook-form";
import { formatDateTime } from "@/lib/format-date";
import { useTimeZone } from "@/lib/time-zone";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type Dispatch, type SetStateAction } from "react";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { refundReasonsFor } from "@/server/aftersales/constants";
import { refundRequestInput, type RefundRequestForm } from "@/server/aftersales/schema";
import type { RouterOutputs } from "@/trpc/react";
import { PhotoThumbs } from "@/components/PhotoThumbs";
import { thumbnailUrl } from "@/server/storage/urls";
import { MAX_PHOTOS } from "@/server/aftersales/constants";
import { uploadPicture } from "@/components/upload-picture";
import { Sheet } from "@/components/Sheet";

type AfterSalesView = RouterOutputs["order"]["afterSales"];

export function AfterSalesRequests({ view }: { view: AfterSalesView }) {
  const t = useT();
  const timeZone = useTimeZone();
  const when = (d: Date) => formatDateTime(d, { timeZone });
  if (view.requests.length === 0) return null;
  return (
    <section className="mx-3 mt-2 rounded-xl bg-white p-4 shadow-sm" data-testid="after-sales">
      <h3 className="mb-3 text-sm font-semibold">{t("afterSales.title")}</h3>
      <ul className="space-y-3">
        {view.requests.map((r) => (
          <li key={r.id} className="rounded-lg bg-neutral-50 p-3 text-xs text-neutral-600" data-testid="refund-request" data-status={r.status}>
            <div className="flex items-center justify-between">
              <span className="text-sm text-neutral-900">{t.opt(`afterSales.reason.${r.reason}`, r.reasonLabel)}</span>
              <span className={`font-medium ${r.status === "REJECTED" ? "text-rose-600" : r.status === "PENDING" ? "text-orange-600" : "text-neutral-700"}`} data-testid="refund-request-status">
                {t.opt(`afterSales.status.${r.status}`, r.statusLabel)}
              </span>
            </div>
            {r.detail ? <p className="mt-1 break-words">{r.detail}</p> : null}
            <PhotoThumbs urls={r.photos} label={t("afterSales.photos")} />
            <p className="mt-1 tabular-nums text-neutral-400">{t("afterSales.requestedAt", { date: when(r.createdAt) })}</p>
            {r.status === "PENDING" && r.dueAt ? <p className="mt-1 text-orange-600">{t("afterSales.autoAt", { date: when(r.dueAt) })}</p> : null}
            {r.status === "REJECTED" && r.rejectReason ? (
              <p className="mt-1 rounded bg-rose-50 px-2 py-1 text-rose-700" data-testid="refund-reject-reason">
                {t("afterSales.rejectReason", { reason: r.rejectReason })}
              </p>
            ) : null}
            {r.status !== "PENDING" && r.resolution ? <p className="mt-1">{t.opt(`afterSales.resolution.${r.resolution}`, r.resolution)}</p> : null}
            {r.decidedAt ? <p className="mt-1 tabular-nums text-neutral-400">{t("afterSales.decidedAt", { date: when(r.decidedAt) })}</p> : null}
          </li>
        ))}
      </ul>
      {view.canRequest && view.requests[0]?.status === "REJECTED" ? <p className="mt-2 text-xs text-neutral-400">{t("afterSales.canAgain")}</p> : null}
    </section>
  );
}

/** Bottom sheet with the request form. */
export function RefundRequestSheet({ orderId, atOnce, onClose }: { orderId: number; atOnce: boolean; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [photos, setPhotos] = useState<string[]>([]);
  // A photo on its way up: 确认退款 waits for it, or the request would go without it and nobody would notice.
  const [uploading, setUploading] = useState(false);
  const form = useForm<RefundRequestForm>({ resolver: zodResolver(refundRequestInput), defaultValues: { detail: "" } });
  const submit = useMutation(
    trpc.order.requestRefund.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.order.pathKey() });
        router.refresh();
        onClose();
      },
      onError: (e) => setError(errorText(t, e)),
    }),
  );
  const errors = form.formState.errors;
  return (
    // A tap beside the form does not close it: what was typed and uploaded would be lost.
    <Sheet labelledBy="refund-sheet-title" onClose={onClose} backdropCloses={false}>
      {/* Scrolls inside itself: on a short phone, or with the keyboard up, the title and first reasons stay reachable. */}
      <form method="post"
        className="mx-auto max-h-[90dvh] w-full max-w-md overflow-y-auto overscroll-contain rounded-t-2xl bg-white px-5 pb-[max(1rem,env(safe-area-inset-bottom))] pt-4"
        onSubmit={form.handleSubmit((v) => {
          if (uploading) return;
          setError(null);
          submit.mutate({ id: orderId, reason: v.reason, detail: v.detail || undefined, photos });
        })}
      >
        <h3 id="refund-sheet-title" className="text-center text-base font-semibold">{t("afterSales.form.title")}</h3>
        <p className="mt-2 rounded-lg bg-orange-50 px-3 py-2 text-xs leading-5 text-orange-700" data-testid="refund-mode">
          {atOnce ? t("afterSales.form.atOnce") : t("afterSales.form.review")}
        </p>
        <fieldset className="mt-3">
          <legend className="text-sm text-neutral-700">{t("afterSales.form.reason")}</legend>
          <div className="mt-2 grid grid-cols-2 gap-2">
            {refundReasonsFor(!atOnce).map((code) => (
              <label key={code} className="flex items-center gap-2 rounded-lg border border-neutral-200 px-3 py-2 text-sm has-[:checked]:border-rose-500 has-[:checked]:bg-rose-50">
                <input type="radio" value={code} {...form.register("reason")} className="accent-rose-600" />
                {t(`afterSales.reason.${code}`)}
              </label>
            ))}
          </div>
          {errors.reason ? <p className="mt-1 text-xs text-rose-600">{t("afterSales.form.choose")}</p> : null}
        </fieldset>
        <label className="mt-3 block text-sm text-neutral-700">
          {t("afterSales.form.detail")}
          <textarea
            {...form.register("detail")}
            rows={3}
            maxLength={200}
            placeholder={t("afterSales.form.detailPlaceholder")}
            className="mt-1 block w-full rounded-lg border border-neutral-200 px-3 py-2 text-sm"
          />
        </label>
        {errors.detail ? <p className="mt-1 text-xs text-rose-600">{t.locale === "zh-CN" ? errors.detail.message : t("error.DETAIL_REQUIRED")}</p> : null}
        <PhotoPicker photos={photos} onChange={setPhotos} busy={uploading} onBusy={setUploading} />
        {error ? (
          <p role="alert" className="mt-2 text-xs text-rose-600">
            {error}
          </p>
        ) : null}
        <div className="mt-4 flex gap-3">
          <button type="button" className="h-10 flex-1 rounded-full border border-neutral-300 text-sm text-neutral-700" onClick={onClose}>
            {t("afterSales.form.cancel")}
          </button>
          <button
            type="submit"
            disabled={submit.isPending || uploading}
            aria-describedby={uploading ? "refund-wait-upload" : undefined}
            className="h-10 flex-1 rounded-full bg-gradient-to-r from-orange-700 to-rose-700 text-sm font-medium text-white disabled:opacity-50"
          >
            {submit.isPending ? t("afterSales.form.submitting") : atOnce ? t("afterSales.form.submitAtOnce") : t("afterSales.form.submit")}
          </button>
        </div>
        {uploading ? (
          <p id="refund-wait-upload" className="mt-2 text-center text-xs text-amber-700" data-testid="refund-wait-upload">
            {t("afterSales.form.waitUpload")}
          </p>
        ) : null}
      </form>
    </Sheet>
  );
}

/** Picks pictures one by one; each is uploaded at once and shown as a thumbnail that can be removed. */
function PhotoPicker({
  photos,
  onChange,
  busy,
  onBusy,
}: {
  photos: string[];
  onChange: Dispatch<SetStateAction<string[]>>;
  /** An upload is under way: the form's submit waits for it (the state lives in the form). */
  busy: boolean;
  onBusy: (busy: boolean) => void;
}) {
  const t = useT();
  const [failed, setFailed] = useState<string | null>(null);
  const upload = async (file: File) => {
    onBusy(true);
    setFailed(null);
    const done = await uploadPicture(file);
    if ("error" in done) setFailed(done.error ?? t("afterSales.form.uploadFailed"));
    // Onto the list as it is now: a photo removed during the upload stays removed.
    else onChange((now) => (now.includes(done.url) ? now : [...now, done.url]));
    onBusy(false);
  };
  return (
    <div className="mt-3 text-sm text-neutral-700">
      <p>{t("afterSales.form.photos", { max: MAX_PHOTOS })}</p>
      <ul className="mt-2 flex flex-wrap gap-2">
        {photos.map((url, i) => (
          <li key={url} className="relative">
            <img src={thumbnailUrl(url) ?? url} alt="" className="h-16 w-16 rounded-lg border border-neutral-200 object-cover" data-testid="refund-photo" />
            <button
              type="button"
              aria-label={t("afterSales.form.removePhoto", { n: i + 1 })}
              className="absolute -right-1.5 -top-1.5 h-5 w-5 rounded-full bg-neutral-800 text-xs leading-5 text-white after:absolute after:-inset-2.5"
              onClick={() => onChange((now) => now.filter((p) => p !== url))}
            >
              ×
            </button>
          </li>
        ))}
        {photos.length < MAX_PHOTOS ? (
          <li>
            <label className="flex h-16 w-16 cursor-pointer flex-col items-center justify-center rounded-lg border border-dashed border-neutral-300 text-xs text-neutral-500 focus-within:ring-2 focus-within:ring-rose-600 focus-within:ring-offset-2">
              <span aria-hidden="true" className="text-lg leading-none">+</span>
              {busy ? t("afterSales.form.uploading") : t("afterSales.form.addPhoto")}
              <input
                type="file"
                accept="image/jpeg,image/png,image/webp"
                className="sr-only"
                disabled={busy}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  e.target.value = "";
                  if (file) void upload(file);
                }}
              />
            </label>
          </li>
        ) : null}
      </ul>
      {failed ? (
        <p role="alert" className="mt-1 text-xs text-rose-600">
          {failed}
        </p>
      ) : null}
    </div>
  );
}
