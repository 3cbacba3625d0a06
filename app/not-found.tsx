import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 bg-white px-8 text-center">
      <div className="text-5xl font-bold text-rose-200">404</div>
      <h1 className="text-lg font-semibold">页面不存在或商品已下架</h1>
      <Link href="/" className="rounded-full bg-rose-600 px-6 py-2 text-sm text-white">
        返回首页
      </Link>
    </main>
  );
}
