import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { MembershipFields } from "~/components/admin-fields";
import { KeyRound, ScrollText, Trash2 } from "lucide-react";
import { Badge, Button, Card, CheckboxField, FormErrors, Notice, Table, Td, TextField } from "~/components/ui";
import {
  FOREIGN_ADMIN_MESSAGE,
  adminAddMembership,
  adminChangeRole,
  adminRemoveMembership,
  adminResetPassword,
  adminUpdateUserProfile,
  requireManagedUser,
} from "~/services/admin-users.server";
import { PASSWORD_RULE, UserEditSchema, administers, orgOptions, requireAdmin } from "~/services/admin.server";
import { ROLES, ROLE_LABELS, isRole } from "~/domain/organization";
import { formatDate } from "~/domain/dates";
import type { AdminAction } from "~/policies/administration";
import { runFormAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import type { z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.user.displayName ?? "用户"} · 系统管理 · 会商协同` },
];

const NOTICES: Record<string, string> = {
  created: "已新建用户。请通过安全渠道将用户名和初始密码告知本人；本人首次登录时须设置自己的密码。",
  profile: "已保存基本信息。",
  unchanged: "没有需要保存的修改。",
  "membership-added": "已添加单位身份。",
  "membership-removed": "已移除单位身份。该用户已打开的页面和编辑器随即按新权限处理。",
  role: "已修改角色。该用户已打开的页面和编辑器随即按新权限处理。",
  password: "已重置密码，该用户的所有登录会话均已注销；本人下次登录时须设置自己的密码。",
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const { user, foreignAdmin } = await requireManagedUser(ctx, params.userId, "user.update");
  const saved = new URL(request.url).searchParams.get("saved");
  return json({
    notice: saved ? (NOTICES[saved] ?? "已保存。") : null,
    isSelf: user.id === ctx.user.id,
    accountLockedMessage: foreignAdmin ? FOREIGN_ADMIN_MESSAGE : null,
    user: {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      active: user.active,
      createdAt: formatDate(user.createdAt),
    },
    memberships: user.memberships.map((m) => ({
      id: m.id,
      orgId: m.org.id,
      orgName: m.org.name,
      regionName: m.org.region.name,
      role: isRole(m.role) ? ROLE_LABELS[m.role] : m.role,
      roleValue: m.role,
      // The service refuses changes to the admin's own ADMIN membership: the page does not offer them.
      manageable:
        !(user.id === ctx.user.id && m.role === "ADMIN") &&
        administers(ctx, "membership.manage", { orgId: m.org.id, regionPath: m.org.region.path }),
    })),
    orgOptions: await orgOptions(ctx),
    roleOptions: ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] })),
    passwordRule: PASSWORD_RULE,
  });
}

/** What the admin must be allowed to do to the user for each form of the page. */
const TARGET_ACTION: Record<z.infer<typeof UserEditSchema>["intent"], AdminAction> = {
  profile: "user.update",
  addMembership: "membership.manage",
  removeMembership: "membership.manage",
  changeRole: "membership.manage",
  resetPassword: "user.resetPassword",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: UserEditSchema });
  if (submission.status !== "success") return json(submission.reply({ hideFields: ["password"] }), { status: 400 });
  const input = submission.value;
  const target = await requireManagedUser(ctx, params.userId, TARGET_ACTION[input.intent]);
  const userPage = `/admin/users/${target.user.id}`;
  return runFormAction(
    submission,
    async () => {
      switch (input.intent) {
        case "profile": {
          const profile = { displayName: input.displayName, active: input.active ?? false };
          const result = await adminUpdateUserProfile(ctx, target, profile);
          return redirect(`${userPage}?saved=${result.changed ? "profile" : "unchanged"}`);
        }
        case "addMembership":
          await adminAddMembership(ctx, target, { orgId: input.orgId, role: input.role });
          return redirect(`${userPage}?saved=membership-added`);
        case "changeRole": {
          const result = await adminChangeRole(ctx, target, { membershipId: input.membershipId, role: input.role });
          return redirect(`${userPage}?saved=${result.changed ? "role" : "unchanged"}`);
        }
        case "removeMembership": {
          const { stillManaged } = await adminRemoveMembership(ctx, target, input.membershipId);
          return redirect(
            stillManaged ? `${userPage}?saved=membership-removed` : "/admin/users?saved=membership-removed",
          );
        }
        case "resetPassword":
          await adminResetPassword(ctx, target, input.password);
          return redirect(`${userPage}?saved=password`);
      }
    },
    { hideFields: ["password"] },
  );
}

type ActionResult = ReturnType<typeof useActionData<typeof action>>;

/** The action result belongs to the form that sent it (each form posts its own `intent`). */
function resultFor(result: ActionResult, intent: string): ActionResult {
  return result?.initialValue?.intent === intent ? result : undefined;
}

export default function EditUser() {
  const { notice, isSelf, accountLockedMessage, user, memberships, orgOptions, roleOptions, passwordRule } =
    useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const location = useLocation();
  const navigation = useNavigation();
  const removing =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "removeMembership"
      ? navigation.formData.get("membershipId")
      : null;
  const unknownIntent = lastResult?.error?.intent;
  const removeResult = resultFor(lastResult, "removeMembership");
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <Link to="/admin/users" className="text-brand-700 hover:underline">
            用户
          </Link>
          <span className="text-slate-500" aria-hidden>
            /
          </span>
          <span className="font-medium text-slate-800" data-testid="user-heading">
            {user.displayName}
          </span>
          <span className="font-mono text-xs text-slate-500">{user.username}</span>
          {user.active ? <Badge tone="green">启用</Badge> : <Badge tone="slate">停用</Badge>}
          <span className="text-xs text-slate-500">创建于 {user.createdAt}</span>
        </div>
        <Link
          to={`/admin/audit?q=${encodeURIComponent(user.id)}`}
          className="inline-flex items-center gap-1 text-sm text-brand-700 hover:underline"
        >
          <ScrollText className="h-4 w-4" aria-hidden />
          查看该用户的审计记录
        </Link>
      </div>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <FormErrors errors={unknownIntent} />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="flex flex-col gap-4">
          {accountLockedMessage ? (
            <Card title="基本信息与密码">
              <Notice>{accountLockedMessage}</Notice>
            </Card>
          ) : (
            <>
              <Card title="基本信息">
                <ProfileForm
                  key={location.key}
                  user={user}
                  isSelf={isSelf}
                  lastResult={resultFor(lastResult, "profile")}
                />
              </Card>
              <Card title="重置密码">
                <PasswordForm
                  key={location.key}
                  isSelf={isSelf}
                  passwordRule={passwordRule}
                  lastResult={resultFor(lastResult, "resetPassword")}
                />
              </Card>
            </>
          )}
        </div>
        <Card title="单位与角色" className="self-start">
          <div className="flex flex-col gap-4">
            <FormErrors errors={removeResult?.error?.[""]} />
            <Table head={["单位", "角色", ""]} caption="单位身份">
              {memberships.map((m) => (
                <tr key={m.id} data-testid="membership-row">
                  <Td>
                    <span className="block">{m.orgName}</span>
                    <span className="block text-xs text-slate-500">{m.regionName}</span>
                  </Td>
                  <Td className="whitespace-nowrap">
                    {m.manageable ? (
                      <RoleForm membershipId={m.id} role={m.roleValue} orgName={m.orgName} roleOptions={roleOptions} />
                    ) : (
                      m.role
                    )}
                  </Td>
                  <Td className="whitespace-nowrap text-right">
                    {m.manageable ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="removeMembership" />
                        <input type="hidden" name="membershipId" value={m.id} />
                        <Button
                          type="submit"
                          variant="ghost"
                          className="px-2 py-1 text-red-700"
                          disabled={removing === m.id}
                          aria-label={`移除 ${m.orgName} 的${m.role}身份`}
                        >
                          <Trash2 className="h-4 w-4" aria-hidden />
                          移除
                        </Button>
                      </Form>
                    ) : (
                      <span className="text-xs text-slate-500">不在管理范围</span>
                    )}
                  </Td>
                </tr>
              ))}
            </Table>
            <MembershipForm
              key={location.key}
              orgOptions={orgOptions}
              roleOptions={roleOptions}
              lastResult={resultFor(lastResult, "addMembership")}
            />
          </div>
        </Card>
      </div>
    </div>
  );
}

/** The role of one membership, changed in place. */
function RoleForm(props: {
  membershipId: string;
  role: string;
  orgName: string;
  roleOptions: Array<{ value: string; label: string }>;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("membershipId") === props.membershipId;
  const id = `role-${props.membershipId}`;
  return (
    <Form method="post" className="flex items-center gap-1">
      <input type="hidden" name="intent" value="changeRole" />
      <input type="hidden" name="membershipId" value={props.membershipId} />
      <label htmlFor={id} className="sr-only">
        {props.orgName} 的角色
      </label>
      <select
        id={id}
        name="role"
        defaultValue={props.role}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
      >
        {props.roleOptions.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" className="px-2 py-1" disabled={busy}>
        修改角色
      </Button>
    </Form>
  );
}

function ProfileForm({
  user,
  isSelf,
  lastResult,
}: {
  user: { displayName: string; active: boolean };
  isSelf: boolean;
  lastResult: ActionResult;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<{ intent: "profile"; displayName: string; active?: boolean }>({
    lastResult,
    id: "profile-form",
    defaultValue: { intent: "profile", displayName: user.displayName, active: user.active },
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "profile";
  return (
    <Form method="post" className="flex flex-col gap-4" {...getFormProps(form)} data-testid="profile-form">
      <input type="hidden" name="intent" value="profile" />
      <FormErrors errors={form.errors} />
      <TextField
        label="姓名"
        required
        name={fields.displayName.name}
        errors={fields.displayName.errors}
        defaultValue={fields.displayName.initialValue}
        maxLength={30}
      />
      <CheckboxField
        label="启用账号"
        name={fields.active.name}
        errors={fields.active.errors}
        defaultChecked={fields.active.initialValue === "on"}
        disabled={isSelf}
        hint={isSelf ? "不能停用您本人的账号。" : "停用后该用户无法登录，其所有登录会话立即失效。"}
      />
      {isSelf ? <input type="hidden" name={fields.active.name} value="on" /> : null}
      <div>
        <Button type="submit" disabled={busy}>
          {busy ? "正在保存…" : "保存"}
        </Button>
      </div>
    </Form>
  );
}

function PasswordForm({
  isSelf,
  passwordRule,
  lastResult,
}: {
  isSelf: boolean;
  passwordRule: string;
  lastResult: ActionResult;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<{ intent: "resetPassword"; password: string }>({ lastResult, id: "password-form" });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "resetPassword";
  return (
    <Form
      method="post"
      className="flex flex-col gap-4"
      autoComplete="off"
      {...getFormProps(form)}
      data-testid="password-form"
    >
      <input type="hidden" name="intent" value="resetPassword" />
      <FormErrors errors={form.errors} />
      <TextField
        label="新密码"
        required
        type="password"
        autoComplete="new-password"
        name={fields.password.name}
        errors={fields.password.errors}
        maxLength={128}
        hint={passwordRule}
      />
      <p className="text-xs text-slate-500">
        {isSelf
          ? "重置本人密码后，您的所有登录会话将被注销，需要用新密码重新登录。"
          : "重置后该用户的所有登录会话将被注销，并解除登录锁定。请通过安全渠道告知新密码。"}
      </p>
      <div>
        <Button type="submit" variant="danger" disabled={busy}>
          <KeyRound className="h-4 w-4" aria-hidden />
          {busy ? "正在重置…" : "重置密码"}
        </Button>
      </div>
    </Form>
  );
}

function MembershipForm({
  orgOptions,
  roleOptions,
  lastResult,
}: {
  orgOptions: Array<{ value: string; label: string }>;
  roleOptions: Array<{ value: string; label: string }>;
  lastResult: ActionResult;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm<{ intent: "addMembership"; orgId: string; role: string }>({
    lastResult,
    id: "membership-form",
  });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "addMembership";
  return (
    <Form
      method="post"
      className="flex flex-col gap-3 border-t border-slate-100 pt-4"
      {...getFormProps(form)}
      data-testid="membership-form"
    >
      <h3 className="text-sm font-semibold text-slate-700">添加单位身份</h3>
      <input type="hidden" name="intent" value="addMembership" />
      <FormErrors errors={form.errors} />
      <MembershipFields
        fields={fields}
        orgOptions={orgOptions}
        roleOptions={roleOptions}
        orgLabel="单位"
        idPrefix="membership"
        className="grid gap-3 md:grid-cols-2"
      />
      <div>
        <Button type="submit" variant="secondary" disabled={busy}>
          {busy ? "正在添加…" : "添加"}
        </Button>
      </div>
    </Form>
  );
}
