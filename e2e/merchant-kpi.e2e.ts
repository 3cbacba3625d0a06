// 数据看板 (issue 11): the page's numbers for a seeded period equal the figures computed from the
// database's raw tables (test door /api/test/kpi), the definitions show on hover, and the CSV exports.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { createStaff, randomPhone, signInByRequest, staffSignIn, testDoorHeaders } from "./helpers";
import { formatYuanGrouped } from "../components/money";

const SHOTS = "test-results/screens";
// Charts draw their lines in over a second; a viewer who asked for less motion sees them whole at once (the screenshots).
test.use({ reducedMotion: "reduce" });

test("the KPI page's figures equal the database's for the seeded period", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // One more paid order today, on top of the demo seed's.
  const shopperCtx = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  try {
    const shopper = await shopperCtx.newPage();
    await signInByRequest(shopper, randomPhone());
    const res = await shopper.request.post("/api/test/orders", { data: { action: "buy", sku: "tea-jasmine", qty: 2 }, headers: testDoorHeaders() });
    expect(res.ok()).toBe(true);
  } finally {
    await shopperCtx.close();
  }

  const owner = await createStaff(page, "owner");
  await staffSignIn(page, owner, "/merchant/kpi?preset=30d");
  await expect(page).toHaveURL(/\/merchant\/kpi\?preset=30d$/);
  await expect(page.getByRole("navigation").getByRole("link", { name: "数据看板" })).toHaveAttribute("aria-current", "page");
  const range = page.getByTestId("kpi-range");
  const card = (id: string) => page.getByTestId(`kpi-${id}`);
  await expect(range).toBeVisible();
  // 近 30 天 runs to now: compared with the 30 days before up to the same time of day.
  await expect(range).toContainText("同时段");
  await expect(card("gmv")).toContainText("上期同时段");
  const from = (await range.getAttribute("data-from"))!;
  const to = (await range.getAttribute("data-to"))!;

  const raw = (await (await page.request.get(`/api/test/kpi?from=${from}&to=${to}`, { headers: testDoorHeaders() })).json()) as {
    figures: Record<string, number | null> & { funnel: Record<string, number>; levels: Record<string, number> };
    liabilities: Record<string, number>;
    top: { memberId: number; earnedFen: number }[];
  };
  expect(raw.figures.paidOrders).toBeGreaterThan(0);
  const value = async (id: string) => (await card(id).getAttribute("data-value")) ?? "";
  expect(Number(await value("gmv"))).toBe(raw.figures.gmvFen);
  expect(Number(await value("orders"))).toBe(raw.figures.paidOrders);
  expect(Number(await value("newMembers"))).toBe(raw.figures.newMembers);
  expect(Number(await value("newPaying"))).toBe(raw.figures.newPayingMembers);
  expect(Number(await value("activeDistributors"))).toBe(raw.figures.activeDistributors);
  expect(Number(await value("rewardsPaid"))).toBe(raw.figures.rewardsPaidFen);
  expect(await value("aov")).toBe(String(raw.figures.aovFen ?? ""));
  expect(await value("repurchase")).toBe(String(raw.figures.repurchaseRate ?? ""));
  // 复购率 by members: its repeat buyers and paying members beside it.
  expect(Number(await value("repeatMembers"))).toBe(raw.figures.repeatMembers);
  expect(Number(await value("payingMembers"))).toBe(raw.figures.payingMembers);
  expect(await value("referralShare")).toBe(String(raw.figures.referralGmvShare ?? ""));
  await expect(card("gmv").getByTestId("kpi-value")).toHaveText(formatYuanGrouped(raw.figures.gmvFen!));
  await expect(page.getByTestId("kpi-row-visits").getByTestId("kpi-value")).toHaveText(String(raw.figures.funnel.visits));
  await expect(page.getByTestId("kpi-row-signups").getByTestId("kpi-value")).toHaveText(String(raw.figures.funnel.signups));
  await expect(page.getByTestId("kpi-row-firstOrders").getByTestId("kpi-value")).toHaveText(String(raw.figures.funnel.firstOrders));
  await expect(page.getByTestId("kpi-row-l1").getByTestId("kpi-value")).toHaveText(formatYuanGrouped(raw.figures.levels.l1Fen));
  await expect(page.getByTestId("kpi-row-pendingCommission").getByTestId("kpi-value")).toHaveText(formatYuanGrouped(raw.liabilities.pendingCommissionFen));
  await expect(page.getByTestId("kpi-row-pendingCashback").getByTestId("kpi-value")).toHaveText(formatYuanGrouped(raw.liabilities.pendingCashbackFen));
  await expect(page.getByTestId("kpi-row-withdrawing").getByTestId("kpi-value")).toHaveText(formatYuanGrouped(raw.liabilities.withdrawingFen));
  await expect(page.getByTestId("kpi-row-available").getByTestId("kpi-value")).toHaveText(formatYuanGrouped(raw.liabilities.availableFen));
  await expect(page.getByTestId("kpi-row-credit").getByTestId("kpi-value")).toHaveText(formatYuanGrouped(raw.liabilities.creditFen));
  const topIds = await page.getByTestId("kpi-top-row").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-member-id"))));
  expect(topIds).toEqual(raw.top.map((r) => r.memberId));

  // Each figure carries its definition (hover).
  await expect(card("kFactor")).toHaveAttribute("title", /经推荐链接带来的新增付费会员/);
  await expect(card("cac")).toHaveAttribute("title", /新增付费会员/);
  await expect(card("repurchase")).toHaveAttribute("title", /复购会员 ÷ 付费会员/);
  await expect(page.getByTestId("kpi-trend").locator("canvas").first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/merchant-kpi.png`, fullPage: true });

  // The CSV of the period: the page's cards first, then after 每日明细 and the header one line per day.
  const csv = await page.request.get(`/merchant/kpi/export?preset=30d`);
  expect(csv.ok()).toBe(true);
  const all = (await csv.text()).replace(/^\uFEFF/, "").trim().split("\n").map((l) => l.trim());
  const lines = all.slice(all.indexOf("每日明细") + 1);
  expect(lines[0]).toContain("日期,GMV(元),支付订单");
  expect(lines).toHaveLength(31);

  // The trend's tooltip on the last day (today, at the plot's right end) shows its GMV as money: ¥, thousands
  // grouped and two decimals, the amount the CSV has for that day ungrouped (not the axis's "1,248").
  const todayGmv = lines.at(-1)!.split(",")[1]!;
  expect(todayGmv).toMatch(/^\d+\.\d{2}$/);
  const chart = (await page.getByTestId("kpi-trend").locator("canvas").first().boundingBox())!;
  await page.mouse.move(chart.x + chart.width - 60, chart.y + chart.height / 2);
  const shown = formatYuanGrouped(Number(todayGmv.replace(".", "")));
  await expect(page.getByTestId("kpi-trend")).toContainText(new RegExp(`GMV（元）\\s*${shown.replace(/\./g, "\\.")}(?![\\d,])`));
});

/** `day` ("YYYY-MM-DD") moved by `n` days. */
const addDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test("自定义's typed dates export without 查看; a bad export comes back to the page with a message; English cards cut no word off", async ({ page }) => {
  test.setTimeout(180_000);
  // The walker's desk.
  await page.setViewportSize({ width: 1366, height: 768 });
  const owner = await createStaff(page, "owner");
  await staffSignIn(page, owner, "/merchant/kpi?preset=7d");
  const range = page.getByTestId("kpi-range");
  await expect(range).toBeVisible();
  const today = (await range.getAttribute("data-to"))!;

  // The payout ratio says it counts rewards paid out; the funnel says why its first orders may exceed its sign-ups.
  await expect(page.getByTestId("kpi-payoutRatio")).toContainText("已发放奖励占 GMV");
  await expect(page.getByTestId("kpi-row-firstOrders")).toContainText("被推荐会员首单");
  await expect(page.getByTestId("kpi-funnel-note")).toContainText("可能多于注册数");

  // 自定义 with no dates yet: no export, a hint says why.
  await page.getByRole("button", { name: "自定义" }).click();
  await expect(page).toHaveURL(/preset=custom/);
  const exportCsv = page.getByTestId("export-csv");
  await expect(exportCsv).toBeDisabled();
  await expect(page.getByTestId("kpi-export-hint")).toHaveText("请先选择有效的开始和结束日期");
  // Dates typed, 查看 not clicked: 导出 CSV exports those six days (the six before today).
  const [from, to] = [addDay(today, -6), addDay(today, -1)];
  await page.getByLabel("开始日期").fill(from);
  await page.getByLabel("结束日期").fill(to);
  await expect(page.getByTestId("kpi-export-hint")).toHaveCount(0);
  const [download] = await Promise.all([page.waitForEvent("download"), exportCsv.click()]);
  expect(download.url()).toContain(`/merchant/kpi/export?preset=custom&from=${from}&to=${to}`);
  const text = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
  const lines = text.trim().split("\n").map((l) => l.trim());
  expect(lines[0]).toContain(`${from} 至 ${to}`);
  const daily = lines.slice(lines.indexOf("每日明细") + 2);
  expect(daily.map((l) => l.split(",")[0])).toEqual([0, 1, 2, 3, 4, 5].map((i) => addDay(from, i)));
  // The summary's amounts as the daily rows': plain 元, under names and headers saying 元; no ¥ anywhere.
  expect(lines.find((l) => l.startsWith("GMV(元),"))).toMatch(/^GMV\(元\),\d+\.\d{2},\d+\.\d{2},/);
  expect(lines).toContain("项目,金额(元)");
  expect(lines.find((l) => l.startsWith("提现中,"))).toMatch(/^提现中,\d+\.\d{2}$/);
  expect(text).not.toContain("¥");

  // The export opened with no dates (an old link, a bookmark): back on the dashboard with a message, not a JSON body.
  await page.goto("/merchant/kpi/export?preset=custom");
  await expect(page).toHaveURL(/\/merchant\/kpi\?preset=custom&exportError=period$/);
  await expect(page.getByTestId("kpi-export-error")).toContainText("未能导出 CSV：日期范围无效");
  await expect(page.locator("body")).not.toContainText("INVALID_PERIOD");
  await page.screenshot({ path: `${SHOTS}/merchant-kpi-export-refused.png`, fullPage: true });
  // Choosing a period leaves the message behind.
  await page.getByRole("button", { name: "近 7 天" }).click();
  await expect(page.getByTestId("kpi-export-error")).toHaveCount(0);
  await expect(page).toHaveURL(/\/merchant\/kpi\?preset=7d$/);

  // In English at 1366 px no card's text is cut off with an ellipsis ("Previous, same time …", "Paying memb…").
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByTestId("kpi-payoutRatio")).toContainText("Rewards paid out ÷ GMV");
  await expect(page.getByTestId("kpi-gmv")).toContainText("Previous, same time");
  const cut = await page.locator('[data-testid="kpi-gmv"]').locator("xpath=..").evaluate((grid) =>
    [...grid.querySelectorAll<HTMLElement>("*")]
      .filter((el) => getComputedStyle(el).textOverflow === "ellipsis" && el.scrollWidth > el.clientWidth)
      .map((el) => el.textContent),
  );
  expect(cut).toEqual([]);
  await page.screenshot({ path: `${SHOTS}/merchant-kpi-en-1366.png`, fullPage: true });
});
