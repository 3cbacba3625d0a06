"use client";

import { useEffect, useRef, useState } from "react";
import { acceptedTemplates, configuredWx } from "@/components/wechat-sdk";
import { useT } from "@/lib/i18n/client";
import type { Translator } from "@/lib/i18n/core";

declare module "react" {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- how React types a custom element
  namespace JSX {
    interface IntrinsicElements {
      "wx-open-subscribe": React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement> & { template: string };
    }
  }
}

/** The open tag's button, drawn by WeChat inside its own frame from this template (plain HTML + CSS), in the page's language. */
export function subscribeButtonHtml(t: Translator): string {
  const label = t("wx.subscribe.button").replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<style>.b{display:block;width:100%;padding:10px 0;border:1px solid #e11d48;border-radius:999px;background:#fff;color:#e11d48;font-size:14px}</style><button class="b">${label}</button>`;
}

/**
 * Inside WeChat with an Official Account: WeChat's subscribe button (wx-open-subscribe) for the messages
 * we send (SPEC: payment, shipment, commission, cashback). WeChat only delivers what the shopper accepted here.
 */
export function WechatSubscribe({ templates }: { templates: string[] }) {
  const t = useT();
  const ref = useRef<HTMLElement>(null);
  const [state, setState] = useState<"off" | "ready" | "accepted" | "declined">("off");
  const key = templates.join(",");

  useEffect(() => {
    if (!key) return;
    let cancelled = false;
    void configuredWx({ jsApiList: ["updateAppMessageShareData"], openTagList: ["wx-open-subscribe"] })
      .then((wx) => wx?.ready(() => !cancelled && setState("ready")))
      .catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [key]);

  useEffect(() => {
    const el = ref.current;
    if (state !== "ready" || !el) return;
    const onSuccess = (e: Event) => {
      const detail = (e as CustomEvent<{ subscribeDetails?: string }>).detail;
      try {
        setState(acceptedTemplates(detail?.subscribeDetails ?? "{}").length > 0 ? "accepted" : "declined");
      } catch {
        setState("declined");
      }
    };
    el.addEventListener("success", onSuccess);
    return () => el.removeEventListener("success", onSuccess);
  }, [state]);

  if (state === "off") return null;
  if (state !== "ready") {
    return (
      <p role="status" className="mt-3 text-xs text-neutral-600" data-testid="wechat-subscribe-result">
        {state === "accepted" ? t("wx.subscribe.accepted") : t("wx.subscribe.declined")}
      </p>
    );
  }
  return (
    <div className="mt-3 w-full" data-testid="wechat-subscribe">
      <wx-open-subscribe ref={ref} template={key}>
        <script type="text/wxtag-template" dangerouslySetInnerHTML={{ __html: subscribeButtonHtml(t) }} />
      </wx-open-subscribe>
    </div>
  );
}
