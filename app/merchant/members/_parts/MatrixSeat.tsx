"use client";

import Link from "next/link";
import { useT } from "@/lib/i18n/client";
import type { RouterOutputs } from "@/trpc/react";

type Matrix = RouterOutputs["merchantMember"]["detail"]["matrix"];

/** The member's seat in the forced matrix (SPEC §3): position, the seat above, the seats below, fill by level. */
export function MatrixSeat({ matrix }: { matrix: Matrix }) {
  const t = useT();
  if (!matrix) return <p className="text-neutral-400">{t("mm.matrix.none")}</p>;
  const slots = Array.from({ length: matrix.width }, (_, i) => matrix.children.find((c) => c.position === i) ?? null);
  return (
    <div className="space-y-3" data-testid="member-matrix">
      <p>
        {t("mm.matrix.seat", { level: matrix.level, position: matrix.position + 1 })} ·{" "}
        {matrix.parent ? (
          <>
            {t("mm.matrix.above")} <Link href={`/merchant/members/${matrix.parent.id}`} className="text-sky-700 hover:underline">{matrix.parent.name}</Link>
          </>
        ) : (
          t("mm.matrix.underRoot")
        )}
      </p>
      <div className="flex gap-2">
        {slots.map((s, i) => (
          <div key={i} className={`flex-1 rounded-md border p-2 text-center text-xs ${s?.member ? "border-sky-200 bg-sky-50" : "border-dashed border-neutral-300 text-neutral-400"}`}>
            {s?.member ? <Link href={`/merchant/members/${s.member.id}`} className="text-sky-700 hover:underline">{s.member.name}</Link> : t("mm.matrix.vacant")}
          </div>
        ))}
      </div>
      <table className="w-full text-left text-xs">
        <thead className="text-neutral-500">
          <tr>
            <th className="font-medium">{t("mm.matrix.level")}</th>
            <th className="font-medium">{t("mm.matrix.filled")}</th>
            <th className="font-medium">{t("mm.matrix.capacity")}</th>
            <th className="font-medium">{t("mm.matrix.vacancies")}</th>
          </tr>
        </thead>
        <tbody>
          {matrix.levels.map((l) => (
            <tr key={l.level} className="border-t border-neutral-100 tabular-nums">
              <td className="py-0.5">{l.level}</td>
              <td>{l.filled}</td>
              <td>{l.capacity}</td>
              <td>{l.vacancies}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
