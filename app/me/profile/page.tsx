import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { Avatar } from "@/components/Avatar";
import { getServerAuthSession } from "@/server/auth";
import { api } from "@/trpc/server";
import { getT } from "@/lib/i18n/server";
import { ProfileForm } from "./ProfileForm";
import { AvatarPicker } from "./AvatarPicker";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("profile.title") };
}

/** 我的 → 编辑资料: display name (shown to others masked) and avatar. */
export default async function ProfilePage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fme%2Fprofile");
  const [me, t] = await Promise.all([api.member.me(), getT()]);
  return (
    <AppShell title={t("profile.title")} back="/me" tabs={false}>
      <section className="m-3 space-y-4 rounded-2xl bg-white p-4 text-sm">
        <div className="flex items-center gap-3">
          <Avatar avatar={me.avatar} size={56} />
          <div>
            <div className="font-medium">{t("profile.avatar")}</div>
            <p className="mt-1 text-xs leading-5 text-neutral-600">{t("profile.avatarHint")}</p>
            <AvatarPicker hasPicture={me.avatar.url !== null} />
          </div>
        </div>
        <ProfileForm initial={me.displayName} />
      </section>
    </AppShell>
  );
}
