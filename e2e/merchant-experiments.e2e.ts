// A/B 实验 (issue 11): the owner starts an experiment (a refused variant first), shoppers' new orders
// open cashback tasks split between the two groups, and the page shows both groups side by side with
// the verdict; ending it keeps the rules in force (later e2e files expect the default 推三返一).
import { devices, expect, test } from "@playwright/test";
import { createStaff, randomPhone, signInByRequest, staffSignIn, testDoorHeaders } from "./helpers";

const SHOTS = "test-results/screens";

test("an experiment splits new cashback tasks between two variants and reports them", async ({ page, browser, baseURL }) => {
  test.setTimeout(300_000);
  const owner = await createStaff(page, "owner");
  await staffSignIn(page, owner, "/merchant/experiments");
  await expect(page).toHaveURL(/\/merchant\/experiments$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("A/B 实验");
  const form = page.getByTestId("experiment-form");
  await form.getByLabel("实验名称").fill("一人即返半价");
  await form.getByLabel("实验假设（预期 B 组带来什么变化）").fill("门槛更低，更多人完成任务");
  await form.getByLabel("邀请人数 n").fill("1");

  // Refused by the compliance guard's ranges, on the field.
  await form.getByLabel("返现比例（%）").fill("150");
  await form.getByRole("button", { name: "开始实验" }).click();
  await expect(form.locator('[data-error-for="percent"]')).toHaveText("返现比例不能超过 100%");
  await expect(page.getByTestId("experiment-list")).toHaveCount(0);

  await form.getByLabel("返现比例（%）").fill("50");
  await form.getByRole("button", { name: "开始实验" }).click();
  const list = page.getByTestId("experiment-list");
  await expect(list).toContainText("一人即返半价");
  await expect(list.locator('[data-status="RUNNING"]')).toHaveText("进行中");
  const report = page.getByTestId("experiment-report");
  await expect(report.getByTestId("exp-a-返现规则")).toHaveText(/邀 3 人返 100%/);
  await expect(report.getByTestId("exp-b-返现规则")).toHaveText(/邀 1 人返 50%/);

  try {
    // Ten new shoppers (signed in by request: login.e2e covers the page) each pay an order: each opens a task in their member's group (P(all in one group) = 2/1024).
    const orderIds: number[] = [];
    for (let i = 0; i < 10; i++) {
      const ctx = await browser.newContext({ ...devices["Pixel 7"], locale: "zh-CN", timezoneId: "Asia/Shanghai", baseURL });
      try {
        const shopper = await ctx.newPage();
        await signInByRequest(shopper, randomPhone());
        const res = await shopper.request.post("/api/test/orders", { data: { action: "buy" }, headers: testDoorHeaders() });
        expect(res.ok()).toBe(true);
        orderIds.push(((await res.json()) as { orderId: number }).orderId);
      } finally {
        await ctx.close();
      }
    }
    await page.reload();
    const membersA = Number(await report.getByTestId("exp-a-开启返现任务的会员数（按会员计）").textContent());
    const membersB = Number(await report.getByTestId("exp-b-开启返现任务的会员数（按会员计）").textContent());
    expect(membersA + membersB).toBe(10);
    expect(membersA).toBeGreaterThan(0);
    expect(membersB).toBeGreaterThan(0);
    // One order each: as many tasks as members in each group.
    await expect(report.getByTestId("exp-a-返现任务数（按任务计）")).toHaveText(String(membersA));
    await expect(report.getByTestId("exp-b-返现任务数（按任务计）")).toHaveText(String(membersB));
    await expect(page.getByTestId("experiment-verdict")).toHaveText(`数据还不够：每组至少需要 30 位开启返现任务的会员（A 组 ${membersA} 位，B 组 ${membersB} 位）`);
    await expect(report.getByTestId("exp-a-会员达成率（95% 置信区间）")).toContainText("0.0% [");
    await expect(report.getByTestId("exp-a-会员达成率（95% 置信区间）")).toContainText(`(0/${membersA})`);
    await report.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/merchant-experiments.png`, fullPage: true });

    const end = page.getByTestId("experiment-end");
    // B with no reason: refused beside the field by the form itself (nothing sent), not as "实验未开始：reason：…".
    let endRequests = 0;
    page.on("request", (r) => {
      if (r.url().includes("merchantExperiments.end")) endRequests++;
    });
    await end.getByLabel("B 组（保存为新规则版本）").check();
    await end.getByRole("button", { name: "结束实验" }).click();
    await expect(end.locator('[data-error-for="reason"]')).toHaveText("请填写结束原因");
    await expect(end).not.toContainText("实验未开始");
    await expect(end).not.toContainText("reason");
    await end.screenshot({ path: `${SHOTS}/merchant-experiments-end-noreason.png` });
    // B while the data is not enough: a confirmation says what goes live and that the data is not conclusive; nothing is sent until it is confirmed.
    await end.getByLabel("结束原因").fill("数据不足，先试用 B 组规则");
    await end.getByRole("button", { name: "结束实验" }).click();
    const confirm = end.getByTestId("experiment-adopt-confirm");
    await expect(confirm).toContainText("确认后，B 组规则立即保存为新的规则版本并生效");
    await expect(confirm.getByTestId("experiment-adopt-settings")).toHaveText(/^邀 1 人返 50%，30 天内/);
    await expect(confirm.getByTestId("experiment-adopt-warning")).toHaveText("注意：实验数据尚无定论，现有结果还不能说明 B 组更好。");
    await expect(confirm.getByRole("button", { name: "确认采用 B 组并结束实验" })).toBeVisible();
    await confirm.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/merchant-experiments-adopt-confirm.png` });
    await confirm.getByRole("button", { name: "返回修改" }).click();
    await expect(confirm).toHaveCount(0);
    expect(endRequests).toBe(0);
    await expect(list.locator('[data-status="RUNNING"]')).toHaveText("进行中");

    // The order page says which group a task opened during the experiment is in.
    await page.goto(`/merchant/orders/${orderIds[0]}`);
    const group = page.getByTestId("order-rebate-experiment");
    await expect(group).toHaveText(/^实验：一人即返半价 · [AB] 组$/);
    expect(["A", "B"]).toContain(await group.getAttribute("data-variant"));
    await page.getByTestId("order-rebate").screenshot({ path: `${SHOTS}/merchant-experiments-order-task.png` });
    await page.goto("/merchant/experiments");
  } finally {
    const end = page.getByTestId("experiment-end");
    await end.getByLabel("A 组（保持现行规则）").check();
    await end.getByLabel("结束原因").fill("e2e 结束");
    await end.getByRole("button", { name: "结束实验" }).click();
    await expect(page.getByTestId("experiment-end-message")).toHaveText("实验已结束");
  }
  await expect(list.locator('[data-status="ENDED"]')).toHaveText("已结束");
  await expect(page.getByTestId("experiment-form")).toBeVisible();
});
