// Link-preview crawlers get metadata blocking in <head> (not streamed): Next's default list plus the chat
// apps where share links are opened (WeChat, QQ, DingTalk, Feishu/Lark, Weibo, Telegram). Used by
// next.config.ts (htmlLimitedBots) and by the page cache (server/page-cache.ts), which keeps their HTML apart.
export const HTML_LIMITED_BOTS =
  /[\w-]+-Google|Google-[\w-]+|Chrome-Lighthouse|Slurp|DuckDuckBot|baiduspider|yandex|sogou|bitlybot|tumblr|vkShare|quora link preview|redditbot|ia_archiver|Bingbot|BingPreview|applebot|facebookexternalhit|facebookcatalog|Twitterbot|LinkedInBot|Slackbot|Discordbot|WhatsApp|SkypeUriPreview|Yeti|googleweblight|MicroMessenger|WeChat|QQ\/|MQQBrowser|TencentTraveler|DingTalk|Lark|Feishu|Weibo|TelegramBot|Bytespider/i;
