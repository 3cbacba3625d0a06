// A share link pasted into a chat message often ends up with the message's punctuation glued on by the app's
// auto-linker (分享 https://…/r/VDZ757。or （…/r/VDZ757）): the friend lands on the invitation meant, not "invalid".
import { describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { codeInLink, referralCodeFor } from "@/server/referral/codes";

const code = referralCodeFor(1);

describe("a share link with punctuation on its end", () => {
  it("reads the code under trailing full-width and ASCII punctuation and spaces, and nothing else", () => {
    for (const tail of ["）", "。", "，", "！", ")", ".", "!", "」", " ", "。）", "\u3000"]) expect(codeInLink(code + tail)).toBe(code);
    expect(codeInLink(code.toLowerCase() + "）")).toBe(code);
    expect(codeInLink(code)).toBe(code);
    // Letters or digits on the end are another (wrong) code, not punctuation: no guess.
    expect(codeInLink(code + "A")).toBeNull();
    expect(codeInLink("（" + code)).toBeNull();
    expect(codeInLink("）")).toBeNull();
  });

  it("redirects /r/CODE） to /r/CODE with its query, and leaves an exact code alone", async () => {
    const res = await proxy(new NextRequest(`http://127.0.0.1:3000/r/${code}${encodeURIComponent("）")}?product=3`));
    expect(res.status).toBe(308);
    const to = new URL(res.headers.get("location")!);
    expect(to.pathname + to.search).toBe(`/r/${code}?product=3`);
    const exact = await proxy(new NextRequest(`http://127.0.0.1:3000/r/${code}`));
    expect(exact.status).toBe(200);
    const wrong = await proxy(new NextRequest(`http://127.0.0.1:3000/r/${code}X`));
    expect(wrong.headers.get("location")).toBeNull();
  });
});
