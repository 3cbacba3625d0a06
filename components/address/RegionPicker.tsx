"use client";

// 省/市/区 picker over @vant/area-data, as a bottom sheet with three steps. The data (≈150 KB) is
// loaded when the sheet first opens, not with the page.
import { useEffect, useId, useState } from "react";
import { useT } from "@/lib/i18n/client";
import { Sheet } from "@/components/Sheet";
import type * as Area from "@/server/members/area";

type AreaModule = typeof Area;
type Level = 0 | 1 | 2;

let areaModule: Promise<AreaModule> | null = null;
const loadAreas = () => (areaModule ??= import("@/server/members/area"));

/** Children of a division: provinces (prefix ""), a province's cities (2 digits), a city's counties (4 digits). */
function options(m: AreaModule, level: Level, prefix: string): [string, string][] {
  const list = level === 0 ? m.areaList.province_list : level === 1 ? m.areaList.city_list : m.areaList.county_list;
  return Object.entries(list).filter(([code]) => code.startsWith(prefix));
}

/** `error`: the id of the message saying the region is missing, marking the field invalid like the form's other fields. */
export function RegionPicker({ value, label, error, onChange }: { value: string; label: string; error?: string; onChange: (areaCode: string, region: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [areas, setAreas] = useState<AreaModule | null>(null);
  const [path, setPath] = useState<string[]>([]);
  const id = useId();
  const level = Math.min(path.length, 2) as Level;

  useEffect(() => {
    if (open && !areas) void loadAreas().then(setAreas);
  }, [open, areas]);

  const prefix = level === 0 ? "" : level === 1 ? path[0]!.slice(0, 2) : path[1]!.slice(0, 4);
  const names = areas ? path.map((code, i) => (i === 0 ? areas.areaList.province_list[code] : areas.areaList.city_list[code])) : [];

  function choose(code: string) {
    if (!areas) return;
    if (level < 2) {
      setPath([...path.slice(0, level), code]);
      return;
    }
    const n = areas.areaNames(code);
    if (!n) return;
    onChange(code, areas.regionText(n));
    setOpen(false);
  }

  return (
    <>
      <span id={`${id}-label`} hidden>
        {label}
      </span>
      <button
        type="button"
        aria-labelledby={`${id}-label ${id}-value`}
        aria-invalid={error ? true : undefined}
        aria-describedby={error}
        className={`flex w-full items-center justify-between rounded-lg border px-3 py-2 text-left text-sm ${error ? "border-rose-400" : "border-field"} ${value ? "text-neutral-900" : "text-neutral-400"}`}
        onClick={() => {
          setPath([]);
          setOpen(true);
        }}
        data-testid="region-picker"
      >
        <span id={`${id}-value`}>{value || t("address.pickRegion")}</span>
        <span className="text-neutral-400" aria-hidden>
          ›
        </span>
      </button>
      {open ? (
        <Sheet labelledBy={`${id}-title`} onClose={() => setOpen(false)}>
          <div className="mx-auto flex max-h-[70vh] w-full max-w-md flex-col rounded-t-2xl bg-white">
            <div className="flex items-center justify-between border-b border-neutral-100 px-4 py-3">
              <span id={`${id}-title`} className="text-sm font-semibold">
                {t("address.pickRegion")}
              </span>
              <button type="button" className="relative px-1 text-xl leading-none text-neutral-400 after:absolute after:-inset-3" aria-label={t("common.cancel")} onClick={() => setOpen(false)}>
                ×
              </button>
            </div>
            <div className="flex gap-4 px-4 pt-2 text-sm" role="tablist">
              {([0, 1, 2] as const).map((l) =>
                l <= path.length ? (
                  <button
                    key={l}
                    type="button"
                    role="tab"
                    aria-selected={l === level}
                    className={`relative border-b-2 pb-1 after:absolute after:-inset-x-2 after:-inset-y-2 ${l === level ? "border-rose-500 text-rose-600" : "border-transparent text-neutral-700"}`}
                    onClick={() => setPath(path.slice(0, l))}
                  >
                    {names[l] ?? t(l === 0 ? "address.province" : l === 1 ? "address.city" : "address.district")}
                  </button>
                ) : null,
              )}
            </div>
            <ul className="flex-1 overflow-y-auto px-2 py-2" data-testid="region-options">
              {areas ? (
                options(areas, level, prefix).map(([code, name]) => (
                  <li key={code}>
                    <button type="button" className="w-full rounded-lg px-3 py-2.5 text-left text-sm active:bg-neutral-100" onClick={() => choose(code)}>
                      {name}
                    </button>
                  </li>
                ))
              ) : (
                <li className="py-8 text-center text-sm text-neutral-400">{t("address.loadingAreas")}</li>
              )}
            </ul>
          </div>
        </Sheet>
      ) : null}
    </>
  );
}
