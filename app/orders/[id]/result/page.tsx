import { notFound, redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { getT } from "@/lib/i18n/server";
import { wechatTemplatesFromEnv } from "@/server/wechat/subscribe";
import { PayResult } from "./PayResult";
import { rowIdParam } from "@/server/validation";

export const dynamic = "force-dynamic";
export async function generateMetadata() {
  return { title: (await getT())("payResult.title") };
}

export default async function PayResultPage({ params }: { params: Promise<{ id: string }> }) {
  const id = rowIdParam((await params).id);
  if (id === null) notFound();
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(`/orders/${id}/result`)}`);
  const t = await getT();
  return (
    <AppShell title={t("payResult.title")} tabs={false}>
      <PayResult id={id} wechatTemplates={[...new Set(Object.values(wechatTemplatesFromEnv()))]} />
    </AppShell>
  );
}
