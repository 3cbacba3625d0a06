// Session keys (sign out everywhere), spread into zh-CN.ts.
export const sessionZhCN = {
  "me.signOutEverywhere": "退出所有设备",
  "me.signOutEverywhereConfirm": "将退出你在所有手机和浏览器上的登录（包括本机），确定吗？",
  "me.signOutEverywhereOk": "全部退出",
  "me.signOutEverywhereFailed": "操作失败，请稍后再试",
} satisfies Record<string, string>;
