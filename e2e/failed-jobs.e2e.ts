// Failed background jobs (issue 8): a dead-lettered due transition shows as a count on the merchant
// home; staff open the list and retry it, and the in-process sweep performs it.
import { devices, expect, test } from "@playwright/test";
import { signInWithSms } from "./helpers";

const ADMIN_PHONE = "13800000000";

test("staff see the failed-jobs count on the merchant home and retry the job", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const res = await request.post("/api/test/jobs");
  expect(res.status()).toBe(200);
  const context = await browser.newContext({ ...devices["Pixel 7"], baseURL: testInfo.project.use.baseURL, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await signInWithSms(page, ADMIN_PHONE, "/merchant");
  await expect(page).toHaveURL(/\/merchant\/orders$/);
  const notice = page.getByTestId("failed-jobs");
  await expect(notice).toContainText("1 个后台任务多次失败");
  await notice.getByRole("button", { name: "查看" }).click();
  const job = notice.getByTestId("failed-job");
  await expect(job).toContainText("订单完成");
  await expect(job).toContainText("失败 8 次");
  await page.screenshot({ path: testInfo.outputPath("failed-jobs.png"), fullPage: true });
  await job.getByRole("button", { name: "重试" }).click();
  await expect(notice).toBeHidden();
  // The retried row is due again: the next sweep (the in-process scheduler or, here, the test clock) performs it.
  expect((await request.post("/api/test/clock", { data: { advanceMs: 0 } })).status()).toBe(200);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("商家后台");
  await expect(page.getByTestId("failed-jobs")).toHaveCount(0);
});
