// WeChat sign-in and cashier keys, spread into en.ts.
import type { wechatZhCN } from "./wechat.zh-CN";

export const wechatEn: Record<keyof typeof wechatZhCN, string> = {
  "wechat.signingIn": "Signing in with WeChat…",
  "wechat.bindTitle": "Link your phone number",
  "wechat.bindHint": "WeChat said yes. Verify your phone number to finish: you then have one account inside and outside WeChat.",
  "wechat.shareProfile": "Use my WeChat nickname and avatar",
  "wechat.sharedProfile": "Your WeChat nickname will be used: {name}",
  "wechat.bindSubmit": "Link and sign in",
  "wechat.error.WechatFrozen": "This account is frozen, please contact support",
  "wechat.error.WechatSnapshot": "Tap “use full service” at the bottom of the page, then sign in",
  "wechat.error.OAuthCallback": "WeChat sign-in failed: try again or sign in with your phone",
  "wechat.retry": "Try WeChat again",
  "share.productDesc": "From ¥{price} at {app}",
};
