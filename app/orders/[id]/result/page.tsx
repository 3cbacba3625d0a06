import { notFound, redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { getServerAuthSession } from "@/server/auth";
import { PayResult } from "./PayResult";

export const dynamic = "force-dynamic";
export const metadata = { title: "支付结果" };

export default async function PayResultPage({ params }: { params: Promise<{ id: string }> }) {
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0) notFound();
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect(`/login?callbackUrl=${encodeURIComponent(`/orders/${id}/result`)}`);
  return (
    <AppShell title="支付结果" tabs={false}>
      <PayResult id={id} />
    </AppShell>
  );
}
