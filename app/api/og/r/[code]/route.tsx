// Open Graph image of a share link (1200×630 PNG), rendered with next/og and the offline Noto Sans SC subsets.
import { ImageResponse } from "next/og";
import { ogFontsFor, OG_FONT_FAMILY } from "@/app/_lib/og/cjk-font";
import { loadInvite } from "@/app/r/[code]/landing";
import { withErrorResponse } from "@/app/_lib/route-errors";
import { requestShopProfile, shopInitial } from "@/app/_lib/shop";
import { shopDisplayName } from "@/server/shop/profile";
import { RenderedImageCache } from "./image-cache";
import { ogLocale, ogText } from "./og-text";

export const dynamic = "force-dynamic";

/** Width of the top row left for the name: 1200 less the side padding (72 × 2) and the mark (64 + 20). */
const BRAND_ROW_PX = 1200 - 2 * 72 - 84;

/** The text's width in em: a CJK or full-width character is 1, anything else about half. */
function textWidthEm(text: string): number {
  let em = 0;
  for (const ch of text) em += /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 1 : 0.55;
  return Math.max(em, 1);
}

/** About 170 pictures (one is ~95 KB); one per process, kept across hot reloads in development. */
const g = globalThis as unknown as { __fmOgImages?: RenderedImageCache };
const images = (g.__fmOgImages ??= new RenderedImageCache(16 * 1024 * 1024));

export const GET = withErrorResponse("og image", async (req: Request, { params }: { params: Promise<{ code: string }> }) => {
  const { code } = await params;
  const [invite, profile] = await Promise.all([loadInvite(code), requestShopProfile()]);
  // Crawlers send no language cookie: the picture speaks the language its address names (Chinese by default), with the shop's name in it.
  const locale = ogLocale(req.url);
  const brand = shopDisplayName(profile, locale);
  const initial = shopInitial(brand);
  const brandSize = Math.min(40, Math.floor(BRAND_ROW_PX / textWidthEm(brand)));
  // The campaign's own terms (a cap, store credit, a minimum order), as the landing page states them.
  const { headline, badge, offer, footer } = ogText(locale, brand, invite);
  // Everything the picture shows (the rest follows from these); every unknown code shares one picture per language.
  const key = JSON.stringify([locale, invite?.code ?? null, brand, headline, invite?.avatar.glyph ?? null, invite?.avatar.colour ?? null, offer]);
  const png = await images.get(key, async () => {
    const fonts = await ogFontsFor([headline, badge ?? "", offer, footer, brand, invite?.avatar.glyph ?? ""].join(""));
    const rendered = new ImageResponse(
      (
        <div
          style={{
            width: "100%",
            height: "100%",
            display: "flex",
            flexDirection: "column",
            justifyContent: "space-between",
            padding: "56px 72px",
            background: "linear-gradient(135deg, #e11d48 0%, #f43f5e 45%, #fb923c 100%)",
            color: "white",
            fontFamily: OG_FONT_FAMILY,
          }}
        >
          <div style={{ display: "flex", alignItems: "center", fontSize: 40, fontWeight: 700 }}>
            <div style={{ display: "flex", flexShrink: 0, width: 64, height: 64, borderRadius: 16, background: "white", color: "#e11d48", alignItems: "center", justifyContent: "center", marginRight: 20, fontSize: 40, fontWeight: 700 }}>
              {initial}
            </div>
            <div style={{ display: "flex", flexShrink: 1, fontSize: brandSize, whiteSpace: "nowrap", overflow: "hidden" }}>{brand}</div>
          </div>
          <div style={{ display: "flex", flexDirection: "column" }}>
            <div style={{ display: "flex", alignItems: "center" }}>
              {invite ? (
                <div style={{ display: "flex", flexShrink: 0, width: 104, height: 104, borderRadius: 52, background: invite.avatar.colour, border: "5px solid white", alignItems: "center", justifyContent: "center", fontSize: 52, fontWeight: 700, marginRight: 28 }}>{invite.avatar.glyph}</div>
              ) : null}
              <div style={{ display: "flex", fontSize: 76, fontWeight: 700 }}>{headline}</div>
            </div>
            <div style={{ display: "flex", alignItems: "center", marginTop: 28 }}>
              {badge ? (
                <div style={{ display: "flex", background: "white", color: "#e11d48", borderRadius: 14, padding: "8px 22px", fontSize: 44, marginRight: 24, fontWeight: 700 }}>
                  {badge}
                </div>
              ) : null}
              <div style={{ display: "flex", fontSize: 44 }}>{offer}</div>
            </div>
          </div>
          <div style={{ display: "flex", fontSize: 30, color: "rgba(255,255,255,0.9)" }}>{footer}</div>
        </div>
      ),
      { width: 1200, height: 630, fonts },
    );
    return rendered.arrayBuffer();
  });
  return new Response(png, {
    headers: { "Content-Type": "image/png", "Cache-Control": "public, max-age=600, stale-while-revalidate=86400" },
  });
});
