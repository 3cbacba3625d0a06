import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The database drivers load WASM / native files at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  // The OG image route reads the Noto Sans SC chunks from node_modules at run time.
  outputFileTracingIncludes: {
    "/api/og/**": ["./node_modules/@fontsource-variable/noto-sans-sc/unicode.json", "./node_modules/@fontsource-variable/noto-sans-sc/files/*.woff2"],
  },
};

export default nextConfig;
