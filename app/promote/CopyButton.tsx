"use client";

import { useState } from "react";

export function CopyButton({ text, label = "复制分享链接", className }: { text: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={className ?? "mt-2 rounded-full bg-white px-3 py-1 text-xs font-medium text-rose-600"}
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        } catch {
          window.prompt("复制链接", text);
        }
      }}
    >
      {copied ? "已复制" : label}
    </button>
  );
}
