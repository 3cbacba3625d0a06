import Link from "next/link";
import QRCode from "qrcode";
import { redirect } from "next/navigation";
import { AppShell } from "@/components/AppShell";
import { formatBps, formatFen } from "@/components/money";
import { getServerAuthSession } from "@/server/auth";
import { api } from "@/trpc/server";
import { siteOrigin } from "@/app/_lib/site";
import { CopyButton } from "./CopyButton";
import { Countdown } from "./Countdown";

export const dynamic = "force-dynamic";
export const metadata = { title: "推广中心" };

type Tasks = Awaited<ReturnType<typeof api.promotion.tasks>>;
type Overview = Awaited<ReturnType<typeof api.promotion.overview>>;

const dateFmt = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
const fmtDate = (d: Date) => dateFmt.format(d);

/** Colour of a status badge; the wording always comes from the engine's label. */
function tone(status: string) {
  switch (status) {
    case "OPEN":
    case "PENDING":
      return "bg-sky-100 text-sky-700";
    case "MET":
    case "CONFIRMED":
      return "bg-amber-100 text-amber-700";
    case "PAID":
    case "SETTLED":
      return "bg-emerald-100 text-emerald-700";
    case "ON_HOLD":
      return "bg-violet-100 text-violet-700";
    default:
      return "bg-neutral-100 text-neutral-500";
  }
}

