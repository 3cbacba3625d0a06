// 收益模拟器 (issue 11): a population refused on its field, then a small A/B run queued; its state and progress
// show beside 开始模拟 (where the merchant is, not only in the run list at the top) until it is done, and the
// projected figures of A and B show side by side, labelled as projections, in the merchant's words (units, tier
// names, bands that share no edge, a 14-day run's cash flow as 14 days and the close); the replay command is folded
// away for developers; the downloaded scenario is a SPEC §10 scenario of that population.
import { expect, test } from "@playwright/test";
import { createStaff, staffSignIn } from "./helpers";

const SHOTS = "test-results/screens";
// Charts draw their lines in over a second; a viewer who asked for less motion sees them whole at once (the screenshots).
// A desk's 1366x768 screen: where the run's progress must be seen after 开始模拟.
test.use({ reducedMotion: "reduce", viewport: { width: 1366, height: 768 } });

test("a simulator run with a progress bar and an A/B result", async ({ page }) => {
  test.setTimeout(420_000);
  const operator = await createStaff(page, "operator", { totp: false });
  await staffSignIn(page, operator, "/merchant/simulator");
  await expect(page).toHaveURL(/\/merchant\/simulator$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("收益模拟器");
  const form = page.getByTestId("simulation-form");
  // The category mix's columns are named on screen, not only to screen readers.
  await expect(form.getByTestId("sim-categories-head")).toHaveText("类目客单价（元）订单占比（%）");
  // B's three commission rates, each named by its level (default rates: 10 / 5 / 2 %).
  await expect(form.getByLabel("1 级", { exact: true })).toHaveValue("10");
  await expect(form.getByLabel("3 级", { exact: true })).toHaveValue("2");
  await form.getByLabel("名称").fill("e2e 一人即返");
  await form.getByLabel("会员数").fill("5");
  await form.getByRole("button", { name: "开始模拟" }).click();
  await expect(form.locator('[data-error-for="members"]')).toHaveText("会员数至少 10");

  await form.getByLabel("会员数").fill("20");
  await form.getByLabel("模拟天数").fill("14");
  await form.getByLabel("B：推三返一邀请人数").fill("1");
  await form.getByRole("button", { name: "开始模拟" }).click();
  // The run's state beside the button, in view at a desk's 1366x768: queued (its bar only moves, no percentage yet).
  const queued = form.getByTestId("sim-queued-run");
  await expect(queued).toBeInViewport();
  await expect(queued.locator("[data-status]").first()).toHaveText(/^(排队中|运行中)$/);
  await expect(page.getByTestId("simulation-message")).toHaveText(/^(已加入队列，稍后开始|正在准备模拟库|)$/);
  await expect(queued.getByRole("progressbar")).toBeVisible();
  await expect(queued.getByTestId("sim-elapsed")).toHaveText(/^已用时 \d+ 秒$/);
  await page.screenshot({ path: `${SHOTS}/merchant-simulator-queued.png` });
  const list = page.getByTestId("simulation-list");
  await expect(list).toContainText("e2e 一人即返");
  await expect(list.getByRole("progressbar").first()).toBeVisible();

  const result = page.getByTestId("simulation-result");
  // Done: said beside the button too, which brings the result into view.
  await expect(queued).toHaveAttribute("data-status", "DONE", { timeout: 360_000 });
  await expect(queued.locator("[data-status]").first()).toHaveText("已完成");
  const resultHeading = result.getByRole("heading", { name: /^模拟结果：/ });
  await expect(resultHeading).not.toBeInViewport();
  await queued.getByRole("button", { name: "查看结果" }).click();
  await expect(resultHeading).toBeInViewport();
  await expect(result.getByTestId("projection")).toHaveText("理论测算值，非收益承诺", { timeout: 360_000 });
  await expect(list.locator('[data-status="DONE"]').first()).toHaveText("已完成");
  await expect(list.getByRole("progressbar").first()).toHaveAttribute("aria-valuenow", "100");
  // Same population and orders under both rule sets; only the rewards differ.
  await expect(result.getByRole("rowheader", { name: "订单数（已付款未退款）" })).toBeVisible();
  const ordersA = await result.getByTestId("sim-a-orders").textContent();
  expect(Number(ordersA)).toBeGreaterThan(0);
  await expect(result.getByTestId("sim-b-orders")).toHaveText(ordersA!);
  // The payout ratio counts the rewards earned in the run, pending ones included, and says so.
  await expect(result.getByRole("rowheader", { name: /^产生的奖励占 GMV/ })).toBeVisible();
  await expect(result.getByTestId("sim-def-payoutRatio")).toContainText("含尚未结算、尚未发放的部分");
  // A names the rules version in force when the run was queued.
  await expect(result.getByRole("columnheader", { name: /^A：(规则 v\d+（运行时现行）|运行时现行规则)$/ })).toBeVisible();
  await expect(result.getByRole("columnheader", { name: "B：修改后" })).toBeVisible();
  // Tiers by their names, not their codes, and every one of the 20 members counted once.
  const tiers = (await result.getByTestId("sim-a-tiers").textContent()) ?? "";
  expect(tiers).toMatch(/^会员 \d+(、推广员 \d+)?(、合伙人 \d+)?$/);
  expect([...tiers.matchAll(/\d+/g)].reduce((s, m) => s + Number(m[0]), 0)).toBe(20);
  // Rewards by program: team and stepped bonuses each on a row of their own, in 元 for both rule sets.
  for (const program of ["teamBonus", "stepBonus"]) for (const side of ["a", "b"]) await expect(result.getByTestId(`sim-${side}-${program}`)).toHaveText(/^¥\d{1,3}(,\d{3})*\.\d{2}$/);
  // Earnings bands share no edge: each ends a cent before the next begins.
  await expect(result.getByTestId("sim-a-earnings")).toHaveText(/^¥0\.01–9\.99：\d+；¥10\.00–49\.99：\d+；¥50\.00–199\.99：\d+；¥200\.00–999\.99：\d+；¥1,000\.00\+：\d+$/);
  await expect(result.locator("canvas").first()).toBeVisible();
  // A 14-day run's cash flow has 14 days; what falls due as it ends is its close (期末), not a 15th day.
  await expect(result.getByTestId("sim-cashflow-close")).toHaveText("期末：第14天结束、模拟结束时到期的结算与发放");
  // The replay command is for developers, folded away until asked for.
  const dev = result.getByTestId("sim-dev");
  await expect(dev.getByText(/npm run scenario/)).toBeHidden();
  await dev.getByText("开发者：如何复现").click();
  await expect(dev.getByText(/npm run scenario -- 文件\.json --figures/)).toBeVisible();
  await result.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/merchant-simulator.png`, fullPage: true });

  const href = await result.getByRole("link", { name: /下载方案 B 的模拟场景/ }).getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.ok()).toBe(true);
  const scenario = (await res.json()) as { config: { rebate: { n: number } }; events: { type: string }[] };
  expect(scenario.config.rebate.n).toBe(1);
  expect(scenario.events.filter((e) => e.type === "register")).toHaveLength(20);
});
