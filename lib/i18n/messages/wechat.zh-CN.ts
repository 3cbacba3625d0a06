// WeChat sign-in and cashier keys, spread into zh-CN.ts.
export const wechatZhCN = {
  "wechat.signingIn": "正在通过微信登录…",
  "wechat.bindTitle": "绑定手机号",
  "wechat.bindHint": "微信授权成功。验证手机号后完成登录，之后在微信内外都是同一个账号。",
  "wechat.shareProfile": "使用微信昵称和头像",
  "wechat.sharedProfile": "将使用微信昵称：{name}",
  "wechat.bindSubmit": "绑定并登录",
  "wechat.error.WechatFrozen": "账号已冻结，请联系客服",
  "wechat.error.WechatSnapshot": "请点击页面下方的「使用完整服务」后再登录",
  "wechat.error.OAuthCallback": "微信授权失败，请重试或使用手机号登录",
  "wechat.retry": "重新微信授权",
  "share.productDesc": "¥{price} 起，{app}好物推荐",
} satisfies Record<string, string>;
