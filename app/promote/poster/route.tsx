// Share poster (750×1334 PNG) of the signed-in member, drawn on the server with next/og and the
// offline CJK font: personal poster, or a product poster with ?product=ID. The QR code (share link
// of the member) is embedded as a PNG data URL.
import { readFile } from "node:fs/promises";
import path from "node:path";
import QRCode from "qrcode";
import { ImageResponse } from "next/og";
import { ogFontsFor, OG_FONT_FAMILY } from "@/app/_lib/og/cjk-font";
import { siteOrigin } from "@/app/_lib/site";
import { maskName } from "@/app/_lib/mask";
import { formatFen } from "@/components/money";
import { getServerAuthSession } from "@/server/auth";
import { getDb } from "@/server/db";
import { loadConfig } from "@/server/context";
import { getProduct } from "@/server/catalog";
import { getT } from "@/lib/i18n/server";
import { promoteOfferText } from "@/lib/i18n/labels";
import { withErrorResponse } from "@/app/_lib/route-errors";

export const dynamic = "force-dynamic";

const W = 750;
const H = 1334;
const RED = "#e11d48";

/** A raster product picture from public/ as a data URL (SVG tiles are drawn instead: Satori cannot render their text). */
async function productPicture(imageUrl: string | null): Promise<string | null> {
  const m = imageUrl ? /^\/([\w\-/]+\.(png|jpe?g))$/i.exec(imageUrl) : null;
  if (!m || m[1]!.includes("..")) return null;
  try {
    const buf = await readFile(path.join(process.cwd(), "public", m[1]!));
    return `data:image/${m[2]!.toLowerCase() === "png" ? "png" : "jpeg"};base64,${buf.toString("base64")}`;
  } catch {
    return null;
  }
}

