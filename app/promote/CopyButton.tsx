"use client";

import { useState } from "react";
import { useT } from "@/lib/i18n/client";

export function CopyButton({ text, label, className }: { text: string; label?: string; className?: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={className ?? "relative mt-2 rounded-full bg-white px-3 py-1 text-xs font-medium text-rose-600 after:absolute after:inset-x-0 after:-inset-y-2"}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          window.prompt(t("promote.copyPrompt"), text);
        }
      }}
    >
      {copied ? t("promote.copied") : (label ?? t("promote.copyLink"))}
    </button>
  );
}
