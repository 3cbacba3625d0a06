"use client";

import { useEffect } from "react";
import { configuredWx } from "@/components/wechat-sdk";
import type { WechatShareData } from "@/app/_lib/wechat-share";

/**
 * Inside WeChat only: loads the JS-SDK, signs this page's URL through /api/wechat/jssdk, and sets what a
 * forwarded link shows in a chat and in Moments. Elsewhere it does nothing (and loads nothing).
 */
export function WechatShare({ data }: { data: WechatShareData }) {
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      // No Official Account configured, or WeChat unavailable: the default card.
      const wx = await configuredWx({ jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"] });
      if (!wx || cancelled) return;
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
