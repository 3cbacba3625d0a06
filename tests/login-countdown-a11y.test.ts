// The login page's 获取验证码 button (app/login/LoginForm.tsx) waits out the same resend countdown as the signed-in
// pages' SmsCodeField (tests/sms-countdown-a11y.test.ts): its visible number ticks each second, its accessible name
// must not, so screen readers hear "60 秒后重发" when the wait starts and 获取验证码 when a code can be sent again
// (WCAG 2.2.2). The form draws it with SmsCodeField's ResendWait and keeps the start with its waitStart. No DOM in
// Vitest (and the countdown only runs after a send): the markup and the form's source are checked.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "../lib/i18n/messages";
import { createT } from "../lib/i18n/core";
import { ResendWait, waitStart } from "../components/SmsCodeField";

const ROOT = join(import.meta.dirname, "..");
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const resendZh = (s: number) => zh("login.resendIn", { s });
const loginForm = readFileSync(join(ROOT, "app/login/LoginForm.tsx"), "utf8");

/** What a screen reader takes as the button's name: its text without what is aria-hidden. */
function accessibleName(html: string): string {
  return html
    .replace(/<span aria-hidden="true">[^<]*<\/span>/g, "")
    .replace(/<[^>]+>/g, "")
    .trim();
}
/** The login button's content at a wait that started at `start`, as the form draws it (idle: 获取验证码). */
const button = (wait: number, start: number) =>
  wait > 0 ? renderToStaticMarkup(createElement(ResendWait, { wait, start, text: resendZh })) : zh("login.getCode");

describe("the login form's resend countdown is announced at its start and its end only", () => {
  it("the ticking number is drawn for the eye and hidden from screen readers, which get the wait it started with", () => {
    expect(button(37, 60)).toBe('<span aria-hidden="true">37 秒后重发</span><span class="sr-only">60 秒后重发</span>');
    const inEnglish = renderToStaticMarkup(createElement(ResendWait, { wait: 9, start: 60, text: (s) => en("login.resendIn", { s }) }));
    expect(inEnglish).toBe('<span aria-hidden="true">Resend in 9s</span><span class="sr-only">Resend in 60s</span>');
  });

  it("through a whole wait, tick by tick, the accessible name changes twice: when it starts and when a code can be sent again", () => {
    let start = 0;
    let name = accessibleName(button(0, 0));
    const heard: string[] = [];
    // Idle, a send answered with retryAfterSec 60, the ticks down to 0, idle again, then a second send.
    for (const wait of [0, 60, ...Array.from({ length: 60 }, (_, i) => 59 - i), 0, 60, 59]) {
      start = waitStart(start, wait);
      const now = accessibleName(button(wait, start));
      if (now !== name) heard.push(now);
      name = now;
    }
    expect(heard).toEqual(["60 秒后重发", "获取验证码", "60 秒后重发"]);
  });

  it("the form counts down with SmsCodeField's hook, keeps the start with its waitStart and draws the wait through its ResendWait", () => {
    expect(loginForm).toContain('import { ResendWait, refusalWait, useResendCountdown, waitStart } from "@/components/SmsCodeField";');
    expect(loginForm).toContain("const [countdown, setCountdown] = useResendCountdown();");
    expect(loginForm).toContain("const started = waitStart(countdownStart, countdown);");
    expect(loginForm).toContain('<ResendWait wait={countdown} start={started} text={(s) => t("login.resendIn", { s })} />');
    // No name of its own that ticks, and no live region that would read each second.
    expect(loginForm).not.toContain('t("login.resendIn", { s: countdown })');
    expect(loginForm).not.toMatch(/aria-live|role="timer"/);
  });
});
