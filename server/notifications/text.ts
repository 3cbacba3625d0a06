// The Chinese text a notification is stored with (WeChat messages and rows read without their key show it), rendered
// from its key and parameters by the zh-CN catalogue the in-app list uses: one wording, written once.
import { createT } from "@/lib/i18n/core";
import { zhCN } from "@/lib/i18n/messages/zh-CN";
import type { NoticeKey, NoticeParams } from "@/lib/i18n/messages/notices.zh-CN";
import { noticeText } from "@/lib/i18n/notices";

const zh = createT("zh-CN", zhCN, (key) => {
  throw new Error(`notice text: no zh-CN message ${key}`);
});

/** The notice's title and body in Chinese, as the zh-CN list renders them. */
export function storedNoticeText(key: NoticeKey, params?: NoticeParams): { title: string; body: string } {
  return noticeText(zh, { key, params: params ?? null, title: "", body: "" });
}
