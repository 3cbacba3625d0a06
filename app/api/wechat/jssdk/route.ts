// wx.config for the page the shopper is on (GET ?url=<location.href without #>). 404 when no Official
// Account is configured, 400 for a URL that is not ours, 502 when WeChat's API fails.
import { NextResponse } from "next/server";
import { getDb } from "@/server/db";
import { serverOrigin } from "@/server/env";
import { wechatMpConfigFromEnv, wxConfigFor } from "@/server/wechat/jssdk";
import { withErrorResponse } from "@/app/_lib/route-errors";

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
    console.error(`[wechat] jssdk config failed: ${e instanceof Error ? e.message : "unknown error"}`);
    return NextResponse.json({ error: "WeChat is unavailable" }, { status: 502 });
  }
});
