import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerAuthSession } from "@/server/auth";
import { devOutboxEnabled } from "@/server/sms";
import { LoginForm } from "./LoginForm";

export const dynamic = "force-dynamic";
export const metadata = { title: "登录" };

/** Only same-site paths are accepted as a post-login destination (no open redirect). */
function safeCallback(raw: string | string[] | undefined): string {
  const v = Array.isArray(raw) ? raw[0] : raw;
  return v && v.startsWith("/") && !v.startsWith("//") && !v.startsWith("/\\") ? v : "/";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const callbackUrl = safeCallback(sp.callbackUrl);
  const session = await getServerAuthSession();
  if (session?.user?.id) redirect(callbackUrl);
  const showOutbox = devOutboxEnabled();
  return (
    <main className="min-h-dvh bg-white px-6 pt-16">
      <Link href="/" className="text-sm text-neutral-400">
        ‹ 先逛逛
      </Link>
      <h1 className="mt-6 text-2xl font-bold">手机号登录</h1>
      <p className="mt-1 text-sm text-neutral-500">未注册的手机号验证后自动注册</p>
      <LoginForm callbackUrl={callbackUrl} />
      {showOutbox ? (
        <p className="mt-8 rounded-lg bg-amber-50 p-3 text-xs text-amber-700">
          开发环境：短信不会真正发出，验证码见{" "}
          <a href="/dev/sms" target="_blank" rel="noreferrer" className="underline" data-testid="dev-outbox-link">
            开发短信箱
          </a>
        </p>
      ) : null}
      <p className="mt-8 text-center text-xs text-neutral-400">登录即表示同意《用户协议》和《隐私政策》</p>
    </main>
  );
}