export default async function PromotePage() {
  const session = await getServerAuthSession();
  if (!session?.user?.id) redirect("/login?callbackUrl=%2Fpromote");
  const [overview, tasks, team, commissions, products] = await Promise.all([
    api.promotion.overview(),
    api.promotion.tasks(),
    api.promotion.team(),
    api.promotion.commissions(),
    api.catalog.products({ limit: 6 }).catch(() => null),
  ]);
  const link = `${await siteOrigin()}/r/${overview.referralCode}`;
  const qr = await QRCode.toString(link, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#111827", light: "#ffffff" } });
  const direct = team.byDepth.find((d) => d.depth === 1)?.count ?? 0;
  const indirect = team.byDepth.filter((d) => d.depth > 1).reduce((s, d) => s + d.count, 0);

  return (
    <AppShell title="推广中心">
      <section className="m-3 rounded-2xl bg-gradient-to-br from-rose-600 to-orange-500 p-4 text-white">
        <div className="flex items-center justify-between text-sm text-white/85">
          <span>我的邀请码</span>
          <span className="rounded-full bg-white/20 px-2 py-0.5 text-xs">{overview.tierLabel}</span>
        </div>
        <div className="mt-1 font-mono text-3xl font-bold tracking-[0.3em]" data-testid="my-code">
          {overview.referralCode}
        </div>
        <div className="mt-3 flex items-center gap-3">
          <div className="h-24 w-24 shrink-0 overflow-hidden rounded-lg bg-white p-1" data-testid="my-qr" aria-label="分享二维码" role="img" dangerouslySetInnerHTML={{ __html: qr }} />
          <div className="min-w-0 flex-1">
            <div className="break-all text-xs text-white/90" data-testid="share-link">
              {link}
            </div>
            <div className="flex flex-wrap gap-2">
              <CopyButton text={link} />
              <a href="#poster" className="mt-2 rounded-full border border-white/70 px-3 py-1 text-xs font-medium text-white">
                分享海报
              </a>
            </div>
          </div>
        </div>
        <p className="mt-3 text-xs text-white/90">推三返一：{overview.offer}</p>
      </section>

      <nav className="mx-3 flex gap-2 text-xs">
        {[
          ["#tasks", "返现任务"],
          ["#team", "我的团队"],
          ["#commissions", "佣金明细"],
          ["/wallet", "我的钱包"],
        ].map(([href, label]) => (
          <Link key={href} href={href} className="flex-1 rounded-full bg-white py-2 text-center text-neutral-700 shadow-sm">
            {label}
          </Link>
        ))}
      </nav>

      <TaskSection overview={overview} tasks={tasks} />

      <section id="team" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm" data-testid="team">
        <h2 className="font-semibold">我的团队</h2>
        <div className="mt-3 grid grid-cols-4 text-center">
          <Stat value={direct} label="直推" testId="team-direct" />
          <Stat value={indirect} label="间推及以下" testId="team-indirect" />
          <Stat value={team.teamSize} label="团队总人数" />
          <Stat value={team.qualifiedDirects} label="有效直推" />
        </div>
        {team.byDepth.length ? (
          <div className="mt-3 flex flex-wrap gap-2 text-xs text-neutral-600">
            {team.byDepth.map((d) => (
              <span key={d.depth} className="rounded-full bg-neutral-100 px-2 py-1">
                {d.label} {d.count} 人
              </span>
            ))}
          </div>
        ) : (
          <p className="mt-3 text-xs text-neutral-400">还没有团队成员，分享链接邀请好友吧</p>
        )}

        <h3 className="mt-5 font-medium">链接转化</h3>
        <div className="mt-2 grid grid-cols-3 items-center text-center" data-testid="funnel">
          <Stat value={overview.funnel.visits} label="访问" />
          <Stat value={overview.funnel.signups} label="注册" sub={rate(overview.funnel.signups, overview.funnel.visits)} />
          <Stat value={overview.funnel.firstOrders} label="首单" sub={rate(overview.funnel.firstOrders, overview.funnel.signups)} />
        </div>

        <h3 className="mt-5 font-medium">三三矩阵（自动滑落）</h3>
        <p className="mt-1 text-xs text-neutral-500">每个席位下 3 个位置，按注册顺序逐层从左到右排满，先来的会员获得后来者的滑落。</p>
        <table className="mt-2 w-full text-center text-xs tabular-nums" data-testid="matrix">
          <thead className="text-neutral-500">
            <tr>
              <th className="py-1 font-normal">层级</th>
              <th className="font-normal">已排位</th>
              <th className="font-normal">容量</th>
              <th className="font-normal">空位</th>
              <th className="w-1/3 font-normal">进度</th>
            </tr>
          </thead>
          <tbody>
            {team.matrix.map((m) => (
              <tr key={m.level} className="border-t border-neutral-100">
                <td className="py-1.5">第 {m.level} 层</td>
                <td>{m.filled}</td>
                <td>{m.capacity}</td>
                <td>{m.vacancies}</td>
                <td>
                  <div className="h-1.5 rounded-full bg-neutral-100">
                    <div className="h-1.5 rounded-full bg-rose-500" style={{ width: `${m.filled === 0 ? 0 : Math.max(2, Math.floor((m.filled * 100) / m.capacity))}%` }} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {team.matrix.length === 0 ? <p className="mt-2 text-xs text-neutral-400">暂无矩阵席位</p> : null}
      </section>

      <section id="commissions" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm" data-testid="commissions">
        <h2 className="font-semibold">佣金明细</h2>
        {overview.commission.enabled ? (
          <p className="mt-1 text-xs text-neutral-500">
            好友购物你得 {formatBps(overview.commission.ratesBps[0] ?? 0)}，好友的好友 {formatBps(overview.commission.ratesBps[1] ?? 0)}，再下一级{" "}
            {formatBps(overview.commission.ratesBps[2] ?? 0)}（最多三级）。订单完成后次日结算到钱包。
          </p>
        ) : null}
        {commissions.length === 0 ? (
          <p className="py-6 text-center text-xs text-neutral-400">暂无佣金</p>
        ) : (
          <ul className="mt-2 divide-y divide-neutral-100">
            {commissions.map((c) => (
              <li key={c.id} className="flex items-center justify-between py-2.5" data-testid="commission-row">
                <div className="min-w-0">
                  <div className="truncate">
                    {c.buyer} 的订单 · {c.level === 1 ? "一级" : c.level === 2 ? "二级" : "三级"}
                  </div>
                  <div className="text-xs text-neutral-400">
                    订单号 {c.orderNo} · {fmtDate(c.createdAt)}
                    {c.reason ? ` · ${c.reason}` : ""}
                  </div>
                </div>
                <div className="shrink-0 text-right">
                  <div className="font-semibold tabular-nums">+{formatFen(c.amountFen)}</div>
                  <span className={`rounded-full px-2 py-0.5 text-[11px] ${tone(c.status)}`}>{c.label}</span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section id="poster" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm">
        <h2 className="font-semibold">分享海报</h2>
        <p className="mt-1 text-xs text-neutral-500">长按图片保存，发给好友或朋友圈；好友扫码注册即绑定为你的直推。</p>
        <div className="mt-3 flex gap-3">
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src="/promote/poster" alt="我的推广海报" className="w-36 shrink-0 rounded-lg border border-neutral-100" data-testid="poster-img" loading="lazy" />
          <div className="flex min-w-0 flex-col gap-2 text-xs">
            <a href="/promote/poster" download="推广海报.png" className="rounded-full bg-rose-600 px-3 py-1.5 text-center text-white">
              保存我的海报
            </a>
            {products?.items.length ? <div className="mt-1 text-neutral-500">商品海报</div> : null}
            {products?.items.map((p) => (
              <a key={p.id} href={`/promote/poster?product=${p.id}`} target="_blank" rel="noreferrer" className="truncate text-rose-600">
                {p.name}
              </a>
            ))}
          </div>
        </div>
      </section>
    </AppShell>
  );
}

function rate(part: number, whole: number) {
  if (!whole) return undefined;
  return `${Math.floor((part * 100) / whole)}%`;
}

function Stat({ value, label, sub, testId }: { value: number; label: string; sub?: string; testId?: string }) {
  return (
    <div>
      <div className="text-lg font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
      <div className="text-xs text-neutral-500">
        {label}
        {sub ? <span className="ml-1 text-rose-500">{sub}</span> : null}
      </div>
    </div>
  );
}

function TaskSection({ overview, tasks }: { overview: Overview; tasks: Tasks }) {
  return (
    <section id="tasks" className="mx-3 mt-3 scroll-mt-14 rounded-2xl bg-white p-4 text-sm">
      <div className="flex items-center gap-2">
        <span className="rounded-md bg-rose-600 px-1.5 py-0.5 text-xs font-bold text-white">推三返一</span>
        <h2 className="font-semibold">返现任务</h2>
      </div>
      <p className="mt-1 text-xs text-neutral-500">{overview.offer}。每位好友只计入一个任务，先开的任务先计。</p>
      {!overview.rebate.enabled ? <p className="mt-2 text-xs text-amber-600">活动暂未开启</p> : null}
      {tasks.length === 0 ? (
        <p className="py-6 text-center text-xs text-neutral-400">
          还没有返现任务，
          <Link href="/" className="text-rose-600">
            去下单
          </Link>
          后自动开启
        </p>
      ) : (
        <ul className="mt-3 space-y-3">
          {tasks.map((t) => (
            <li key={t.id} className="rounded-xl border border-neutral-100 p-3" data-testid="rebate-task" data-status={t.status}>
              <div className="flex items-center justify-between">
                <div>
                  <div className="font-medium">
                    返现 <span className="text-rose-600">¥{formatFen(t.cashbackFen)}</span>
                  </div>
                  <div className="text-xs text-neutral-400">订单 {t.anchorOrderNo}</div>
                </div>
                <span className={`rounded-full px-2 py-0.5 text-xs ${tone(t.status)}`} data-testid="task-label">
                  {t.label}
                </span>
              </div>

              <div className="mt-3 flex items-center gap-2">
                <div className="flex flex-1 gap-1">
                  {Array.from({ length: t.n }, (_, i) => (
                    <span key={i} className={`h-2 flex-1 rounded-full ${i < t.invited ? "bg-rose-500" : "bg-neutral-200"}`} />
                  ))}
                </div>
                <span className="shrink-0 text-xs tabular-nums" data-testid="task-progress">
                  {t.invited}/{t.n}
                </span>
              </div>
              <div className="mt-1 flex justify-between text-xs text-neutral-500">
                <span data-testid="task-missing">{t.missing > 0 ? `还差 ${t.missing} 人` : "已邀满"}</span>
                {t.status === "OPEN" ? <Countdown msLeft={t.msLeft} /> : <span>截止 {fmtDate(t.deadline)}</span>}
              </div>

              <ol className="mt-3 flex items-center text-[11px]" aria-label="返现进度">
                {overview.pipeline.map((p, i) => {
                  const reached = t.step >= i;
                  return (
                    <li key={p.status} className="flex flex-1 items-center">
                      <span className={`flex flex-col items-center ${reached ? "text-rose-600" : "text-neutral-400"}`}>
                        <span className={`h-2.5 w-2.5 rounded-full ${reached ? "bg-rose-500" : "bg-neutral-200"}`} />
                        {p.label}
                      </span>
                      {i < overview.pipeline.length - 1 ? <span className={`mx-1 mb-4 h-px flex-1 ${t.step > i ? "bg-rose-400" : "bg-neutral-200"}`} /> : null}
                    </li>
                  );
                })}
              </ol>

              {t.reason ? (
                <p className="mt-2 rounded-lg bg-neutral-50 px-2 py-1.5 text-xs text-neutral-600" data-testid="task-reason">
                  {t.label}：{t.reason}
                </p>
              ) : null}

              {t.invitees.length ? (
                <ul className="mt-2 flex flex-wrap gap-2 text-xs" data-testid="task-invitees">
                  {t.invitees.map((inv, i) => (
                    <li key={i} className="rounded-full bg-rose-50 px-2 py-1 text-rose-700">
                      {inv.name} · 首单{inv.orderLabel}
                    </li>
                  ))}
                </ul>
              ) : null}
              {t.status === "PAID" && t.paidAt ? <p className="mt-2 text-xs text-emerald-600">{fmtDate(t.paidAt)} 已到账 ¥{formatFen(t.amountFen)}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
