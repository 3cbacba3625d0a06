// Share poster (750×1334 PNG) of the signed-in member, drawn on the server with next/og and the
// offline Noto Sans SC subsets: personal poster, or a product poster with ?product=ID (its picture and
// price). The QR code (the member's share link, carrying the product) is embedded as a PNG data URL;
// tests/posters.test.ts decodes it from the poster's pixels.
import { readFile } from "node:fs/promises";
import path from "node:path";
import QRCode from "qrcode";
import sharp from "sharp";
import { ImageResponse } from "next/og";
import { ogFontsFor, OG_FONT_FAMILY } from "@/app/_lib/og/cjk-font";
import { siteOrigin } from "@/app/_lib/site";
import { formatFen } from "@/components/money";
import { getServerAuthSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { getProduct } from "@/server/catalog";
import { getStorage } from "@/server/storage";
import { avatarOf, isOwnPicture, publicNameOf } from "@/server/members/profile";
import { sharesLink } from "@/server/promotion";
import { getT } from "@/lib/i18n/server";
import { posterOfferText } from "@/lib/i18n/labels";
import { withErrorResponse } from "@/app/_lib/route-errors";
import { getShopName, shopInitial } from "@/app/_lib/shop";

export const dynamic = "force-dynamic";

const W = 750;
const H = 1334;
const PAD = 40;
const CARD_PAD = 32;
const INNER = W - 2 * PAD - 2 * CARD_PAD;
const PICTURE_H = 540;
const RED = "#e11d48";
const AVATAR = 92;

/** The raw bytes of a product picture: an upload from storage (/media/…) or a file under public/. */
async function pictureBytes(url: string): Promise<Buffer | null> {
  const media = /^\/media\/([\w\-/]+\.(?:webp|png|jpe?g))$/i.exec(url);
  if (media) return (await getStorage().get(media[1]!))?.body ?? null;
  const file = /^\/([\w\-/]+\.(?:png|jpe?g|webp|svg))$/i.exec(url);
  if (!file || file[1]!.includes("..")) return null;
  return readFile(path.join(process.cwd(), "public", file[1]!)).catch(() => null);
}

/** A picture cropped to a w×h frame as a PNG data URL (sharp also rasterises the SVG demo tiles). */
async function framedPicture(url: string | null, w: number, h: number): Promise<string | null> {
  const bytes = url ? await pictureBytes(url) : null;
  if (!bytes) return null;
  try {
    const png = await sharp(bytes, { density: 144 }).resize(w, h, { fit: "cover" }).png().toBuffer();
    return `data:image/png;base64,${png.toString("base64")}`;
  } catch {
    return null;
  }
}

export const GET = withErrorResponse("poster", async (req: Request) => {
  const [session, t] = await Promise.all([getServerAuthSession(), getT()]);
  if (!session?.user?.id) return new Response(t("poster.signIn"), { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });
  const db = await getDb();
  const member = await db.member.findUnique({ where: { id: session.user.id }, select: { id: true, nickname: true, avatarUrl: true, referralCode: true, frozen: true } });
  if (!member) return new Response(t("poster.signIn"), { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });
  // A frozen member's link binds nobody: no poster to carry it.
  if (!sharesLink(member)) return new Response(t("poster.frozen"), { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });

  const productParam = new URL(req.url).searchParams.get("product");
  const productId = productParam && /^\d{1,9}$/.test(productParam) ? Number(productParam) : null;
  const product = productId ? await getProduct(db, productId) : null;
  if (productParam && !product) return new Response(t("product.notFound"), { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

  const config = await loadConfig(db);
  const origin = await siteOrigin();
  const link = `${origin}/r/${member.referralCode}${product ? `?product=${product.id}` : ""}`;
  const qrSide = product ? 232 : 340;
  // Margin 2 modules of white inside the picture: a quiet zone of its own, whatever surrounds it.
  const qr = await QRCode.toDataURL(link, { margin: 2, width: qrSide, errorCorrectionLevel: "M", color: { dark: "#111827", light: "#ffffff" } });
  const picture = product ? await framedPicture(product.images[0] ?? product.imageUrl, INNER, PICTURE_H) : null;

  // In the sharer's language (fm_lang cookie); product names stay as they are. The sharer's name is
  // masked the way every page shows a member to others.
  const name = publicNameOf(member);
  const avatar = avatarOf(member);
  // An uploaded avatar is drawn from storage; a WeChat CDN avatar is not fetched here, its glyph stands in.
  const avatarPicture = avatar.url && isOwnPicture(avatar.url) ? await framedPicture(avatar.url, AVATAR, AVATAR) : null;
  const brand = await getShopName();
  const initial = shopInitial(brand);
  const headline = product ? t("poster.headlineProduct", { name }) : t("poster.headline", { name });
  const badge = t("rebate.badge");
  const tagline = config.campaign.posterSlogan || t("poster.tagline");
  // The offer and steps speak to whoever scans the poster, whose variant is unknown until they sign up: the rules in force, as an anonymous landing shows.
  const offer = posterOfferText(t, config.rebate);
  const codeLine = t("poster.codeLine", { code: member.referralCode });
  const scan = t("poster.scan");
  const price = product ? `¥${formatFen(product.priceFen)}` : "";
  const priceFrom = product && product.skus.some((k) => k.priceFen !== product.priceFen) ? t("poster.priceFrom") : "";
  const productName = product?.name ?? "";
  const steps = [t("poster.step1"), t("poster.step2", { n: config.rebate.n }), t("poster.step3"), config.rebate.payout === "credit" ? t("poster.step4Credit") : t("poster.step4")];
  const fonts = await ogFontsFor([brand, headline, badge, offer, codeLine, scan, price, priceFrom, productName, tagline, avatar.glyph, ...steps].join(""));

  const qrBlock = (
    // eslint-disable-next-line @next/next/no-img-element
    <img src={qr} width={qrSide} height={qrSide} alt="" />
  );

  return new ImageResponse(
    (
      <div style={{ width: "100%", height: "100%", display: "flex", flexDirection: "column", background: "linear-gradient(160deg, #e11d48 0%, #f43f5e 40%, #fb923c 100%)", fontFamily: OG_FONT_FAMILY, color: "white", padding: PAD }}>
        <div style={{ display: "flex", alignItems: "center", fontSize: 30, fontWeight: 700 }}>
          <div style={{ display: "flex", flexShrink: 0, width: 52, height: 52, borderRadius: 14, background: "white", color: RED, alignItems: "center", justifyContent: "center", marginRight: 14, fontSize: 30, fontWeight: 700 }}>{initial}</div>
          {/* A long name (店铺资料 allows 30 characters) wraps to a second line beside the mark, never over it. */}
          <div style={{ display: "flex", flexShrink: 1, lineHeight: 1.3 }}>{brand}</div>
        </div>

        <div style={{ display: "flex", alignItems: "center", marginTop: 32 }}>
          {avatarPicture ? (
            // eslint-disable-next-line @next/next/no-img-element
            <img src={avatarPicture} width={AVATAR} height={AVATAR} style={{ flexShrink: 0, borderRadius: AVATAR / 2, border: "4px solid white" }} alt="" />
          ) : (
            <div style={{ display: "flex", flexShrink: 0, width: AVATAR, height: AVATAR, borderRadius: AVATAR / 2, background: avatar.colour, border: "4px solid white", alignItems: "center", justifyContent: "center", fontSize: 46, fontWeight: 700, color: "white" }}>{avatar.glyph}</div>
          )}
          <div style={{ display: "flex", flexDirection: "column", marginLeft: 22, flexGrow: 1, flexShrink: 1 }}>
            <div style={{ display: "flex", fontSize: 46, fontWeight: 700, lineHeight: 1.25 }}>{headline}</div>
            <div style={{ display: "flex", alignItems: "center", marginTop: 12 }}>
              <div style={{ display: "flex", flexShrink: 0, background: "white", color: RED, borderRadius: 10, padding: "2px 14px", fontSize: 28, fontWeight: 700, marginRight: 14 }}>{badge}</div>
              <div style={{ display: "flex", fontSize: 26, color: "rgba(255,255,255,0.95)" }}>{tagline}</div>
            </div>
          </div>
        </div>

        <div style={{ display: "flex", flexDirection: "column", justifyContent: "space-between", flexGrow: 1, marginTop: 32, background: "white", borderRadius: 28, padding: CARD_PAD, color: "#111827" }}>
          {product ? (
            <div style={{ display: "flex", flexDirection: "column" }}>
              {picture ? (
                // eslint-disable-next-line @next/next/no-img-element
                <img src={picture} width={INNER} height={PICTURE_H} style={{ borderRadius: 18 }} alt="" />
              ) : (
                <div style={{ display: "flex", width: INNER, height: PICTURE_H, borderRadius: 18, background: "linear-gradient(135deg, #fb7185 0%, #fdba74 100%)", alignItems: "center", justifyContent: "center", color: "white", fontSize: 52, fontWeight: 700, padding: 40, textAlign: "center" }}>
                  {productName}
                </div>
              )}
              <div style={{ display: "flex", marginTop: 22, fontSize: 34, fontWeight: 700, lineHeight: 1.35, maxHeight: 92, overflow: "hidden" }}>{productName}</div>
              <div style={{ display: "flex", alignItems: "baseline", marginTop: 10, color: RED }}>
                <div style={{ display: "flex", fontSize: 52, fontWeight: 700 }}>{price}</div>
                {priceFrom ? <div style={{ display: "flex", fontSize: 26, marginLeft: 6 }}>{priceFrom}</div> : null}
              </div>
            </div>
          ) : (
            <div style={{ display: "flex", flexDirection: "column" }}>
              <div style={{ display: "flex", fontSize: 34, color: RED, fontWeight: 700 }}>{badge}</div>
              <div style={{ display: "flex", marginTop: 12, fontSize: 28, lineHeight: 1.5, color: "#374151" }}>{offer}</div>
              <div style={{ display: "flex", flexDirection: "column", marginTop: 12 }}>
                {steps.map((s, i) => (
                  <div key={s} style={{ display: "flex", alignItems: "center", marginTop: 16 }}>
                    <div style={{ display: "flex", flexShrink: 0, width: 48, height: 48, borderRadius: 24, background: "#ffe4e6", color: RED, alignItems: "center", justifyContent: "center", fontSize: 26, fontWeight: 700 }}>{String(i + 1)}</div>
                    <div style={{ display: "flex", marginLeft: 16, fontSize: 28, color: "#374151" }}>{s}</div>
                  </div>
                ))}
              </div>
            </div>
          )}

          {product ? (
            <div style={{ display: "flex", alignItems: "center", paddingTop: 24, borderTop: "2px dashed #fecdd3" }}>
              {qrBlock}
              <div style={{ display: "flex", flexDirection: "column", marginLeft: 24, flexGrow: 1, flexShrink: 1 }}>
                <div style={{ display: "flex", fontSize: 32, fontWeight: 700, letterSpacing: 1 }}>{codeLine}</div>
                <div style={{ display: "flex", marginTop: 12, fontSize: 22, lineHeight: 1.4, color: "#6b7280" }}>{scan}</div>
                <div style={{ display: "flex", marginTop: 12, fontSize: 22, lineHeight: 1.4, color: RED }}>{offer}</div>
              </div>
            </div>
          ) : (
            <div style={{ display: "flex", flexDirection: "column", alignItems: "center", paddingTop: 28, borderTop: "2px dashed #fecdd3" }}>
              {qrBlock}
              <div style={{ display: "flex", marginTop: 18, fontSize: 34, fontWeight: 700, letterSpacing: 1 }}>{codeLine}</div>
              <div style={{ display: "flex", marginTop: 10, fontSize: 24, color: "#6b7280" }}>{scan}</div>
            </div>
          )}
        </div>
      </div>
    ),
    {
      width: W,
      height: H,
      fonts,
      headers: { "Cache-Control": "private, no-store" },
    },
  );
});
