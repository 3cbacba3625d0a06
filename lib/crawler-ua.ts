// Link-preview fetchers, search crawlers and scripts: their fetch of a share link is no visit (the KPI
// funnel's visits and the sharer's K-factor count people). Not HTML_LIMITED_BOTS (lib/html-limited-bots.ts):
// that list is about where metadata goes and matches WeChat's and QQ's in-app browsers, whose views are real.
// "(?<!cu)bot": the Cubot phone brand's browsers say "CUBOT" in their model name; "Sogou" alone is its browser.
const CRAWLER_UA =
  /(?<!cu)bot|spider|crawler|preview|facebookexternalhit|facebookcatalog|meta-externalagent|WhatsApp\/|Slack-ImgProxy|embedly|Iframely|ia_archiver|Slurp|vkShare|Chrome-Lighthouse|HeadlessChrome|PhantomJS|\bcurl\/|\bwget\/|python-requests|python-urllib|aiohttp|Go-http-client|okhttp|axios\/|node-fetch|\bJava\//i;

/** Whether a request with this user agent is a machine's, not a person's (no browser sends none at all). */
export function isCrawler(userAgent: string | null | undefined): boolean {
  return !userAgent?.trim() || CRAWLER_UA.test(userAgent);
}
