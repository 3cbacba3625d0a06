// Back office staff accounts on a desktop screen: the seeded owner's first sign-in enforces TOTP
// enrolment (and may not turn it off); password + TOTP sign-in; lock-out after five wrong passwords; an operator turns
// TOTP off (other devices signed out, the password alone signs in again); an owner invites staff and
// revokes a session (the revoked browser is sent back to sign-in); an operator is refused the finance
// pages; the audit log shows the entries and exports them as CSV; the owner requires TOTP of all staff (a support account
// already signed in must enrol first, then cannot turn it off). Screenshots of every page.
import { expect, test, type Page } from "@playwright/test";
import { createStaff, staffSignIn, totpCode } from "./helpers";

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

test("the seeded owner must enrol TOTP at first sign-in, then reaches the home page", async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto("/merchant");
  await expect(page).toHaveURL(/\/merchant\/login\?next=%2Fmerchant$/);
  await shot(page, "login");
  await page.getByLabel("用户名").fill("owner");
  await page.getByLabel("密码").fill("fission-demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/merchant\/account$/);
  await expect(page.getByTestId("setup-required")).toContainText("必须启用两步验证");
  // Nothing else opens before enrolment.
  await page.goto("/merchant/withdrawals");
  await expect(page).toHaveURL(/\/merchant\/account$/);
  await page.getByRole("button", { name: "绑定身份验证器" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await shot(page, "account-totp-enrol");
  await page.getByLabel("App 显示的 6 位动态码").fill(await totpCode(secret));
  // The home page may take a while to load (a first compile): meanwhile the account page already says set-up is done.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const home = (url: URL) => url.pathname === "/merchant";
  await page.route(home, async (route) => {
    if (route.request().headers()["rsc"]) await held;
    await route.continue();
  });
  await page.getByRole("button", { name: "确认绑定" }).click();
  await expect(page.getByTestId("totp-status")).toContainText("已启用");
  await expect(page.getByTestId("setup-required")).toHaveCount(0);
  await expect(page.getByTestId("setup-done")).toContainText("设置已完成");
  await expect(page.getByRole("link", { name: "进入后台" })).toHaveAttribute("href", "/merchant");
  await shot(page, "account-totp-done");
  release();
  await expect(page).toHaveURL(/\/merchant$/);
  await page.unroute(home);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("店主，您好");
  // The seeded owner is named after the role: the top bar says 店主 once, not "店主 · 店主".
  await expect(page.getByTestId("staff-identity")).toHaveText("店主");
  await expect(page.getByTestId("todo-withdrawals")).toContainText(/\d/);
  await expect(page.getByRole("navigation").getByRole("link", { name: "工作台" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("navigation").getByRole("link", { name: "商品管理" })).toBeVisible();
  await shot(page, "home-owner");
  await page.goto("/merchant/account");
  await expect(page.getByTestId("totp-status")).toContainText("已启用");
  // An owner must keep it: a note says why, and there is nothing to turn it off with.
  await expect(page.getByTestId("totp-required")).toHaveText("店主角色必须启用两步验证，不能关闭。");
  await expect(page.getByRole("button", { name: "关闭两步验证" })).toHaveCount(0);
  await shot(page, "account");
});

test("password + TOTP sign-in; five wrong passwords lock the account", async ({ page }) => {
  test.setTimeout(120_000);
  const risk = await createStaff(page, "risk");
  await staffSignIn(page, risk, "/merchant/risk");
  await expect(page).toHaveURL(/\/merchant\/risk$/);
  await expect(page.getByTestId("staff-identity")).toContainText("风控");
  await shot(page, "risk-queue");

  const victim = await createStaff(page, "support", { totp: false });
  const other = await page.context().browser()!.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 1440, height: 900 } });
  const p2 = await other.newPage();
  await p2.goto("/merchant/login");
  for (let i = 1; i <= 5; i++) {
    await p2.getByLabel("用户名").fill(victim.username);
    await p2.getByLabel("密码").fill(`wrong-password-${i}`);
    // The alert of the previous guess is still shown: wait for this guess's own answer before reading it.
    const answered = p2.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/merchant/login");
    await p2.getByRole("button", { name: "登录" }).click();
    await answered;
    // Even the guess that locks it is told only "wrong": a lock would show the username exists.
    await expect(p2.locator("form [role=alert]")).toContainText("用户名或密码错误");
  }
  // The right password is told it is locked.
  await p2.getByLabel("密码").fill(victim.password);
  const answered = p2.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/merchant/login");
  await p2.getByRole("button", { name: "登录" }).click();
  await answered;
  await expect(p2.locator("form [role=alert]")).toContainText("账号已锁定");
  await shot(p2, "login-locked");
  await other.close();
});

test("an operator turns TOTP off with the password: the other device is signed out and the next sign-in asks no code", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const op = await createStaff(page, "operator");
  await staffSignIn(page, op, "/merchant/account");
  await expect(page.getByTestId("totp-status")).toContainText("已启用");
  await expect(page.getByTestId("totp-required")).toHaveCount(0);

  // A second device signs in too. A code is accepted once: it types the next step's (the server allows ±1 step).
  const other = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  const p2 = await other.newPage();
  await p2.goto("/merchant/login?next=%2Fmerchant%2Forders");
  await p2.getByLabel("用户名").fill(op.username);
  await p2.getByLabel("密码").fill(op.password);
  await p2.getByRole("button", { name: "登录" }).click();
  await expect(p2.getByLabel("两步验证码")).toBeVisible();
  const { generate } = await import("otplib");
  await p2.getByLabel("两步验证码").fill(await generate({ secret: op.totpSecret!, epoch: (Math.floor(Date.now() / 30_000) + 1) * 30 }));
  await p2.getByRole("button", { name: "登录" }).click();
  await expect(p2).toHaveURL(/\/merchant\/orders$/);

  await page.reload();
  await page.getByRole("button", { name: "关闭两步验证" }).click();
  const dialog = page.getByRole("dialog", { name: "关闭两步验证" });
  await expect(dialog).toContainText("其他设备上的登录将全部退出");
  const password = dialog.getByLabel("当前密码");
  // Nothing typed: told beside the field, which describes it.
  await dialog.getByRole("button", { name: "关闭两步验证" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("请输入当前密码");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await expect(password).toHaveAttribute("aria-describedby", "totp-off-password-error");
  await expect(password).toBeFocused();
  // A wrong password: the server's refusal, beside the field too; TOTP stays on.
  await password.fill("not-the-password");
  await dialog.getByRole("button", { name: "关闭两步验证" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("当前密码不正确");
  await expect(password).toHaveAttribute("aria-invalid", "true");
  await shot(page, "account-totp-off-dialog");
  await password.fill(op.password);
  await password.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("totp-status")).toHaveText("未启用");
  await expect(page.getByRole("status").filter({ hasText: "两步验证已关闭" })).toHaveText("两步验证已关闭，其他设备上的登录已退出");
  await expect(page.getByRole("button", { name: "关闭两步验证" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "绑定身份验证器" })).toBeVisible();
  await expect(page.locator('[data-testid="staff-session"][data-active="true"]')).toHaveCount(1);
  await shot(page, "account-totp-off-done");

  // The other device's next request goes to sign-in, and the password alone now signs in.
  await p2.goto("/merchant/orders");
  await expect(p2).toHaveURL(/\/merchant\/login\?next=%2Fmerchant%2Forders$/);
  await p2.getByLabel("用户名").fill(op.username);
  await p2.getByLabel("密码").fill(op.password);
  await p2.getByRole("button", { name: "登录" }).click();
  await expect(p2).toHaveURL(/\/merchant\/orders$/);
  await expect(p2.getByLabel("两步验证码")).toHaveCount(0);
  await other.close();
});

test("an owner invites an operator, who is refused the finance pages; revoking a session signs it out", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const owner = await createStaff(page, "owner");
  await staffSignIn(page, owner, "/merchant/staff");
  await expect(page).toHaveURL(/\/merchant\/staff$/);
  const username = `op${Date.now().toString(36)}`;
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("姓名").fill("运营阿强");
  await page.locator('form select[name="role"]').selectOption("operator");
  await page.getByRole("button", { name: "创建账号" }).click();
  const initial = (await page.getByTestId("initial-password-value").textContent())!.trim();
  await expect(page.locator(`[data-testid="staff-row"][data-username="${username}"]`)).toContainText("待改初始密码");
  await shot(page, "staff");

  // The operator signs in elsewhere, replaces the initial password, and works.
  const opContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  const op = await opContext.newPage();
  await staffSignIn(op, { username, password: initial, totpSecret: null });
  await expect(op).toHaveURL(/\/merchant\/account$/);
  await expect(op.getByTestId("setup-required")).toContainText("修改初始密码");
  await op.getByLabel("当前密码").fill(initial);
  await op.getByLabel("新密码", { exact: true }).fill("operator-pass-2026");
  await op.getByLabel("确认新密码").fill("operator-pass-2026");
  await op.getByRole("button", { name: "保存" }).click();
  await expect(op).toHaveURL(/\/merchant$/);
  // Finance pages: not in the sidebar, and 403 when typed in.
  await expect(op.getByRole("navigation").getByText("提现审核")).toHaveCount(0);
  const forbiddenPage = await op.goto("/merchant/withdrawals");
  expect(forbiddenPage!.status()).toBe(403);
  await expect(op.getByTestId("forbidden")).toContainText("无权访问");
  await expect(op.getByTestId("forbidden")).toContainText("您的角色（运营）不能访问该页面");
  await shot(op, "operator-forbidden-withdrawals");
  const exportRes = await op.request.get("/merchant/audit/export");
  expect(exportRes.status()).toBe(403);
  // Opened in the browser, a refused export is a short page in the staff's language with a way back, not raw JSON.
  const exportPage = await op.goto("/merchant/audit/export");
  expect(exportPage!.status()).toBe(403);
  await expect(op.getByRole("heading", { level: 1 })).toHaveText("无权访问");
  await expect(op.locator("body")).not.toContainText('{"error"');
  await shot(op, "operator-forbidden-export");
  await op.getByRole("link", { name: "返回工作台" }).click();
  await expect(op).toHaveURL(/\/merchant$/);
  await op.goto("/merchant/orders");
  await expect(op.getByRole("heading", { level: 1 })).toHaveText("订单管理");
  await shot(op, "orders");

  // The owner revokes the operator's session: the operator's next request goes to sign-in.
  await page.reload();
  const row = page.locator(`[data-testid="staff-row"][data-username="${username}"]`);
  await row.getByRole("button", { name: "登录设备" }).click();
  const live = page.locator('[data-testid="staff-session"][data-active="true"]');
  await expect(live).toHaveCount(1);
  await live.getByRole("button", { name: "强制下线" }).click();
  await page.getByRole("dialog", { name: "强制下线" }).getByRole("button", { name: "确定" }).click();
  await expect(page.locator('[data-testid="staff-session"][data-active="false"]')).toHaveCount(1);
  await op.goto("/merchant/orders");
  await expect(op).toHaveURL(/\/merchant\/login\?next=%2Fmerchant%2Forders$/);
  await opContext.close();

  // Changing the role asks first, naming the person and both roles, with a warning for a role that moves money;
  // cancelling keeps the old role, confirming saves it and says so.
  const roleMenu = page.getByLabel(`角色 ${username}`);
  await roleMenu.selectOption("finance");
  const roleDialog = page.getByRole("dialog", { name: "修改角色" });
  await expect(roleDialog).toContainText("将 运营阿强 的角色从「运营」改为「财务」？");
  await expect(roleDialog.getByTestId("role-warning")).toContainText("能动用资金");
  await shot(page, "staff-role-confirm");
  await roleDialog.getByRole("button", { name: "取消" }).click();
  await expect(roleDialog).toBeHidden();
  await expect(roleMenu).toHaveValue("operator");
  await expect(page.getByTestId("role-changed")).toHaveCount(0);
  await roleMenu.selectOption("support");
  await expect(roleDialog.getByTestId("role-warning")).toHaveCount(0);
  await roleDialog.getByRole("button", { name: "确定修改" }).click();
  await expect(page.getByTestId("role-changed")).toHaveText("已将 运营阿强 的角色改为「客服」");
  await expect(roleMenu).toHaveValue("support");
  await shot(page, "staff-role-changed");

  // The audit log shows the invitation, the sign-ins, the password change and the revocation.
  await page.goto("/merchant/audit");
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  // The filters offer words: every staff action at once is the group 员工：全部 (the prefix "staff.").
  await page.getByLabel("操作类型").selectOption({ label: "员工：全部" });
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/action=staff\./);
  for (const action of ["staff.invited", "staff.password_changed", "staff.session_revoked", "staff.signed_in"]) {
    await expect(page.getByTestId("audit-row").filter({ hasText: action }).first()).toBeVisible();
  }
  await expect(page.getByTestId("audit-row").filter({ hasText: "staff.invited" }).first()).toContainText("运营阿强");
  await shot(page, "audit");
  const csv = await page.request.get("/merchant/audit/export?action=staff.invited");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const body = await csv.body();
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  // The action by its name in the log page's words (the viewer's language), not its code.
  expect(body.toString("utf8")).toContain(",邀请员工,");
});

test("a shopper session gets nothing from /merchant", async ({ page }) => {
  test.setTimeout(120_000);
  const { signInWithSms, randomPhone } = await import("./helpers");
  await signInWithSms(page, randomPhone(), "/");
  await page.goto("/merchant/orders");
  await expect(page).toHaveURL(/\/merchant\/login/);
  const input = encodeURIComponent(JSON.stringify({ json: { status: "PAID" } }));
  const res = await page.request.get(`/api/trpc/merchantOrder.search?input=${input}`);
  expect(res.status()).toBe(401);
});

test("the shell works at tablet width and in English", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 820, height: 1180 }, locale: "zh-CN" });
  const page = await context.newPage();
  const finance = await createStaff(page, "finance");
  await staffSignIn(page, finance, "/merchant");
  await expect(page).toHaveURL(/\/merchant$/);
  // The sidebar folds away below desktop width and opens from the menu button.
  const nav = page.getByRole("navigation", { name: "商家后台" });
  await expect(nav.getByRole("link", { name: "提现审核" })).not.toBeInViewport();
  await shot(page, "home-tablet");
  await page.getByRole("button", { name: "菜单" }).click();
  await expect(nav.getByRole("link", { name: "提现审核" })).toBeInViewport();
  await shot(page, "home-tablet-menu");
  await nav.getByRole("link", { name: "提现审核" }).click();
  await expect(page).toHaveURL(/\/merchant\/withdrawals$/);
  await shot(page, "withdrawals-tablet");

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Withdrawals");
  await page.goto("/merchant");
  await expect(page.getByTestId("todo-withdrawals")).toContainText("Withdrawals to approve");
  await expect(page.getByTestId("todo-failedJobs")).toContainText("Failed jobs");
  await shot(page, "home-tablet-en");
  await context.close();
});

