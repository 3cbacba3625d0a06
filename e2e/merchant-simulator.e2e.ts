// 收益模拟器 (issue 11): a population refused on its field, then a small A/B run queued; its progress
// bar moves to done, and the projected figures of A and B show side by side, labelled as projections;
// the downloaded scenario is a SPEC §10 scenario of that population.
import { expect, test } from "@playwright/test";
import { createStaff, staffSignIn } from "./helpers";

const SHOTS = "test-results/screens";
// Charts draw their lines in over a second; a viewer who asked for less motion sees them whole at once (the screenshots).
test.use({ reducedMotion: "reduce" });

test("a simulator run with a progress bar and an A/B result", async ({ page }) => {
  test.setTimeout(420_000);
  const operator = await createStaff(page, "operator", { totp: false });
  await staffSignIn(page, operator, "/merchant/simulator");
  await expect(page).toHaveURL(/\/merchant\/simulator$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("收益模拟器");
  const form = page.getByTestId("simulation-form");
  // The category mix's columns are named on screen, not only to screen readers.
  await expect(form.getByTestId("sim-categories-head")).toHaveText("类目客单价（元）订单占比");
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
  await expect(page.getByTestId("simulation-message")).toHaveText("已加入队列，稍后开始");
  const list = page.getByTestId("simulation-list");
  await expect(list).toContainText("e2e 一人即返");
  await expect(list.getByRole("progressbar").first()).toBeVisible();

  const result = page.getByTestId("simulation-result");
  await expect(result.getByTestId("projection")).toHaveText("理论测算值，非收益承诺", { timeout: 360_000 });
  await expect(list.locator('[data-status="DONE"]').first()).toHaveText("已完成");
  await expect(list.getByRole("progressbar").first()).toHaveAttribute("aria-valuenow", "100");
  // Same population and orders under both rule sets; only the rewards differ.
  const ordersA = await result.getByTestId("sim-a-订单数").textContent();
  expect(Number(ordersA)).toBeGreaterThan(0);
  await expect(result.getByTestId("sim-b-订单数")).toHaveText(ordersA!);
  // A names the rules version in force when the run was queued.
  await expect(result.getByRole("columnheader", { name: /^A：(规则 v\d+（运行时现行）|运行时现行规则)$/ })).toBeVisible();
  await expect(result.getByRole("columnheader", { name: "B：修改后" })).toBeVisible();
  // Tiers by their names, not their codes, and every one of the 20 members counted once.
  const tiers = (await result.getByTestId("sim-a-各等级会员数").textContent()) ?? "";
  expect(tiers).toMatch(/^会员 \d+(，推广员 \d+)?(，合伙人 \d+)?$/);
  expect([...tiers.matchAll(/\d+/g)].reduce((s, m) => s + Number(m[0]), 0)).toBe(20);
  // Rewards by program: team and stepped bonuses each on a row of their own, in 元 for both rule sets.
  for (const program of ["团队绩效", "阶梯奖励"]) for (const side of ["a", "b"]) await expect(result.getByTestId(`sim-${side}-${program}`)).toHaveText(/^¥\d{1,3}(,\d{3})*\.\d{2}$/);
  await expect(result.locator("canvas").first()).toBeVisible();
  await result.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/merchant-simulator.png`, fullPage: true });

  const href = await result.getByRole("link", { name: /下载方案 B 的模拟场景/ }).getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.ok()).toBe(true);
  const scenario = (await res.json()) as { config: { rebate: { n: number } }; events: { type: string }[] };
  expect(scenario.config.rebate.n).toBe(1);
  expect(scenario.events.filter((e) => e.type === "register")).toHaveLength(20);
});
