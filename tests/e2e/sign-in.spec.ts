import { expect, signIn, test } from "./fixtures";

test("a demo court liaison signs in and sees their org in the shell", async ({ page }) => {
  await signIn(page, "court.liaison");
  await expect(page.getByTestId("shell-user-name")).toHaveText("陈静");
  await expect(page.getByTestId("shell-user-org")).toContainText("示例市中级人民法院");
  await expect(page.getByRole("navigation", { name: "主导航" })).toContainText("台账");
  // Not an admin: no 管理 entry, and /admin is a Chinese 403 page.
  await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "管理" })).toHaveCount(0);
  const res = await page.goto("/admin/orgs");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "无权访问" })).toBeVisible();
});

test("a wrong password shows a Chinese message without saying whether the user exists", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("用户名").fill("procu.liaison");
  await page.getByLabel("密码").fill("wrong-password-1");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("用户名或密码错误。");
  await expect(page).toHaveURL(/\/login/);
});

test("a test notification from the admin diagnostics page arrives over socket.io without reloading", async ({
  page,
  signInAs,
}) => {
  await signInAs(page, "admin");
  await page.goto("/admin/diagnostics");
  const bell = page.getByTestId("notification-bell");
  await expect(bell).toHaveAttribute("data-connected", "true");
  // The demo data may already have notified this user.
  const count = page.getByTestId("unread-count");
  const before = (await count.count()) ? Number(await count.textContent()) : 0;
  await page.getByRole("button", { name: "发送测试通知" }).click();
  await expect(count).toHaveText(String(before + 1));
  await bell.click();
  await expect(page.getByText("如果您看到这条通知，说明实时通知工作正常。")).toBeVisible();
});

test("no user outside administration is offered a test notification", async ({ page, signInAs }) => {
  await signInAs(page, "jw.coord");
  await page.goto("/");
  await page.getByTestId("notification-bell").click();
  await expect(page.getByRole("button", { name: "发送测试通知" })).toHaveCount(0);
});

test("signing out returns to the login page and protects the app", async ({ page, signInAs }) => {
  await signInAs(page, "scjg.viewer");
  await page.goto("/");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});
