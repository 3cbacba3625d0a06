import QRCode from "qrcode";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { formatBps, formatFen } from "@/components/money";
import { getServerAuthSession } from "@/server/auth";
import { api } from "@/trpc/server";
import { siteOrigin } from "@/app/_lib/site";
import { CopyButton } from "./CopyButton";

export const dynamic = "force-dynamic";
export const metadata = { title: "推广中心" };

const TASK_STATUS: Record<string, { label: string; tone: string }> = {
  OPEN: { label: "进行中", tone: "bg-sky-100 text-sky-700" },
  MET: { label: "待确认", tone: "bg-amber-100 text-amber-700" },
  CONFIRMED: { label: "待发放", tone: "bg-amber-100 text-amber-700" },
  PAID: { label: "已到账", tone: "bg-emerald-100 text-emerald-700" },
  EXPIRED: { label: "已过期", tone: "bg-neutral-100 text-neutral-500" },
  VOID: { label: "已失效", tone: "bg-neutral-100 text-neutral-500" },
};

function ymd(d: Date) {
  return new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric" }).format(d);
}

export default async function PromotePage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fpromote");
  const data = await api.member.promote();
  const link = `${await siteOrigin()}/r/${data.referralCode}`;
  const qr = await QRCode.toString(link, { type: "svg", margin: 1, color: { dark: "#111827", light: "#ffffff" } });
  const pending = (data.commissionByStatus.PENDING ?? 0) + (data.commissionByStatus.CONFIRMED ?? 0);
  const settled = data.commissionByStatus.SETTLED ?? 0;

  return (
    <AppShell title="推广中心">
      <section className="m-3 rounded-2xl bg-gradient-to-br from-rose-600 to-orange-500 p-4 text-white">
        <div className="text-sm text-white/85">我的邀请码</div>
        <div className="mt-1 font-mono text-3xl font-bold tracking-[0.3em]" data-testid="my-code">
          {data.referralCode}
        </div>
        <div className="mt-3 flex items-center gap-3">
          <div className="h-24 w-24 shrink-0 overflow-hidden rounded-lg bg-white p-1" dangerouslySetInnerHTML={{ __html: qr }} />
          <div className="min-w-0 flex-1">
            <div className="break-all text-xs text-white/90">{link}</div>
            <CopyButton text={link} />
          </div>
        </div>
      </section>

      <section className="mx-3 grid grid-cols-3 rounded-2xl bg-white py-4 text-center">
        <div>
          <div className="text-lg font-semibold">{data.byDepth.find((d) => d.depth === 1)?.count ?? 0}</div>
          <div className="text-xs text-neutral-500">直推好友</div>
        </div>
        <div>
          <div className="text-lg font-semibold">{data.teamSize}</div>
          <div className="text-xs text-neutral-500">团队人数</div>
        </div>
        <div>
          <div className="text-lg font-semibold">{data.qualifiedDirects}</div>
          <div className="text-xs text-neutral-500">有效直推</div>
        </div>
      </section>

      {data.commission.enabled ? (
        <section className="mx-3 mt-3 rounded-2xl bg-white p-4 text-sm">
          <h2 className="font-semibold">分销佣金</h2>
          <p className="mt-1 text-xs text-neutral-500">
            好友购物你得 {formatBps(data.commission.ratesBps[0])}，好友的好友 {formatBps(data.commission.ratesBps[1])}，再下一级{" "}
            {formatBps(data.commission.ratesBps[2])}（最多三级）
          </p>
          <div className="mt-3 flex justify-around text-center">
            <div>
              <div className="font-semibold">¥{formatFen(pending)}</div>
              <div className="text-xs text-neutral-500">待结算</div>
            </div>
            <div>
              <div className="font-semibold">¥{formatFen(settled)}</div>
              <div className="text-xs text-neutral-500">已结算</div>
            </div>
          </div>
        </section>
      ) : null}

      {data.rebate.enabled ? (
        <section className="mx-3 mt-3 rounded-2xl bg-white p-4 text-sm">
          <h2 className="font-semibold">推三返一</h2>
          <p className="mt-1 text-xs text-neutral-500">
            每笔订单付款后 {data.rebate.windowDays} 天内，邀请 {data.rebate.n} 位好友完成首单，返还该订单 {data.rebate.percent}% 金额。
          </p>
          {data.tasks.length === 0 ? (
            <p className="py-6 text-center text-xs text-neutral-400">还没有返现任务，下单后自动开启</p>
          ) : (
            <ul className="mt-3 space-y-3">
              {data.tasks.map((t) => {
                const s = TASK_STATUS[t.status] ?? { label: t.status, tone: "bg-neutral-100" };
                const done = t.invitees.length;
                return (
                  <li key={t.id} className="rounded-xl border border-neutral-100 p-3">
                    <div className="flex items-center justify-between">
                      <span>返现 ¥{formatFen(t.cashbackFen)}</span>
                      <span className={`rounded-full px-2 py-0.5 text-xs ${s.tone}`}>{s.label}</span>
                    </div>
                    <div className="mt-2 flex gap-1">
                      {Array.from({ length: t.n }, (_, i) => (
                        <span key={i} className={`h-1.5 flex-1 rounded-full ${i < done ? "bg-rose-500" : "bg-neutral-200"}`} />
                      ))}
                    </div>
                    <div className="mt-2 text-xs text-neutral-500">
                      {t.status === "OPEN" ? `还差 ${Math.max(t.n - done, 0)} 人 · ${ymd(t.deadline)} 截止` : (t.endReason ?? "")}
                      {done ? ` · 已邀请：${t.invitees.map((i) => i.nickname).join("、")}` : ""}
                    </div>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      ) : null}
    </AppShell>
  );
}
