// Session keys (sign out everywhere), spread into en.ts.
import type { sessionZhCN } from "./session.zh-CN";

export const sessionEn: Record<keyof typeof sessionZhCN, string> = {
  "me.signOutEverywhere": "Sign out on all devices",
  "me.signOutEverywhereConfirm": "This signs you out on every phone and browser, including this one. Continue?",
  "me.signOutEverywhereOk": "Sign out everywhere",
  "me.signOutEverywhereFailed": "That did not work, please try again later",
};
