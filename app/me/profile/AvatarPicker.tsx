"use client";

// 我的 → 编辑资料: upload a picture as the avatar (through /api/uploads, then member.updateAvatar), or go
// back to the generated one.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { uploadPicture } from "@/components/upload-picture";

export function AvatarPicker({ hasPicture }: { hasPicture: boolean }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const [uploading, setUploading] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const save = useMutation(trpc.member.updateAvatar.mutationOptions({ onSuccess: () => router.refresh() }));
  const busy = uploading || save.isPending;

  const pick = async (file: File) => {
    setFailed(null);
    save.reset();
    setUploading(true);
    const done = await uploadPicture(file);
    setUploading(false);
    if ("error" in done) setFailed(done.error ?? t("profile.avatarFailed"));
    else save.mutate({ url: done.url });
  };

  return (
    <div className="mt-2 flex flex-wrap items-center gap-2">
      <label className={`inline-flex h-8 cursor-pointer items-center rounded-full border border-rose-600 px-3 text-xs text-rose-700 focus-within:ring-2 focus-within:ring-rose-600 focus-within:ring-offset-2 ${busy ? "opacity-60" : ""}`}>
        {busy ? t("profile.uploadingAvatar") : t("profile.changeAvatar")}
        <input
          type="file"
          accept="image/jpeg,image/png,image/webp"
          className="sr-only"
          disabled={busy}
          data-testid="avatar-file"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = "";
            if (file) void pick(file);
          }}
        />
      </label>
      {hasPicture ? (
        <button type="button" disabled={busy} className="h-8 rounded-full px-2 text-xs text-neutral-600 underline disabled:opacity-60" onClick={() => save.mutate({ url: null })} data-testid="reset-avatar">
          {t("profile.resetAvatar")}
        </button>
      ) : null}
      {failed || save.isError ? (
        <p className="w-full text-xs text-rose-700" role="alert">
          {failed ?? errorText(t, save.error)}
        </p>
      ) : null}
      {save.isSuccess ? (
        <p className="w-full text-xs text-emerald-700" role="status" data-testid="avatar-saved">
          {t("profile.avatarSaved")}
        </p>
      ) : null}
    </div>
  );
}
