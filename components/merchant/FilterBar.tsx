"use client";

// The search form above a list: fields edited locally, applied to the URL on 查询 (page reset),
// cleared on 重置. Each field's name is its URL parameter. `errors`: what the page finds wrong with the
// filters in the URL (components/merchant/filter-checks.ts): their fields marked, the messages under them.
import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { FieldError, INVALID_CLASSES, invalidProps } from "./FieldError";
import { useUrlState } from "./useUrlState";

export type FilterField =
  | { name: string; label: string; type: "text"; placeholder?: string }
  | { name: string; label: string; type: "date" }
  | { name: string; label: string; type: "select"; options: { value: string; label: string }[] };

type FilterErrors = Record<string, string | undefined>;

export function FilterBar({ fields, errors = {}, children }: { fields: FilterField[]; errors?: FilterErrors; children?: React.ReactNode }) {
  const { get } = useUrlState();
  const current = Object.fromEntries(fields.map((f) => [f.name, get(f.name)]));
  // A new URL (back button, 重置) starts the form afresh from it.
  return <FilterForm key={JSON.stringify(current)} fields={fields} initial={current} errors={errors}>{children}</FilterForm>;
}

function FilterForm({ fields, initial, errors, children }: { fields: FilterField[]; initial: Record<string, string>; errors: FilterErrors; children?: React.ReactNode }) {
  const t = useT();
  const { set } = useUrlState();
  const [values, setValues] = useState<Record<string, string>>(initial);
  // One height for fields and buttons (a select is otherwise taller than a text box): the row lines up.
  const cls = `h-8 rounded-md border border-neutral-300 bg-white px-2 text-sm ${INVALID_CLASSES}`;
  return (
    <form method="get"
      role="search"
      className="mb-3 flex flex-wrap items-end gap-3 rounded-lg border border-neutral-200 bg-white p-3"
      onSubmit={(e) => {
        e.preventDefault();
        set(values, { resetPage: true });
      }}
    >
      {fields.map((f) => (
        <label key={f.name} className="flex max-w-full flex-col gap-1 text-xs text-neutral-500">
          {f.label}
          {/* A select is as wide as its longest option: capped to the bar, or a long one widens a phone's page. */}
          {f.type === "select" ? (
            <select name={f.name} className={`${cls} max-w-full`} value={values[f.name] ?? ""} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} {...invalidProps(`filter-${f.name}`, errors[f.name])}>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              name={f.name}
              type={f.type}
              placeholder={f.type === "text" ? f.placeholder : undefined}
              className={cls}
              value={values[f.name] ?? ""}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              {...invalidProps(`filter-${f.name}`, errors[f.name])}
            />
          )}
        </label>
      ))}
      <button type="submit" className="h-8 rounded-md bg-neutral-900 px-4 text-sm text-white">
        {t("m.filter.search")}
      </button>
      <button
        type="button"
        className="h-8 rounded-md border border-neutral-300 px-4 text-sm"
        onClick={() => set(Object.fromEntries(fields.map((f) => [f.name, null])), { resetPage: true })}
      >
        {t("m.filter.reset")}
      </button>
      {children ? <div className="ml-auto flex items-end gap-2">{children}</div> : null}
      {/* Below the fields on a line of their own, so a message does not push its field out of the row. */}
      {fields.map((f) => (
        <FieldError key={f.name} name={`filter-${f.name}`} message={errors[f.name]} className="basis-full" />
      ))}
    </form>
  );
}
