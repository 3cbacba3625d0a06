import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getDb } from "@/server/db";
import { testDoorOpen } from "@/server/test-doors";
import { listOutbox } from "@/server/sms/dev-outbox";

export const dynamic = "force-dynamic";
export const metadata = { title: "开发短信箱", robots: { index: false } };

/** The SMS messages the outbox "sent": only while it is the configured sender, in development or a production test run with its token. */
export default async function DevSmsPage() {
  if (!testDoorOpen("outbox", await headers())) notFound();
  const messages = await listOutbox(await getDb(), 50);
  return (
    <main className="min-h-dvh bg-white p-4">
      <h1 className="text-lg font-bold">开发短信箱</h1>
      <p className="mt-1 text-xs text-neutral-500">开发环境不发送真实短信，消息保存在数据库 SmsMessage 表中。</p>
      <ul className="mt-4 space-y-2" data-testid="sms-list">
        {messages.map((m) => (
          <li key={m.id} className="rounded-lg border border-neutral-200 p-3 text-sm" data-testid="sms-item" data-phone={m.phoneMasked}>
            <div className="flex justify-between text-xs text-neutral-500">
              <span>{m.phoneMasked}</span>
              <time dateTime={m.createdAt.toISOString()}>{m.createdAt.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai" })}</time>
            </div>
            <p className="mt-1" data-testid="sms-body">
              {m.body}
            </p>
          </li>
        ))}
        {messages.length === 0 ? <li className="py-8 text-center text-sm text-neutral-400">暂无短信</li> : null}
      </ul>
    </main>
  );
}
