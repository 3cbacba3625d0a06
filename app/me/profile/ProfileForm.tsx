"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { useT } from "@/lib/i18n/client";
import { errorText } from "@/lib/i18n/labels";
import { checkDisplayName, maskDisplayName } from "@/server/members/profile";

/**
 * The display name and, below it, how others see it masked: the typed name's once it is a name the server takes, else
 * the saved one (kept here: the page's own prop is the name it was rendered with, stale until it reloads).
 */
export function ProfileForm({ initial }: { initial: string }) {
  const t = useT();
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState(initial);
  const [saved, setSaved] = useState(initial);
  const save = useMutation(
    trpc.member.updateProfile.mutationOptions({
      onSuccess: (_r, input) => {
        const checked = checkDisplayName(input.displayName);
        if (checked.ok) setSaved(checked.name);
        router.refresh();
      },
    }),
  );
  const typed = checkDisplayName(name);
  return (
    <>
      <form
        method="post"
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
      <p className="text-xs leading-5 text-neutral-600" data-testid="masked-preview">
        {t("profile.hint", { masked: maskDisplayName(typed.ok ? typed.name : saved) })}
      </p>
    </>
  );
}
