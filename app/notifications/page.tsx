import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { NotificationList } from "./NotificationList";

export const dynamic = "force-dynamic";
export const metadata = { title: "消息中心" };

export default async function NotificationsPage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fnotifications");
  return (
    <AppShell title="消息中心" back="/me">
      <NotificationList />
    </AppShell>
  );
}
