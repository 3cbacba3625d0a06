// Staff read a failed transition by its name in words on the merchant home (FailedJobsNotice: m.jobs.kind.<kind>),
// never a raw code: every kind the scheduler can dead-letter has a label in both languages.
import { describe, expect, it } from "vitest";
import { DueKind } from "../server/db/generated/enums";
import { merchantZhCN } from "../lib/i18n/messages/merchant.zh-CN";
import { merchantEn } from "../lib/i18n/messages/merchant.en";

describe("failed-job kind labels", () => {
  it.each(Object.values(DueKind))("%s has a Chinese and an English label", (kind) => {
    const key = `m.jobs.kind.${kind}` as keyof typeof merchantZhCN;
    expect(merchantZhCN[key]).toMatch(/\p{Script=Han}/u);
    expect(merchantEn[key]).toMatch(/^[A-Z][a-z]/);
  });
});