test("the owner requires TOTP of all staff: a signed-in support account must enrol first, then may not turn it off", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const owner = await createStaff(page, "owner");
  await staffSignIn(page, owner, "/merchant/staff");
  const policy = page.getByTestId("staff-totp-policy");
  await expect(policy.getByRole("heading", { name: "员工安全" })).toBeVisible();
  await expect(page.getByTestId("staff-totp-policy-state")).toHaveText("未要求全体员工启用两步验证：仅店主、财务必须启用");

  // A support account without TOTP is already at work in another browser.
  const support = await createStaff(page, "support", { totp: false });
  const supportContext = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 1440, height: 900 }, locale: "zh-CN" });
  const sp = await supportContext.newPage();
  await staffSignIn(sp, support, "/merchant/orders");
  await expect(sp).toHaveURL(/\/merchant\/orders$/);

  try {
    await policy.getByRole("button", { name: "要求全体员工启用两步验证" }).click();
    const dialog = page.getByRole("dialog", { name: "要求全体员工启用两步验证" });
    await expect(dialog).toContainText("位尚未绑定的员工须先绑定身份验证器");
    // The count is today's, the support account created after the page was loaded included: the reloaded card says the same.
    const asked = Number(/(\d+) 位尚未绑定/.exec((await dialog.textContent()) ?? "")?.[1]);
    await shot(page, "staff-totp-policy-confirm");
    await dialog.getByRole("button", { name: "要求全体员工启用两步验证" }).click();
    await expect(page.getByTestId("staff-totp-policy-state")).toHaveText("已要求全体员工启用两步验证（TOTP）");
    await expect(policy).toContainText("位启用中的员工尚未绑定");
    // The owner doing it stays in: owners already have TOTP.
    await page.goto("/merchant/withdrawals");
    await expect(page).toHaveURL(/\/merchant\/withdrawals$/);
    await page.goto("/merchant/staff");
    await expect(policy).toContainText(`${asked} 位启用中的员工尚未绑定`);
    await shot(page, "staff-totp-policy-on");

    // The support account's next request goes to enrolment; the server refuses its procedures meanwhile.
    await sp.goto("/merchant/orders");
    await expect(sp).toHaveURL(/\/merchant\/account$/);
    await expect(sp.getByTestId("setup-required")).toHaveText("本店要求全体员工启用两步验证：请先用身份验证器 App 绑定，然后才能使用后台。");
    const input = encodeURIComponent(JSON.stringify({ json: { status: "PAID" } }));
    expect((await sp.request.get(`/api/trpc/merchantOrder.search?input=${input}`)).status()).toBe(403);
    await shot(sp, "account-totp-required-by-shop");
    await sp.getByRole("button", { name: "绑定身份验证器" }).click();
    const secret = (await sp.getByTestId("totp-secret").textContent())!.trim();
    await sp.getByLabel("App 显示的 6 位动态码").fill(await totpCode(secret));
    await sp.getByRole("button", { name: "确认绑定" }).click();
    await expect(sp).toHaveURL(/\/merchant$/);
    // Now it must keep it: a note says why, and there is nothing to turn it off with.
    await sp.goto("/merchant/account");
    await expect(sp.getByTestId("totp-status")).toContainText("已启用");
    await expect(sp.getByTestId("totp-required")).toHaveText("本店要求全体员工启用两步验证，不能关闭。");
    await expect(sp.getByRole("button", { name: "关闭两步验证" })).toHaveCount(0);
    await shot(sp, "account-totp-kept-by-shop");
    await sp.getByRole("button", { name: "English" }).click();
    await expect(sp.getByTestId("totp-required")).toHaveText("This shop requires two-step verification for all staff; it cannot be turned off.");
    await shot(sp, "account-totp-kept-by-shop-en");

    // The audit log names the change, before and after.
    await page.goto("/merchant/audit?action=settings.staff_totp_changed");
    await expect(page.getByTestId("audit-row").first()).toContainText("修改员工两步验证要求");
    await shot(page, "audit-staff-totp-policy");
    await page.goto("/merchant/staff");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByTestId("staff-totp-policy-state")).toHaveText("Two-step verification (TOTP) is required for all staff");
    await shot(page, "staff-totp-policy-en");
    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.getByTestId("staff-totp-policy-state")).toHaveText("已要求全体员工启用两步验证（TOTP）");
    await page.getByTestId("staff-totp-policy").getByRole("button", { name: "取消全员两步验证要求" }).click();
    await page.getByRole("dialog", { name: "取消全员两步验证要求" }).getByRole("button", { name: "取消全员两步验证要求" }).click();
    await expect(page.getByTestId("staff-totp-policy-state")).toHaveText("未要求全体员工启用两步验证：仅店主、财务必须启用");
  } finally {
    // The shop's setting outlives this test: the specs after it expect the default.
    await page.request.post("/api/trpc/merchantStaff.setTotpPolicy", { data: { json: { requireTotp: false } } });
    await supportContext.close();
  }
});
