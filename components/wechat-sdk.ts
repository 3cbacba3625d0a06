// WeChat's JS-SDK inside the WeChat browser: loaded once, configured for the page's URL with the
// signature from /api/wechat/jssdk. Outside WeChat, or with no Official Account configured, it is null.
import { isWechatBrowser } from "@/lib/wechat-ua";

/** The version WeChat documents for updateAppMessageShareData and open tags; res2 is its backup host. */
const SDK_URLS = ["https://res.wx.qq.com/open/js/jweixin-1.6.0.js", "https://res2.wx.qq.com/open/js/jweixin-1.6.0.js"];

export interface Wx {
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

/** The JS-SDK configured for this page with the APIs and open tags it uses, or null where there is none. */
export async function configuredWx(use: { jsApiList: string[]; openTagList?: string[] }): Promise<Wx | null> {
  if (!isWechatBrowser(navigator.userAgent)) return null;
  const url = location.href.split("#")[0];
  const res = await fetch(`/api/wechat/jssdk?url=${encodeURIComponent(url)}`);
  if (!res.ok) return null;
  const cfg = (await res.json()) as { appId: string; timestamp: number; nonceStr: string; signature: string };
  const wx = await loadSdk();
  if (!wx) return null;
  wx.config({ debug: false, ...cfg, jsApiList: use.jsApiList, ...(use.openTagList ? { openTagList: use.openTagList } : {}) });
  return wx;
}

/** Templates the shopper accepted, from the open tag's success event (values are JSON strings or objects). */
export function acceptedTemplates(subscribeDetails: string): string[] {
  const details = JSON.parse(subscribeDetails) as Record<string, string | { status?: string }>;
  return Object.entries(details)
    .filter(([, v]) => (typeof v === "string" ? (JSON.parse(v) as { status?: string }) : v).status === "accept")
    .map(([id]) => id);
}
