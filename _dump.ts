import { readFileSync, writeFileSync } from "node:fs";
import { woff2ToSfnt, VARIATION_TABLES } from "./app/_lib/og/woff2";
const id = process.argv[2];
const b = readFileSync(`node_modules/@fontsource-variable/noto-sans-sc/files/noto-sans-sc-${id}-wght-normal.woff2`);
writeFileSync(`/tmp/chunk-${id}.ttf`, woff2ToSfnt(new Uint8Array(b), VARIATION_TABLES));
writeFileSync(`/tmp/chunk-${id}-full.ttf`, woff2ToSfnt(new Uint8Array(b)));
