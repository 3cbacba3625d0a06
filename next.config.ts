import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The database drivers load WASM / native files at run time: keep them out of the bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // Link-preview crawlers get metadata blocking in <head> (not streamed): Next's default list plus
  // the chat apps where share links are opened (WeChat, QQ, DingTalk, Feishu/Lark, Weibo, Telegram).
  htmlLimitedBots:
    /[\w-]+-Google|Google-[\w-]+|Chrome-Lighthouse|Slurp|DuckDuckBot|baiduspider|yandex|sogou|bitlybot|tumblr|vkShare|quora link preview|redditbot|ia_archiver|Bingbot|BingPreview|applebot|facebookexternalhit|facebookcatalog|Twitterbot|LinkedInBot|Slackbot|Discordbot|WhatsApp|SkypeUriPreview|Yeti|googleweblight|MicroMessenger|WeChat|QQ\/|MQQBrowser|TencentTraveler|DingTalk|Lark|Feishu|Weibo|TelegramBot|Bytespider/i,
  reactStrictMode: true,
  // No experimental.inlineCss: it put the 57 KB stylesheet in the HTML three times (a <style> and twice in
  // the RSC payload), 171 KB of a 255 KB home page that the phone had to parse before it could respond.
  // The OG image and poster routes read the Noto Sans SC .woff subsets from node_modules at run time.
  outputFileTracingIncludes: {
    "/api/og/**": ["./node_modules/@fontsource/noto-sans-sc/unicode.json", "./node_modules/@fontsource/noto-sans-sc/files/*-400-normal.woff", "./node_modules/@fontsource/noto-sans-sc/files/*-700-normal.woff"],
    "/promote/poster": ["./node_modules/@fontsource/noto-sans-sc/unicode.json", "./node_modules/@fontsource/noto-sans-sc/files/*-400-normal.woff", "./node_modules/@fontsource/noto-sans-sc/files/*-700-normal.woff"],
  },
};

export default nextConfig;
