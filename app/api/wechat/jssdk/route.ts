// wx.config for the page the shopper is on (GET ?url=<location.href without #>). 404 when no Official
// Account is configured, 400 for a URL that is not ours, 503 (with Retry-After) while WeChat's API fails:
// a failure stands for a minute, so page views do not spend WeChat's daily quota asking again.
import { NextResponse } from "next/server";
import { getDb } from "@/server/db";
import { serverOrigin } from "@/server/env";
import { FAILURE_BACKOFF_MS, WechatApiError, WechatUnavailable, wechatMpConfigFromEnv, wxConfigFor } from "@/server/wechat/jssdk";
import { refusalResponse, withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

export const GET = withErrorResponse("wechat jssdk", async (req: Request) => {
  const cfg = wechatMpConfigFromEnv();
  if (!cfg) return NextResponse.json({ error: "not configured" }, { status: 404 });
  const pageUrl = new URL(req.url).searchParams.get("url") ?? "";
  try {
    const config = await wxConfigFor(await getDb(), cfg, pageUrl, serverOrigin());
    if (!config) return NextResponse.json({ error: "url is not a page of this shop" }, { status: 400 });
    return NextResponse.json(config, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    // Anything else (the database) is an internal error, answered and logged by withErrorResponse.
    if (!(e instanceof WechatApiError || e instanceof WechatUnavailable)) throw e;
    const res = refusalResponse(req, 503, "wechat.jssdk.unavailable");
    res.headers.set("retry-after", String(e instanceof WechatUnavailable ? e.retryAfterS : FAILURE_BACKOFF_MS / 1000));
    res.headers.set("cache-control", "no-store");
    return res;
  }
});
