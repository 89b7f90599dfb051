import { expect, postForm, signIn, test, unique } from "./fixtures";

test("an admin creates an organization and a user in it, refusing bad input in Chinese; the audit log records both", async ({
  page,
  signInAs,
}) => {
  const suffix = unique();
  const orgName = `示例市测试执法局${suffix}`;
  const username = `e2e.${suffix}`;

  await signInAs(page, "admin");
  await page.goto("/");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "管理" }).click();
  await expect(page).toHaveURL(/\/admin\/orgs/);
  await page.getByRole("link", { name: "新建单位" }).click();

  // Bad input first: nothing saved, Chinese messages.
  await page.getByRole("button", { name: "新建单位" }).click();
  await expect(page.getByText("此项为必填项").first()).toBeVisible();

  await page.getByLabel("单位名称").fill(orgName);
  await page.getByLabel("简称").fill("测试局");
  await page.getByLabel("单位类型").selectOption({ label: "行政执法机关" });
  await page.getByLabel("所属区划").selectOption({ index: 1 });
  await page.getByRole("button", { name: "新建单位" }).click();
  await expect(page).toHaveURL(/\/admin\/orgs\/[a-z0-9]+\?saved=created/);

  await page.getByRole("link", { name: "用户", exact: true }).click();
  await page.getByRole("link", { name: "新建用户" }).click();
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("姓名").fill("测试新用户");
  await page.getByLabel("初始密码").fill("short");
  await page.getByLabel("所属单位").selectOption({ label: `${orgName}（示例市）` });
  await page.getByLabel("角色").selectOption({ label: "起草人" });
  await page.getByRole("button", { name: "新建用户" }).click();
  await expect(page.getByText("密码至少 8 位，且同时包含字母和数字").first()).toBeVisible();
  await page.getByLabel("初始密码").fill("Welcome2026");
  await page.getByRole("button", { name: "新建用户" }).click();
  await expect(page).toHaveURL(/\/admin\/users\/[a-z0-9]+\?saved=created/);

  // The audit log records both.
  await page.goto(`/admin/audit?q=${encodeURIComponent(orgName)}`);
  await expect(page.getByRole("table")).toContainText(orgName);
});

test("a user an admin created signs in with the password the admin chose and first sets their own", async ({
  pageAs,
  app,
}) => {
  const suffix = unique();
  const orgName = `示例市测试执法局${suffix}`;
  const username = `e2e.${suffix}`;
  // The admin's own forms, posted with the admin's session.
  const admin = await pageAs("admin");
  const { regionId } = await app.db.organization.findUniqueOrThrow({
    where: { name: "示例市司法局" },
    select: { regionId: true },
  });
  const orgLocation = await postForm(admin, "/admin/orgs/new", {
    name: orgName,
    shortName: "测试局",
    kind: "ENFORCEMENT_AGENCY",
    regionId,
  });
  const orgId = orgLocation.split("?")[0]!.split("/").pop()!;
  await postForm(admin, "/admin/users/new", {
    username,
    displayName: "测试新用户",
    password: "Welcome2026",
    orgId,
    role: "DRAFTER",
  });

  // Signing in with the administrator's password is the behaviour here: through the real form.
  const newcomer = await pageAs(null);
  await signIn(newcomer, username, "Welcome2026");
  // The administrator chose the password: the newcomer sets their own before anything else.
  await expect(newcomer).toHaveURL(/\/password$/);
  await newcomer.goto("/ledger");
  await expect(newcomer).toHaveURL(/\/password$/);
  await newcomer.getByLabel(/^管理员告知的密码/).fill("Welcome2026");
  await newcomer.getByLabel(/^新密码/).fill("MyOwnPass2026");
  await newcomer.getByLabel(/^确认新密码/).fill("MyOwnPass2026");
  await newcomer.getByRole("button", { name: "设置新密码并进入系统" }).click();
  await expect(newcomer.getByTestId("shell-user-name")).toHaveText("测试新用户");
  await expect(newcomer.getByTestId("shell-user-org")).toContainText(orgName);
});

test("an admin creates an API token shown once, a machine client reads with it, and revoking it ends its access", async ({
  page,
  signInAs,
  request,
}) => {
  const name = `省平台对接${unique()}`;
  await signInAs(page, "admin");
  await page.goto("/admin");
  await page.getByRole("link", { name: "接口令牌" }).click();
  await expect(page).toHaveURL(/\/admin\/api-tokens/);
  await page.getByLabel("名称").fill(name);
  await page.getByLabel("权限范围").selectOption("READ");
  await page.getByLabel("有效期（天）").fill("7");
  await page.getByRole("button", { name: "创建令牌" }).click();
  const shown = page.getByTestId("new-api-token");
  await expect(shown).toBeVisible();
  const token = (await shown.innerText()).trim();
  expect(token).toMatch(/^ct_[0-9A-Za-z]{40}$/);
  const row = page.getByTestId("api-token-row").filter({ hasText: name });
  await expect(row).toContainText("只读");
  await expect(row).toContainText("有效");

  const headers = { Authorization: `Bearer ${token}` };
  const items = await request.get("/api/v1/items?pageSize=5", { headers });
  expect(items.status()).toBe(200);
  expect(((await items.json()) as { total: number }).total).toBeGreaterThan(0);
  // Shown once: a reload does not show it again.
  await page.reload();
  await expect(page.getByTestId("new-api-token")).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);

  await page.getByRole("button", { name: `吊销令牌「${name}」` }).click();
  await expect(page.getByTestId("api-token-row").filter({ hasText: name })).toContainText("已吊销");
  const after = await request.get("/api/v1/items", { headers });
  expect(after.status()).toBe(401);
  expect(((await after.json()) as { error: { message: string } }).error.message).toContain("令牌");
});

test("the demo's published read-only token answers the API as 示例市司法局", async ({ request }) => {
  const headers = { Authorization: "Bearer ct_DemoSfjReadOnly0000000000000000000000000" };
  const litigation = await request.get("/api/v1/litigation", { headers });
  expect(litigation.status()).toBe(200);
  expect(((await litigation.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  const write = await request.post("/api/v1/items/x/progress", { headers, data: { text: "只读" } });
  expect(write.status()).toBe(403);
});
