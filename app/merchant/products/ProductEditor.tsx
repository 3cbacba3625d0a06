"use client";

// 新建 / 编辑商品: basics, pictures (uploaded through /api/merchant/uploads), Markdown description,
// option groups and the SKU matrix they generate (one row per combination: code, price in 元, stock,
// picture, chosen by thumbnail). Validated by productForm, which ends in the catalogue's own input schema.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useFieldArray, useForm, useWatch, type FieldErrors, type FieldPath } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText, refusalIssues } from "@/lib/i18n/labels";
import { FieldError, INVALID_CLASSES, invalidProps, messageAt, useFocusFirstInvalid } from "@/components/merchant/FieldError";
import { newClientKey } from "@/server/catalog/schema";
import { ConfirmDialog } from "@/components/merchant/ConfirmDialog";
import type { Translator } from "@/lib/i18n/core";
import { PictureThumb, SkuImagePicker } from "./SkuImagePicker";
import { EMPTY_PRODUCT, matrixRows, parsedGroups, productForm, removedSkus, serverIssuePath, type ProductFormOut, type ProductFormValues, type RemovedSku } from "./form";

/** One line of the warning before a save that removes SKUs: its code, options, stock and, when it has some, its orders. */
export function removedSkuText(t: Translator, r: RemovedSku): string {
  const label = r.options.length ? r.options.join(" / ") : t("mcat.edit.single");
  return t("mcat.edit.removedSku", { code: r.code, label, stock: r.stock }) + (r.orders > 0 ? t("mcat.edit.removedSkuOrders", { orders: r.orders }) : "");
}

function errorMessages(errors: FieldErrors<ProductFormValues>): string[] {
  const out: string[] = [];
  const walk = (e: unknown) => {
    if (!e || typeof e !== "object") return;
    const m = (e as { message?: unknown }).message;
    if (typeof m === "string" && m) out.push(m);
    for (const [k, v] of Object.entries(e)) if (k !== "ref" && k !== "message" && k !== "type") walk(v);
  };
  walk(errors);
  return [...new Set(out)];
}

