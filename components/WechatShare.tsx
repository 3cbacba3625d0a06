"use client";

import { useEffect } from "react";
import { isWechatBrowser } from "@/lib/wechat-ua";
import type { WechatShareData } from "@/app/_lib/wechat-share";

/** WeChat's JS-SDK (the version WeChat documents for updateAppMessageShareData); res2 is its backup host. */
const SDK_URLS = ["https://res.wx.qq.com/open/js/jweixin-1.6.0.js", "https://res2.wx.qq.com/open/js/jweixin-1.6.0.js"];

interface Wx {
  config(c: Record<string, unknown>): void;
  ready(fn: () => void): void;
  error(fn: (e: unknown) => void): void;
  updateAppMessageShareData(d: Record<string, unknown>): void;
  updateTimelineShareData(d: Record<string, unknown>): void;
}
type WxWindow = Window & { wx?: Wx };

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.appendChild(s);
  });
}

async function loadSdk(): Promise<Wx | null> {
  const w = window as WxWindow;
  for (const src of SDK_URLS) {
    if (w.wx) break;
    try {
      await loadScript(src);
    } catch {
      // the backup host next
    }
  }
  return w.wx ?? null;
}

/**
 * Inside WeChat only: loads the JS-SDK, signs this page's URL through /api/wechat/jssdk, and sets what a
 * forwarded link shows in a chat and in Moments. Elsewhere it does nothing (and loads nothing).
 */
export function WechatShare({ data }: { data: WechatShareData }) {
  useEffect(() => {
    if (!isWechatBrowser(navigator.userAgent)) return;
    let cancelled = false;
    void (async () => {
      const url = location.href.split("#")[0];
      const res = await fetch(`/api/wechat/jssdk?url=${encodeURIComponent(url)}`);
      if (!res.ok || cancelled) return; // no Official Account configured, or WeChat unavailable: the default card
      const cfg = (await res.json()) as { appId: string; timestamp: number; nonceStr: string; signature: string };
      const wx = await loadSdk();
      if (!wx || cancelled) return;
      wx.config({ debug: false, ...cfg, jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"] });
      wx.ready(() => {
        wx.updateAppMessageShareData({ title: data.title, desc: data.desc, link: data.link, imgUrl: data.imgUrl });
        // Moments show the title only.
        wx.updateTimelineShareData({ title: data.title, link: data.link, imgUrl: data.imgUrl });
      });
    })().catch(() => {});
    return () => {
      cancelled = true;
    };
  }, [data.title, data.desc, data.link, data.imgUrl]);
  return null;
}
