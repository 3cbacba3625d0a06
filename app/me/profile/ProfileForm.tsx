"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";

export function ProfileForm({ initial }: { initial: string }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState(initial);
  const save = useMutation(trpc.member.updateProfile.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <form method="post"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ displayName: name });
      }}
    >
      <label className="block">
        <span className="font-medium">{t("profile.displayName")}</span>
        <input
          name="displayName"
          value={name}
          maxLength={12}
          onChange={(e) => setName(e.target.value)}
          className="mt-1 block w-full rounded-lg border border-neutral-300 px-3 py-2"
          data-testid="display-name"
        />
      </label>
      {save.isError ? <p className="text-xs text-rose-700" role="alert">{errorText(t, save.error)}</p> : null}
      {save.isSuccess ? <p className="text-xs text-emerald-700" role="status" data-testid="profile-saved">{t("profile.saved")}</p> : null}
      <button type="submit" disabled={save.isPending} className="h-10 w-full rounded-full bg-rose-600 text-white disabled:opacity-60" data-testid="save-profile">
        {save.isPending ? t("profile.saving") : t("profile.save")}
      </button>
    </form>
  );
}
