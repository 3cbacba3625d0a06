// Failed background jobs (issue 8): a dead-lettered due transition or outbox event shows as a count on the
// merchant home (finance and the owner); staff open the list and retry it, and the next sweep or relay performs it.
// The notice follows the back office's language.
import { expect, test } from "@playwright/test";
import { createStaff, staffSignIn } from "./helpers";

test("finance sees the failed-jobs count on the merchant home and retries the job", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const res = await request.post("/api/test/jobs");
  expect(res.status()).toBe(200);
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await staffSignIn(page, await createStaff(page, "finance"), "/merchant");
  await expect(page).toHaveURL(/\/merchant$/);
  await expect(page.getByTestId("todo-failedJobs")).toContainText("1");
  const notice = page.getByTestId("failed-jobs");
  await expect(notice).toContainText("1 个后台任务多次失败");
  await notice.getByRole("button", { name: "查看" }).click();
  const job = notice.getByTestId("failed-job");
  await expect(job).toContainText("订单完成");
  await expect(job).toContainText("失败 8 次");
  await page.screenshot({ path: testInfo.outputPath("failed-jobs.png"), fullPage: true });
  // In English the notice and the job read in English too (the list stays open across the switch).
  await page.getByRole("button", { name: "English" }).click();
  await expect(notice).toContainText("1 background job(s) failed repeatedly");
  await expect(job).toContainText("Complete order");
  await expect(job).toContainText("failed 8 times");
  await job.getByRole("button", { name: "Retry" }).click();
  await expect(notice).toBeHidden();
  // The retried row is due again: the next sweep (the in-process scheduler or, here, the test clock) performs it.
  expect((await request.post("/api/test/clock", { data: { advanceMs: 0 } })).status()).toBe(200);
  await page.reload();
  await expect(page.getByTestId("todo-failedJobs")).toContainText("0");
  await expect(page.getByTestId("failed-jobs")).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath("failed-jobs-cleared.png"), fullPage: true });
});

test("finance sees a dead-lettered outbox event among the failed jobs and puts it back in the queue", async ({ browser, request }, testInfo) => {
  test.setTimeout(120_000);
  const res = await request.post("/api/test/jobs", { data: { kind: "outboxEvent" } });
  expect(res.status()).toBe(200);
  const { id } = (await res.json()) as { id: number };
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await staffSignIn(page, await createStaff(page, "finance"), "/merchant");
  await expect(page.getByTestId("todo-failedJobs")).toContainText("1");
  const notice = page.getByTestId("failed-jobs");
  await expect(notice).toContainText("1 个后台任务多次失败");
  await notice.getByRole("button", { name: "查看" }).click();
  const job = notice.getByTestId("failed-job");
  await expect(job).toContainText(`事件 e2e/simulated · #${id} · 失败 8 次`);
  await expect(job).toContainText("起暂停重试");
  // The handler's error text is never shown (it may carry personal data).
  await expect(job).not.toContainText("simulated failure");
  await page.getByRole("button", { name: "English" }).click();
  await expect(job).toContainText(`Event e2e/simulated · #${id} · failed 8 times`);
  await job.getByRole("button", { name: "Retry" }).click();
  // Back in the queue (due at once): no longer a failed job.
  await expect(notice).toBeHidden();
  await page.reload();
  await expect(page.getByTestId("todo-failedJobs")).toContainText("0");
  await expect(page.getByTestId("failed-jobs")).toHaveCount(0);
});