export const GET = withErrorResponse("poster", async (req: Request) => {
  const [session, t] = await Promise.all([getServerAuthSession(), getT()]);
  if (!session?.user?.id) return new Response(t("poster.signIn"), { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });
  const db = await getDb();
  const member = await db.member.findUnique({ where: { id: session.user.id }, select: { nickname: true, phoneMasked: true, referralCode: true } });
  if (!member) return new Response(t("poster.signIn"), { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });

  const productParam = new URL(req.url).searchParams.get("product");
  const productId = productParam && /^\d{1,9}$/.test(productParam) ? Number(productParam) : null;
  const product = productId ? await getProduct(db, productId) : null;
  if (productParam && !product) return new Response(t("product.notFound"), { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

  const config = await loadConfig(db);
  const origin = await siteOrigin();
  const link = `${origin}/r/${member.referralCode}${product ? `?product=${product.id}` : ""}`;
  const qr = await QRCode.toDataURL(link, { margin: 1, width: 300, errorCorrectionLevel: "M", color: { dark: "#111827", light: "#ffffff" } });
  const picture = product ? await productPicture(product.imageUrl) : null;

  // In the sharer's language (fm_lang cookie); product names stay as they are.
  const name = member.nickname ?? maskName(member.phoneMasked ?? t("landing.friend"));
  const brand = t("app.name");
  const headline = product ? t("poster.headlineProduct", { name }) : t("poster.headline", { name });
  const badge = t("rebate.badge");
  const tagline = config.campaign.posterSlogan || t("poster.tagline");
  const offer = promoteOfferText(t, config.rebate);
  const codeLine = t("poster.codeLine", { code: member.referralCode });
  const scan = t("poster.scan");
  const price = product ? `¥${formatFen(product.priceFen)}` : "";
  const productName = product?.name ?? "";
  const steps = [t("poster.step1"), t("poster.step2", { n: config.rebate.n }), t("poster.step3"), t("poster.step4")];
  const fonts = await ogFontsFor([brand, headline, badge, offer, codeLine, scan, price, productName, tagline, "裂", ...steps].join(""));

  return new ImageResponse(
    (
      <div style={{ width: "100%", height: "100%", display: "flex", flexDirection: "column", background: "linear-gradient(160deg, #e11d48 0%, #f43f5e 40%, #fb923c 100%)", fontFamily: OG_FONT_FAMILY, color: "white", padding: "56px 48px 48px" }}>
        <div style={{ display: "flex", alignItems: "center", fontSize: 34, fontWeight: 700 }}>
          <div style={{ display: "flex", width: 56, height: 56, borderRadius: 14, background: "white", color: RED, alignItems: "center", justifyContent: "center", marginRight: 16, fontSize: 34, fontWeight: 700 }}>裂</div>
          {brand}
        </div>
        <div style={{ display: "flex", marginTop: 40, fontSize: 58, lineHeight: 1.25, fontWeight: 700 }}>{headline}</div>
        <div style={{ display: "flex", alignItems: "center", marginTop: 24 }}>
          <div style={{ display: "flex", background: "white", color: RED, borderRadius: 12, padding: "6px 18px", fontSize: 36, marginRight: 18, fontWeight: 700 }}>{badge}</div>
          <div style={{ display: "flex", fontSize: 28, color: "rgba(255,255,255,0.95)" }}>{tagline}</div>
        </div>

        <div style={{ display: "flex", flexDirection: "column", flexGrow: 1, marginTop: 36, background: "white", borderRadius: 28, padding: 36, color: "#111827" }}>
          {product ? (
            <div style={{ display: "flex", flexDirection: "column" }}>
              {picture ? (
                // eslint-disable-next-line @next/next/no-img-element
                <img src={picture} width={606} height={380} style={{ objectFit: "cover", borderRadius: 18 }} alt="" />
              ) : (
                <div style={{ display: "flex", width: 606, height: 380, borderRadius: 18, background: "linear-gradient(135deg, #fb7185 0%, #fdba74 100%)", alignItems: "center", justifyContent: "center", color: "white", fontSize: 56, padding: 32, textAlign: "center", fontWeight: 700 }}>
                  {productName}
                </div>
              )}
              <div style={{ display: "flex", justifyContent: "space-between", alignItems: "flex-end", marginTop: 22 }}>
                <div style={{ display: "flex", fontSize: 36, maxWidth: 400 }}>{productName}</div>
                <div style={{ display: "flex", fontSize: 48, color: RED, fontWeight: 700 }}>{price}</div>
              </div>
            </div>
          ) : (
            <div style={{ display: "flex", flexDirection: "column" }}>
              <div style={{ display: "flex", fontSize: 34, color: RED, fontWeight: 700 }}>{badge}</div>
              <div style={{ display: "flex", marginTop: 14, fontSize: 30, lineHeight: 1.5, color: "#374151" }}>{offer}</div>
              <div style={{ display: "flex", marginTop: 28, justifyContent: "space-between" }}>
                {steps.map((s, i) => (
                  <div key={s} style={{ display: "flex", flexDirection: "column", alignItems: "center", width: 140 }}>
                    <div style={{ display: "flex", width: 56, height: 56, borderRadius: 28, background: "#ffe4e6", color: RED, alignItems: "center", justifyContent: "center", fontSize: 30, fontWeight: 700 }}>{String(i + 1)}</div>
                    <div style={{ display: "flex", marginTop: 10, fontSize: 24, color: "#4b5563", textAlign: "center" }}>{s}</div>
                  </div>
                ))}
              </div>
            </div>
          )}

          <div style={{ display: "flex", alignItems: "center", marginTop: "auto", paddingTop: 28, borderTop: "2px dashed #fecdd3" }}>
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={qr} width={220} height={220} alt="" />
            <div style={{ display: "flex", flexDirection: "column", marginLeft: 28 }}>
              <div style={{ display: "flex", fontSize: 36, color: "#111827", letterSpacing: 2, fontWeight: 700 }}>{codeLine}</div>
              <div style={{ display: "flex", marginTop: 14, fontSize: 24, color: "#6b7280" }}>{scan}</div>
              {product ? <div style={{ display: "flex", marginTop: 14, fontSize: 22, color: RED, maxWidth: 330 }}>{offer}</div> : null}
            </div>
          </div>
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
