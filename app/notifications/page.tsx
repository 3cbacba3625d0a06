import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { getT } from "@/lib/i18n/server";
import { NotificationList } from "./NotificationList";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("notifications.title") };
}

export default async function NotificationsPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fnotifications");
  const t = await getT();
  return (
    <AppShell title={t("notifications.title")} back="/me">
      <NotificationList />
    </AppShell>
  );
}
