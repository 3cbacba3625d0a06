// npx tsx scripts/demo-images.ts: renders the demo catalogue's artwork (public/products/*.svg, the editable
// source) to the WebP pictures the seed uses, each with its list thumbnail (server/storage/urls.ts). A shop's pictures are photos, uploaded as WebP; SVG tiles
// with text cost phones a layout and font pass per picture, so the demo ships them rasterised too.
// Needs a CJK font on the machine (Debian: fonts-noto-cjk) for the tiles' text.
import { readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { THUMB_SIDE } from "../server/storage/urls";

const DIR = path.join(process.cwd(), "public", "products");
const SIDE = 600;

for (const file of readdirSync(DIR).filter((f) => f.endsWith(".svg"))) {
  for (const [side, suffix, quality] of [[SIDE, "", 82], [THUMB_SIDE, `_${THUMB_SIDE}`, 78]] as const) {
    const out = path.join(DIR, file.replace(/\.svg$/, `${suffix}.webp`));
    const info = await sharp(path.join(DIR, file), { density: 144 }).resize(side, side).webp({ quality }).toFile(out);
    console.log(`${path.relative(process.cwd(), out)}: ${info.width}×${info.height}, ${Math.round(info.size / 1024)} KiB`);
  }
}
