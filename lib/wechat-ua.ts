/** WeChat's in-app browser says MicroMessenger in its user agent (WeChat Work says wxwork as well). */
export function isWechatBrowser(userAgent: string | null | undefined): boolean {
  return Boolean(userAgent && /MicroMessenger/i.test(userAgent));
}
