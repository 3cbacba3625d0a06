// The SMS code's 获取验证码 button (components/SmsCodeField.tsx: 绑定支付宝 in the wallet, 注销账号) waits out the resend
// countdown. Its visible number ticks each second; its accessible name must not (a name that changes each second is
// read out each second): screen readers hear the wait when it starts and 获取验证码 when the code can be sent again
// (WCAG 2.2.2, as the order's pay countdown, tests/shopper-a11y-fields-timers.test.ts). No DOM in Vitest: the markup
// and the function the component keeps its state with are checked.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MESSAGES } from "../lib/i18n/messages";
import { createT } from "../lib/i18n/core";
import { ResendWait, SmsCodeField, waitStart } from "../components/SmsCodeField";

const ROOT = join(import.meta.dirname, "..");
const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);
const resend = (s: number) => zh("wallet.payee.resend", { s });

/** What a screen reader takes as the button's name: its text without what is aria-hidden. */
function accessibleName(html: string): string {
  return html
    .replace(/<span aria-hidden="true">[^<]*<\/span>/g, "")
    .replace(/<[^>]+>/g, "")
    .trim();
}
/** The SmsCodeField's send button's inner markup at a wait just set (a first render takes it as the start). */
const button = (wait: number) => {
  const field = createElement(SmsCodeField, {
    value: "",
    onChange() {},
    wait,
    sending: false,
    onSend() {},
    sendText: zh("wallet.payee.sendCode"),
    resendText: resend,
    testId: "code",
    sendTestId: "send",
  });
  return /<button[^>]*data-testid="send"[^>]*>(.*)<\/button>/.exec(renderToStaticMarkup(field))?.[1] ?? "";
};
/** A later tick of a wait that started at `start`, as the field draws it (its state through waitStart). */
const tick = (wait: number, start: number) => renderToStaticMarkup(createElement(ResendWait, { wait, start: waitStart(start, wait), text: resend }));

describe("获取验证码's resend countdown is announced at its start and its end only", () => {
  it("the ticking number is drawn for the eye and hidden from screen readers, which get the wait it started with", () => {
    expect(button(60)).toBe('<span aria-hidden="true">60 秒后可重新获取</span><span class="sr-only">60 秒后可重新获取</span>');
    expect(tick(37, 60)).toBe('<span aria-hidden="true">37 秒后可重新获取</span><span class="sr-only">60 秒后可重新获取</span>');
    expect(button(0)).toBe("获取验证码");
    const inEnglish = renderToStaticMarkup(createElement(ResendWait, { wait: 9, start: 60, text: (s) => en("account.delete.resend", { s }) }));
    expect(inEnglish).toBe('<span aria-hidden="true">Resend in 9 s</span><span class="sr-only">Resend in 60 s</span>');
  });

  it("through a whole wait, tick by tick, the accessible name changes twice: when it starts and when the code can be sent again", () => {
    let start = 0;
    let name = accessibleName(button(0));
    const heard: string[] = [];
    // Idle, a send answered with retryAfterSec 60, the ticks down to 0, idle again, then a second send.
    for (const wait of [0, 60, ...Array.from({ length: 60 }, (_, i) => 59 - i), 0, 60, 59]) {
      start = waitStart(start, wait);
      const now = accessibleName(wait > 0 ? tick(wait, start) : button(0));
      if (now !== name) heard.push(now);
      name = now;
    }
    expect(heard).toEqual(["60 秒后可重新获取", "获取验证码", "60 秒后可重新获取"]);
  });

  it("the start: kept through the ticks, taken anew by a longer wait, cleared at 0", () => {
    expect(waitStart(0, 60)).toBe(60);
    expect(waitStart(60, 59)).toBe(60);
    expect(waitStart(60, 1)).toBe(60);
    expect(waitStart(60, 0)).toBe(0);
    expect(waitStart(30, 60)).toBe(60);
  });

  it("the field keeps the start in its state and draws the wait through ResendWait; no live region ticks", () => {
    const code = readFileSync(join(ROOT, "components/SmsCodeField.tsx"), "utf8");
    expect(code).toContain("const started = waitStart(start, props.wait);");
    expect(code).toContain("<ResendWait wait={props.wait} start={started} text={props.resendText} />");
    expect(code).not.toMatch(/aria-live|role="status"|role="timer"/);
  });
});
