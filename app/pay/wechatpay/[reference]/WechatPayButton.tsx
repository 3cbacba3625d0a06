"use client";

import { useCallback, useState } from "react";
import { useRouter } from "next/navigation";
import { useT } from "@/lib/i18n/client";

type Bridge = { invoke(name: string, params: Record<string, string>, cb: (res: { err_msg: string }) => void): void };

/** On tap (WeChat injects its bridge before the shopper can tap), calls WeixinJSBridge getBrandWCPayRequest; the result page then waits for the server's confirmation. */
export function WechatPayButton({ params, resultUrl }: { params: Record<string, string>; resultUrl: string }) {
  const t = useT();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const pay = useCallback(() => {
    const bridge = (window as unknown as { WeixinJSBridge?: Bridge }).WeixinJSBridge;
    if (!bridge) return;
    setPending(true);
    bridge.invoke("getBrandWCPayRequest", params, (res) => {
      setPending(false);
      // "ok" is only the client's word: the order turns paid when WeChat's signed callback (or our query) says so.
      if (res.err_msg === "get_brand_wcpay_request:ok") router.push(resultUrl);
    });
  }, [params, resultUrl, router]);
  return (
    <button type="button" onClick={pay} disabled={pending} className="h-12 w-full rounded-lg bg-[#07c160] text-base font-medium text-white disabled:opacity-60">
      {pending ? t("cashier.paying") : t("cashier.confirm")}
    </button>
  );
}
