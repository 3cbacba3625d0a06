"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatYuan } from "@/components/money";
import { useTRPC, type RouterInputs } from "@/trpc/react";

type Status = Exclude<RouterInputs["merchantWithdrawal"]["list"], void | undefined>["status"];

const FILTERS: { status: Status; label: string }[] = [
  { status: "PENDING_REVIEW", label: "待审核" },
  { status: "APPROVED", label: "已批准" },
  { status: "PAYING", label: "打款中" },
  { status: "PAID", label: "已到账" },
  { status: "REJECTED", label: "已驳回" },
  { status: "FAILED", label: "失败" },
  { status: undefined, label: "全部" },
];

const STATUS_LABEL: Record<string, string> = Object.fromEntries(FILTERS.filter((f) => f.status).map((f) => [f.status!, f.label]));

const fmt = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });

export function MerchantWithdrawals() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status>("PENDING_REVIEW");
  const [message, setMessage] = useState<{ id: number; text: string } | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<{ id: number; reason: string } | null>(null);
  const list = useQuery(trpc.merchantWithdrawal.list.queryOptions(status ? { status } : {}));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.merchantWithdrawal.pathKey() });
  const approve = useMutation(
    trpc.merchantWithdrawal.approve.mutationOptions({
      onSuccess: (w) => {
        setFlash(`${w.payoutNo ?? `WD${w.id}`} ${w.status === "PENDING_REVIEW" ? "已记录您的审核，还需另一位审核人" : `已通过，当前状态：${STATUS_LABEL[w.status] ?? w.status}`}`);
        void refresh();
      },
      onError: (e, v) => setMessage({ id: v.id, text: e.message }),
    }),
  );
  const reject = useMutation(
    trpc.merchantWithdrawal.reject.mutationOptions({
      onSuccess: (_r, v) => {
        setRejecting(null);
        setFlash(`WD${v.id} 已驳回，金额已退回会员可提现余额`);
        void refresh();
      },
      onError: (e, v) => setMessage({ id: v.id, text: e.data?.zodError ? "请填写驳回原因（最多 200 字）" : e.message }),
    }),
  );

  return (
    <>
      <nav className="flex gap-2 overflow-x-auto bg-white px-3 py-2 text-xs" aria-label="提现状态">
        {FILTERS.map((f) => (
          <button
            key={f.label}
            type="button"
            onClick={() => {
              setStatus(f.status);
              setMessage(null);
            }}
            aria-pressed={status === f.status}
            className={`shrink-0 rounded-full px-3 py-1 ${status === f.status ? "bg-neutral-900 text-white" : "bg-neutral-100 text-neutral-600"}`}
          >
            {f.label}
          </button>
        ))}
      </nav>
      {flash ? (
        <p role="status" className="mx-3 mt-2 rounded bg-emerald-50 px-3 py-2 text-xs text-emerald-700">
          {flash}
        </p>
      ) : null}
      {list.isPending ? <p className="py-16 text-center text-sm text-neutral-400">加载中…</p> : null}
      {list.isError ? <p className="py-16 text-center text-sm text-rose-600">{list.error.message}</p> : null}
      {list.data && !list.data.length ? <p className="py-16 text-center text-sm text-neutral-400">暂无提现单</p> : null}
      <ul className="space-y-2 p-3">
        {list.data?.map((w) => {
          const approvals = w.approvals.filter((a) => a.decision === "approve").length;
          const name = w.member ? w.member.nickname || w.member.username : `会员 ${w.memberId}`;
          return (
            <li key={w.id} className="rounded-lg bg-white p-3 text-sm shadow-sm" data-testid="merchant-withdrawal" data-id={w.id} data-status={w.status} data-member={name}>
              <div className="flex items-center justify-between text-xs">
                <span className="tabular-nums text-neutral-500">{w.payoutNo ?? `WD${w.id}`}</span>
                <span className="font-medium text-neutral-800" data-testid="withdrawal-status">
                  {STATUS_LABEL[w.status] ?? w.status}
                </span>
              </div>
              <div className="mt-1.5 flex items-baseline justify-between">
                <span>
                  {name}
                  {w.member?.phoneMasked ? <span className="ml-1 text-xs text-neutral-400">{w.member.phoneMasked}</span> : null}
                </span>
                <b className="tabular-nums" data-testid="withdrawal-amount">
                  {formatYuan(w.amountFen)}
                </b>
              </div>
              <div className="mt-1 text-xs text-neutral-500">
                申请 {fmt.format(w.createdAt)}
                {w.decidedAt ? ` · 处理 ${fmt.format(w.decidedAt)}` : ""}
                {" · "}
                <span data-testid="withdrawal-approvals">
                  {w.approvalsNeeded === 0 ? "自动审核" : `审核 ${approvals}/${w.approvalsNeeded}`}
                </span>
              </div>
              {w.failReason ? <div className="mt-0.5 text-xs text-rose-500">原因：{w.failReason}</div> : null}
              {w.status === "PENDING_REVIEW" ? (
                <div className="mt-2 flex justify-end gap-2">
                  <button
                    type="button"
                    disabled={reject.isPending}
                    onClick={() => {
                      setMessage(null);
                      setRejecting(rejecting?.id === w.id ? null : { id: w.id, reason: "" });
                    }}
                    className="h-7 rounded border border-neutral-300 px-3 text-xs disabled:opacity-50"
                  >
                    驳回
                  </button>
                  <button
                    type="button"
                    disabled={approve.isPending}
                    onClick={() => {
                      setMessage(null);
                      setFlash(null);
                      approve.mutate({ id: w.id });
                    }}
                    className="h-7 rounded bg-neutral-900 px-3 text-xs text-white disabled:opacity-50"
                  >
                    通过
                  </button>
                </div>
              ) : null}
              {rejecting?.id === w.id ? (
                <form
                  className="mt-2 flex gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const reason = rejecting.reason.trim();
                    if (!reason) return setMessage({ id: w.id, text: "请填写驳回原因" });
                    reject.mutate({ id: w.id, reason });
                  }}
                >
                  <input
                    aria-label="驳回原因"
                    placeholder="驳回原因（必填）"
                    maxLength={200}
                    value={rejecting.reason}
                    onChange={(e) => setRejecting({ id: w.id, reason: e.target.value })}
                    className="h-8 min-w-0 flex-1 rounded border border-neutral-300 px-2 text-xs"
                  />
                  <button type="submit" disabled={reject.isPending} className="h-8 rounded bg-rose-600 px-3 text-xs text-white disabled:opacity-50">
                    确认驳回
                  </button>
                </form>
              ) : null}
              {message?.id === w.id ? (
                <p role="alert" className="mt-1 text-right text-xs text-rose-600">
                  {message.text}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
