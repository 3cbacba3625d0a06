"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { fmtTime } from "./format";

export function RiskQueue() {
  const trpc = useTRPC();
  const queue = useQuery({ ...trpc.merchantRisk.queue.queryOptions(), staleTime: 0 });
  return (
    <>
      <p className="px-4 pt-3 text-xs text-neutral-500">有未处理风控标记的会员；打开查看证据与关系网后统一通过或驳回。</p>
      {queue.isPending ? <p className="py-16 text-center text-sm text-neutral-400">加载中…</p> : null}
      {queue.isError ? <p className="py-16 text-center text-sm text-rose-600">{queue.error.message}</p> : null}
      {queue.data && !queue.data.length ? <p className="py-16 text-center text-sm text-neutral-400">暂无待审核会员</p> : null}
      <ul className="space-y-2 p-3">
        {queue.data?.map((m) => (
          <li key={m.id} data-testid="risk-queue-item" data-member-id={m.id} data-username={m.username}>
            <Link href={`/merchant/risk/${m.id}`} className="block rounded-lg bg-white p-3 text-sm shadow-sm">
              <div className="flex items-center justify-between">
                <span className="font-medium">
                  {m.nickname || m.username}
                  <span className="ml-1 text-xs font-normal text-neutral-400">#{m.id}</span>
                </span>
                <span className="text-xs text-neutral-500">{fmtTime(m.flags[0]!.at)}</span>
              </div>
              <div className="mt-1.5 flex flex-wrap gap-1">
                {m.flags.map((f) => (
                  <span key={f.id} className="rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-700" data-rule={f.rule}>
                    {f.label}
                  </span>
                ))}
              </div>
              <div className="mt-1 text-xs text-neutral-400">
                注册 {fmtTime(m.createdAt)}
                {m.rejectionCount ? ` · 已驳回 ${m.rejectionCount} 次` : ""}
                {m.frozen ? " · 已冻结" : ""}
              </div>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
