// First hop of the WeChat sign-in: next-auth sends the shopper here with its standard OAuth query;
// this forwards to WeChat's consent URL in the exact form WeChat accepts (appid first, parameters in
// the documented order, #wechat_redirect). Only our own callback and the two scopes are forwarded.
import { NextResponse } from "next/server";
import { serverOrigin } from "@/server/env";
import { authorizeUrl, WECHAT_SCOPES, wechatOAuthConfigFromEnv, type WechatScope } from "@/server/wechat/oauth";
import { WECHAT_CALLBACK_PATH } from "@/server/auth/wechat-provider";

export const dynamic = "force-dynamic";

export function GET(req: Request) {
  const cfg = wechatOAuthConfigFromEnv();
  if (!cfg) return NextResponse.json({ error: "WeChat sign-in is not enabled" }, { status: 404 });
  const q = new URL(req.url).searchParams;
  const scope = q.get("scope") ?? "";
  const state = q.get("state") ?? "";
  const redirectUri = q.get("redirect_uri") ?? "";
  if (q.get("client_id") !== cfg.appId) return NextResponse.json({ error: "unknown client_id" }, { status: 400 });
  if (redirectUri !== `${serverOrigin()}${WECHAT_CALLBACK_PATH}`) return NextResponse.json({ error: "redirect_uri is not this shop's callback" }, { status: 400 });
  if (!(WECHAT_SCOPES as readonly string[]).includes(scope)) return NextResponse.json({ error: "scope must be snsapi_base or snsapi_userinfo" }, { status: 400 });
  // WeChat carries state back unchanged, up to 128 bytes.
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(state)) return NextResponse.json({ error: "bad state" }, { status: 400 });
  return NextResponse.redirect(authorizeUrl(cfg, { redirectUri, scope: scope as WechatScope, state }), 302);
}
