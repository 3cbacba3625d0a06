import type { Metadata, Viewport } from "next";
// Noto Sans SC from the installed @fontsource package (no network): split by unicode-range, so a
// browser downloads only the chunks a page uses, and only when no system CJK font comes first.
import "@fontsource-variable/noto-sans-sc/wght.css";
import "./globals.css";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: { default: "裂变商城", template: "%s · 裂变商城" },
  description: "好物低价，推三返一：邀请 3 位好友下单，你的订单全额返现。",
  applicationName: "裂变商城",
  formatDetection: { telephone: false },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  maximumScale: 1,
  viewportFit: "cover",
  themeColor: "#e11d48",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="zh-CN">
      <body>
        <Providers>
          <div className="relative mx-auto min-h-dvh max-w-md bg-neutral-50 shadow-sm">{children}</div>
        </Providers>
      </body>
    </html>
  );
}
