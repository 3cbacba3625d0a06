import { networkInterfaces } from "node:os";
import type { NextConfig } from "next";
import { HTML_LIMITED_BOTS } from "./lib/html-limited-bots";

const nextConfig: NextConfig = {
  // The database drivers load WASM / native files at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // Link-preview crawlers get metadata blocking in <head> (lib/html-limited-bots.ts).
  htmlLimitedBots: HTML_LIMITED_BOTS,
  reactStrictMode: true,
  // Next 16's development server serves its scripts to localhost only: also to this machine's own addresses, so a
  // phone on the LAN (or 127.0.0.1) gets a working page rather than one that never hydrates. Development only.
  allowedDevOrigins: Object.values(networkInterfaces()).flatMap((nets) => (nets ?? []).filter((n) => n.family === "IPv4").map((n) => n.address)),
  // npm test runs tsc before it builds for the browser suite; checking the same types twice costs ~45 s.
  typescript: { ignoreBuildErrors: process.env.FM_TYPES_CHECKED === "1" },
  // A CI build is thrown away with its machine: writing Turbopack's build cache would only cost time.
  // authInterrupts: forbidden() (staffGate) answers a back-office page a role may not open with HTTP 403 and app/merchant/forbidden.tsx.
  experimental: { turbopackFileSystemCacheForBuild: !process.env.CI, authInterrupts: true },
  // No experimental.inlineCss: it put the 57 KB stylesheet in the HTML three times (a <style> and twice in
  // the RSC payload), 171 KB of a 255 KB home page that the phone had to parse before it could respond.
  // The OG image and poster routes read the Noto Sans SC .woff subsets from node_modules at run time.
  outputFileTracingIncludes: {
    "/api/og/**": ["./node_modules/@fontsource/noto-sans-sc/unicode.json", "./node_modules/@fontsource/noto-sans-sc/files/*-400-normal.woff", "./node_modules/@fontsource/noto-sans-sc/files/*-700-normal.woff"],
    "/promote/poster": ["./node_modules/@fontsource/noto-sans-sc/unicode.json", "./node_modules/@fontsource/noto-sans-sc/files/*-400-normal.woff", "./node_modules/@fontsource/noto-sans-sc/files/*-700-normal.woff"],
  },
  // The demo pictures are public like uploads (/media: a year, immutable, as their keys are content hashes), but
  // scripts/demo-images.ts rewrites them under the same names: a week, not immutable (Next's default max-age=0
  // made every repeat visit revalidate each picture).
  async headers() {
    return [{ source: "/products/:file+", headers: [{ key: "Cache-Control", value: "public, max-age=604800" }] }];
  },
};

export default nextConfig;
