"use client";

// 我的 → 收货地址: list (default first), add, edit, set default, delete. Checkout reads the same book.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { AddressForm, type EditableAddress } from "@/components/address/AddressForm";

export function AddressBook() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.address.list.queryOptions());
  const [editing, setEditing] = useState<EditableAddress | "new" | null>(null);
  const refresh = { onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.address.pathKey() }) };
  const setDefault = useMutation(trpc.address.setDefault.mutationOptions(refresh));
  const remove = useMutation(trpc.address.delete.mutationOptions(refresh));

  if (list.isPending) return <p className="py-16 text-center text-sm text-neutral-400">{t("common.loading")}</p>;
  if (list.isError) return <p className="py-16 text-center text-sm text-rose-600">{errorText(t, list.error)}</p>;

  if (editing)
    return (
      <section className="m-3 rounded-xl bg-white p-4 shadow-sm">
        <h2 className="mb-3 text-sm font-semibold">{editing === "new" ? t("address.add") : t("address.editTitle")}</h2>
        <AddressForm
          key={editing === "new" ? "new" : editing.id}
          initial={editing === "new" ? undefined : editing}
          makeDefault={list.data.length === 0}
          onCancel={() => setEditing(null)}
          onSaved={() => setEditing(null)}
        />
      </section>
    );

  const problem = setDefault.error ?? remove.error;
  return (
    <div className="space-y-2 p-3">
      {list.data.length === 0 ? <p className="py-12 text-center text-sm text-neutral-400">{t("address.bookEmpty")}</p> : null}
      <ul className="space-y-2">
        {list.data.map((a) => (
          <li key={a.id} className="rounded-xl bg-white p-4 text-sm shadow-sm" data-testid="address-row">
            <div>
              <span className="font-medium">{a.name}</span> <span className="text-neutral-500">{a.phone}</span>
              {a.isDefault ? (
                <span className="ml-1 rounded bg-rose-50 px-1 text-[11px] text-rose-600" data-testid="address-default">
                  {t("address.default")}
                </span>
              ) : null}
            </div>
            <div className="mt-1 text-xs leading-5 text-neutral-600">
              {a.region} {a.detail}
            </div>
            <div className="mt-2 flex items-center justify-end gap-2 border-t border-neutral-100 pt-2 text-xs">
              {!a.isDefault ? (
                <button type="button" className="relative mr-auto text-neutral-600 after:absolute after:-inset-x-2 after:-inset-y-3.5" onClick={() => setDefault.mutate({ id: a.id })}>
                  {t("address.setDefault")}
                </button>
              ) : null}
              <button type="button" className="relative rounded-full border border-neutral-200 px-3 py-1 text-neutral-700 after:absolute after:inset-x-0 after:-inset-y-2" onClick={() => setEditing(a)}>
                {t("address.edit")}
              </button>
              <button
                type="button"
                className="relative rounded-full border border-neutral-200 px-3 py-1 text-neutral-700 after:absolute after:inset-x-0 after:-inset-y-2"
                onClick={() => {
                  if (window.confirm(t("address.deleteConfirm"))) remove.mutate({ id: a.id });
                }}
              >
                {t("address.delete")}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {problem ? (
        <p role="alert" className="text-xs text-rose-600">
          {errorText(t, problem)}
        </p>
      ) : null}
      <button type="button" className="mt-2 h-11 w-full rounded-full bg-rose-600 text-sm font-medium text-white" onClick={() => setEditing("new")} data-testid="address-add">
        {t("address.add")}
      </button>
    </div>
  );
}