/** `editing`: the product being edited and the version it was loaded at (null: a new product). */
export function ProductEditor({ editing, initial }: { editing: { id: number; version: string } | null; initial: ProductFormValues | null }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const categories = useQuery(trpc.merchantCatalog.categories.queryOptions());
  const [serverError, setServerError] = useState<string | null>(null);
  // Someone else saved the product since this page loaded: only a reload (their version) can be saved.
  const [stale, setStale] = useState(false);
  // Server refusals of fields (the compliance guard) so far: each moves focus to the first marked field.
  const [refusals, setRefusals] = useState(0);
  const [uploading, setUploading] = useState(false);
  // A save that would remove saved SKUs, waiting for the merchant to confirm it.
  const [removal, setRemoval] = useState<{ data: ProductFormOut; removed: RemovedSku[] } | null>(null);
  // A new product's key, one per form (a success leaves the page): a create sent again returns its product, not a second.
  const [clientKey] = useState(newClientKey);
  const fileInput = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  const schema = useMemo(() => productForm(t), [t]);
  const form = useForm<ProductFormValues, unknown, ProductFormOut>({
    resolver: zodResolver(schema),
    defaultValues: initial ?? EMPTY_PRODUCT,
    // Focus goes to the first invalid field in page order (useFocusFirstInvalid), not in registration order.
    shouldFocusError: false,
  });
  const { register, control, handleSubmit, setValue, getValues, formState } = form;
  const groups = useFieldArray({ control, name: "groups" });
  const skus = useFieldArray({ control, name: "skus" });
  const watchedGroups = useWatch({ control, name: "groups" });
  const images = useWatch({ control, name: "images" });
  const skuValues = useWatch({ control, name: "skus" });

  // Regenerate the SKU matrix when the option groups change, keeping rows that still exist.
  const groupsKey = JSON.stringify(parsedGroups(watchedGroups ?? []));
  useEffect(() => {
    const next = matrixRows(JSON.parse(groupsKey), getValues("skus"));
    const same = JSON.stringify(next.map((r) => r.options)) === JSON.stringify(getValues("skus").map((r) => r.options));
    if (!same) skus.replace(next);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [groupsKey]);

  const onSaved = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.merchantCatalog.pathKey() });
    router.push("/merchant/products");
  };
  /** A refusal naming fields marks them beside the field; the list above says to correct them. */
  const onServerError = (e: Parameters<typeof errorText>[1]) => {
    const issues = refusalIssues(t, e);
    for (const i of issues) form.setError(serverIssuePath(i.path, getValues("groups")) as FieldPath<ProductFormValues>, { type: "server", message: i.text });
    if (issues.length) setRefusals((n) => n + 1);
    setServerError(issues.length ? t("error.CATALOG_FORBIDDEN_CLAIM") : errorText(t, e));
  };
  const create = useMutation(trpc.merchantCatalog.createProduct.mutationOptions({ onSuccess: onSaved, onError: onServerError }));
  const update = useMutation(
    trpc.merchantCatalog.updateProduct.mutationOptions({
      onSuccess: onSaved,
      onError: (e) => {
        onServerError(e);
        setStale(e.data?.code === "CONFLICT");
      },
    }),
  );
  const saving = create.isPending || update.isPending;

  async function upload(files: FileList | null) {
    if (!files?.length) return;
    setUploading(true);
    setServerError(null);
    try {
      for (const file of Array.from(files)) {
        const body = new FormData();
        body.append("file", file);
        const res = await fetch("/api/merchant/uploads", { method: "POST", body });
        const json = (await res.json().catch(() => ({}))) as { url?: string; error?: string; code?: string };
        if (!res.ok || !json.url) {
          // The size is refused before the route reads the body, without a domain code (app/_lib/image-upload.ts).
          const domainCode = json.code ?? (res.status === 413 ? "FILE_TOO_LARGE" : null);
          setServerError(json.error && (domainCode || t.locale === "zh-CN") ? errorText(t, { message: json.error, data: { domainCode } }) : t("mcat.edit.uploadFailed"));
          break;
        }
        const current = getValues("images");
        if (!current.includes(json.url)) setValue("images", [...current, json.url], { shouldDirty: true });
      }
    } finally {
      setUploading(false);
      if (fileInput.current) fileInput.current.value = "";
    }
  }

  function fillAll(field: "price" | "stock") {
    const rows = getValues("skus");
    const first = rows[0]?.[field] ?? "";
    rows.forEach((_, i) => setValue(`skus.${i}.${field}`, first, { shouldDirty: true }));
  }

  useFocusFirstInvalid(formRef, formState.submitCount + refusals);
  const messages = [...errorMessages(formState.errors), ...(serverError ? [serverError] : [])];
  const hasOptions = parsedGroups(watchedGroups ?? []).length > 0;
  const input = `h-9 w-full rounded border border-neutral-300 px-3 text-sm ${INVALID_CLASSES}`;
  const cell = `rounded border border-neutral-300 text-sm ${INVALID_CLASSES}`;
  const err = (path: string) => messageAt(formState.errors, path);
  /** A field's own marking: aria-invalid and its message, beside it. */
  const invalid = (path: string) => invalidProps(path, err(path));
  const fieldError = (path: string, className?: string) => <FieldError name={path} message={err(path)} className={className} />;

  return (
    <form method="post"
      ref={formRef}
      className="space-y-4"
      noValidate
      onSubmit={handleSubmit((data) => {
        setServerError(null);
        if (editing === null) return create.mutate({ ...data, clientKey });
        // Dropped combinations take their SKUs (and stock) off the shop: named first, saved only once confirmed.
        const removed = removedSkus(initial?.skus ?? [], data.skus);
        if (removed.length) return setRemoval({ data, removed });
        update.mutate({ id: editing.id, version: editing.version, product: data });
      })}
    >
      {messages.length ? (
        <ul role="alert" className="space-y-1 rounded-lg bg-rose-50 px-4 py-3 text-sm text-rose-700" data-testid="form-errors">
          {messages.map((m) => (
            <li key={m}>{m}</li>
          ))}
          {stale ? (
            <li>
              <button type="button" onClick={() => window.location.reload()} className="font-medium underline" data-testid="reload-product">
                {t("mcat.edit.reload")}
              </button>
            </li>
          ) : null}
        </ul>
      ) : null}

      <section className="grid gap-4 rounded-lg bg-white p-5 shadow-sm md:grid-cols-2">
        <h2 className="text-base font-semibold md:col-span-2">{t("mcat.edit.basic")}</h2>
        <label className="block text-sm md:col-span-2">
          <span className="mb-1 block text-neutral-600">{t("mcat.edit.name")}</span>
          <input {...register("name")} className={input} {...invalid("name")} />
          {fieldError("name")}
        </label>
        <label className="block text-sm">
          <span className="mb-1 block text-neutral-600">{t("mcat.edit.category")}</span>
          <select {...register("category")} className={input} {...invalid("category")}>
            <option value="">{t("mcat.edit.chooseCategory")}</option>
            {categories.data?.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
          {fieldError("category")}
        </label>
        <div className="grid grid-cols-2 gap-4">
          <label className="block text-sm">
            <span className="mb-1 block text-neutral-600">{t("mcat.edit.sort")}</span>
            <input {...register("sort")} inputMode="numeric" className={input} {...invalid("sort")} />
            {fieldError("sort")}
          </label>
          <label className="flex items-end gap-2 pb-2 text-sm">
            <input type="checkbox" {...register("active")} className="h-4 w-4 accent-rose-600" />
            {t("mcat.edit.active")}
          </label>
        </div>
      </section>

      <section className="rounded-lg bg-white p-5 shadow-sm">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-base font-semibold">{t("mcat.edit.images")}</h2>
          <label className="cursor-pointer rounded border border-neutral-300 px-3 py-1.5 text-sm hover:bg-neutral-50">
            {uploading ? t("mcat.edit.uploading") : t("mcat.edit.upload")}
            <input ref={fileInput} type="file" accept="image/jpeg,image/png,image/webp" multiple hidden onChange={(e) => void upload(e.target.files)} data-testid="image-input" />
          </label>
        </div>
        <ul className="flex flex-wrap gap-3">
          {images?.map((url, i) => (
            <li key={url} className="relative w-24" data-testid="gallery-image">
              <PictureThumb url={url} className="w-24" />
              {i === 0 ? <span className="absolute left-1 top-1 rounded bg-rose-600 px-1 text-[10px] text-white">{t("mcat.edit.cover")}</span> : null}
              {/* The number the SKU pictures' choices name (图片 1, 图片 2 …). */}
              <span className="absolute right-1 top-1 rounded bg-black/50 px-1 text-[10px] tabular-nums text-white">{i + 1}</span>
              <button
                type="button"
                className="mt-1 w-full text-xs text-neutral-500 hover:text-rose-600"
                onClick={() => setValue("images", getValues("images").filter((u) => u !== url), { shouldDirty: true })}
              >
                {t("mcat.edit.removeImage")}
              </button>
            </li>
          ))}
        </ul>
        {fieldError("images")}
      </section>

      <section className="rounded-lg bg-white p-5 shadow-sm">
        <label className="block text-sm">
          <span className="mb-1 block text-base font-semibold">{t("mcat.edit.description")}</span>
          <textarea {...register("description")} rows={6} className={`w-full rounded border border-neutral-300 p-3 font-mono text-sm ${INVALID_CLASSES}`} {...invalid("description")} />
          {fieldError("description")}
        </label>
      </section>

      <section className="rounded-lg bg-white p-5 shadow-sm">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-base font-semibold">{t("mcat.edit.options")}</h2>
          <button
            type="button"
            disabled={groups.fields.length >= 3}
            onClick={() => groups.append({ name: "", values: "" })}
            className="rounded border border-neutral-300 px-3 py-1.5 text-sm hover:bg-neutral-50 disabled:opacity-40"
          >
            + {t("mcat.edit.addGroup")}
          </button>
        </div>
        {groups.fields.length === 0 ? <p className="text-sm text-neutral-500">{t("mcat.edit.noOptions")}</p> : null}
        <div className="space-y-2">
          {groups.fields.map((g, i) => (
            <div key={g.id} data-testid="option-group">
              <div className="flex gap-2">
                <input {...register(`groups.${i}.name`)} placeholder={t("mcat.edit.groupName")} aria-label={t("mcat.edit.groupName")} className={`h-9 w-48 px-3 ${cell}`} {...invalid(`groups.${i}.name`)} />
                <input {...register(`groups.${i}.values`)} placeholder={t("mcat.edit.groupValues")} aria-label={t("mcat.edit.groupValues")} className={`h-9 flex-1 px-3 ${cell}`} {...invalid(`groups.${i}.values`)} />
                <button type="button" onClick={() => groups.remove(i)} className="px-2 text-sm text-neutral-500 hover:text-rose-600">
                  {t("mcat.edit.removeGroup")}
                </button>
              </div>
              {fieldError(`groups.${i}.name`)}
              {fieldError(`groups.${i}.values`)}
              {fieldError(`groups.${i}`)}
            </div>
          ))}
        </div>
        {fieldError("groups")}
      </section>

      <section className="rounded-lg bg-white p-5 shadow-sm">
        <h2 className="mb-3 text-base font-semibold">{t("mcat.edit.skus")}</h2>
        <div className="overflow-x-auto">
          <table className="w-full min-w-[840px] text-sm">
            <thead className="bg-neutral-50 text-left text-xs text-neutral-500">
              <tr>
                <th className="px-3 py-2 font-medium">{t("mcat.edit.skuOptions")}</th>
                <th className="px-3 py-2 font-medium">{t("mcat.edit.skuCode")}</th>
                <th className="px-3 py-2 font-medium">
                  {t("mcat.edit.skuPrice")}
                  {skus.fields.length > 1 ? (
                    <button type="button" className="ml-2 text-rose-600" onClick={() => fillAll("price")}>
                      {t("mcat.edit.fillAll")}
                    </button>
                  ) : null}
                </th>
                <th className="px-3 py-2 font-medium">
                  {t("mcat.edit.skuStock")}
                  {skus.fields.length > 1 ? (
                    <button type="button" className="ml-2 text-rose-600" onClick={() => fillAll("stock")}>
                      {t("mcat.edit.fillAll")}
                    </button>
                  ) : null}
                </th>
                <th className="px-3 py-2 font-medium">{t("mcat.edit.skuImage")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-neutral-100">
              {skus.fields.map((row, i) => {
                const label = hasOptions ? row.options.join(" / ") : t("mcat.edit.single");
                return (
                  <tr key={row.id} data-testid="sku-row" data-options={row.options.join("/")}>
                    <td className="px-3 py-2 align-top font-medium">
                      {label}
                      {fieldError(`skus.${i}.options`)}
                    </td>
                    <td className="px-3 py-2 align-top">
                      <input {...register(`skus.${i}.code`)} placeholder={t("mcat.edit.autoCode")} aria-label={`${t("mcat.edit.skuCode")} ${label}`} className={`h-8 w-40 px-2 ${cell}`} {...invalid(`skus.${i}.code`)} />
                      {fieldError(`skus.${i}.code`, "max-w-40")}
                    </td>
                    <td className="px-3 py-2 align-top">
                      <input {...register(`skus.${i}.price`)} inputMode="decimal" aria-label={`${t("mcat.edit.skuPrice")} ${label}`} className={`h-8 w-28 px-2 ${cell} text-right tabular-nums`} {...invalid(`skus.${i}.price`)} />
                      {fieldError(`skus.${i}.price`, "max-w-40")}
                    </td>
                    <td className="px-3 py-2 align-top">
                      <input {...register(`skus.${i}.stock`)} inputMode="numeric" aria-label={`${t("mcat.edit.skuStock")} ${label}`} className={`h-8 w-24 px-2 ${cell} text-right tabular-nums`} {...invalid(`skus.${i}.stock`)} />
                      {fieldError(`skus.${i}.stock`, "max-w-40")}
                    </td>
                    <td className="px-3 py-2 align-top">
                      <SkuImagePicker
                        value={skuValues?.[i]?.imageUrl ?? null}
                        images={images ?? []}
                        label={label}
                        onChange={(url) => setValue(`skus.${i}.imageUrl`, url, { shouldDirty: true })}
                        invalid={invalid(`skus.${i}.imageUrl`)}
                      />
                      {fieldError(`skus.${i}.imageUrl`, "max-w-56")}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {fieldError("skus")}
      </section>

      <div className="sticky bottom-0 flex justify-end gap-3 border-t border-neutral-200 bg-neutral-100/95 py-3">
        <Link href="/merchant/products" className="rounded border border-neutral-300 bg-white px-5 py-2 text-sm">
          {t("mcat.action.cancel")}
        </Link>
        <button type="submit" disabled={saving || uploading || stale} className="rounded bg-rose-600 px-6 py-2 text-sm font-medium text-white disabled:opacity-50" data-testid="save-product">
          {saving ? t("mcat.action.saving") : t("mcat.action.save")}
        </button>
      </div>

      <ConfirmDialog
        open={removal !== null}
        title={t("mcat.edit.removeSkusTitle")}
        body={removal ? t("mcat.edit.removeSkusBody", { n: removal.removed.length }) : null}
        confirmLabel={t("mcat.edit.removeSkusSubmit")}
        danger
        onCancel={() => setRemoval(null)}
        onConfirm={() => {
          if (removal && editing) update.mutate({ id: editing.id, version: editing.version, product: removal.data });
          setRemoval(null);
        }}
      >
        <ul className="mt-3 space-y-1 text-sm" data-testid="removed-skus">
          {removal?.removed.map((r) => (
            <li key={r.code} data-testid="removed-sku" className="font-medium text-rose-700">
              {removedSkuText(t, r)}
            </li>
          ))}
        </ul>
      </ConfirmDialog>
    </form>
  );
}
