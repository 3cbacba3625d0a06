"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { useTRPC } from "@/trpc/react";
import { ReasonDialog } from "@/components/merchant/ReasonDialog";

type Field = "phone" | "realName" | "address";

/** A masked value with, for the owner, a 查看 button: the clear value after a reason (audited), this field only. */
export function Revealable({ memberId, field, masked, canReveal }: { memberId: number; field: Field; masked: string | null; canReveal: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState<string | null>(null);
  const reveal = useMutation(trpc.merchantMember.reveal.mutationOptions({ onSuccess: (r) => (setValue(r.value), setOpen(false)) }));
  return (
    <>
      <span className="inline-flex items-center gap-1" data-testid={`reveal-${field}`}>
        <span className="tabular-nums" data-testid={`reveal-${field}-value`}>{value ?? masked ?? "—"}</span>
        {canReveal && masked && value === null ? (
          <button type="button" className="text-xs text-sky-700 hover:underline" onClick={() => (reveal.reset(), setOpen(true))}>
            {t("mm.reveal")}
          </button>
        ) : null}
      </span>
      <ReasonDialog
        open={open}
        title={t("mm.reveal.title", { field: t(`mm.reveal.${field}`) })}
        body={t("mm.reveal.body")}
        confirmLabel={t("mm.reveal")}
        pending={reveal.isPending}
        error={reveal.error ? errorText(t, reveal.error) : null}
        onCancel={() => setOpen(false)}
        onConfirm={(reason) => reveal.mutate({ id: memberId, field, reason })}
      />
    </>
  );
}
