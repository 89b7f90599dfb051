import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { OrgFields } from "~/components/admin-fields";
import { Users } from "lucide-react";
import {
  Badge,
  Button,
  Card,
  CheckboxField,
  EmptyState,
  FormErrors,
  LinkButton,
  Notice,
  Table,
  Td,
} from "~/components/ui";
import { adminUpdateOrg, listOrgMembers, requireAdministeredOrg } from "~/services/admin-orgs.server";
import { OrgSchema, regionOptions, requireAdmin } from "~/services/admin.server";
import { ORG_KINDS, ORG_KIND_LABELS, ROLE_LABELS, isRole } from "~/domain/organization";
import { runFormAction } from "~/utils/errors";
import type { z } from "~/utils/validation";
import { readFormData } from "~/utils/request.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.org.name ?? "单位"} · 系统管理 · 会商协同` },
];

const NOTICES: Record<string, string> = {
  created: "已新建单位。可在“用户”页为该单位添加成员。",
  "1": "已保存。",
  unchanged: "没有需要保存的修改。",
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const org = await requireAdministeredOrg(ctx, params.orgId);
  const [members, regions] = await Promise.all([listOrgMembers(org.id), regionOptions(ctx)]);
  const saved = new URL(request.url).searchParams.get("saved");
  return json({
    notice: saved ? (NOTICES[saved] ?? NOTICES["1"]) : null,
    org: {
      id: org.id,
      name: org.name,
      shortName: org.shortName,
      kind: org.kind,
      regionId: org.regionId,
      active: org.active,
    },
    members: members.map((m) => ({
      id: m.id,
      userId: m.user.id,
      username: m.user.username,
      displayName: m.user.displayName,
      active: m.user.active,
      role: isRole(m.role) ? ROLE_LABELS[m.role] : m.role,
    })),
    regionOptions: regions,
    kindOptions: ORG_KINDS.map((k) => ({ value: k, label: ORG_KIND_LABELS[k] })),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: OrgSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { name, shortName, kind, regionId } = submission.value;
  const active = submission.value.active ?? false;

  const org = await requireAdministeredOrg(ctx, params.orgId);
  return runFormAction(submission, async () => {
    const result = await adminUpdateOrg(ctx, org, { name, shortName, kind, regionId, active });
    return redirect(`/admin/orgs/${org.id}?saved=${result.changed ? "1" : "unchanged"}`);
  });
}

export default function EditOrg() {
  const { notice, org, members, regionOptions, kindOptions } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Link to="/admin/orgs" className="text-brand-700 hover:underline">
          单位与区划
        </Link>
        <span className="text-slate-500" aria-hidden>
          /
        </span>
        <span className="text-slate-700">{org.name}</span>
        {org.active ? <Badge tone="green">启用</Badge> : <Badge tone="slate">停用</Badge>}
      </div>
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="单位信息" className="self-start">
          <OrgEditForm key={location.key} org={org} regionOptions={regionOptions} kindOptions={kindOptions} />
        </Card>
        <Card
          title={`成员（${members.length}）`}
          className="self-start"
          actions={
            <LinkButton to={`/admin/users/new?orgId=${org.id}`} className="py-1.5">
              新建用户
            </LinkButton>
          }
        >
          {members.length === 0 ? (
            <EmptyState icon={<Users className="h-8 w-8 text-slate-300" aria-hidden />} title="该单位暂无成员" />
          ) : (
            <Table head={["姓名", "用户名", "角色", "状态"]} caption="单位成员">
              {members.map((m) => (
                <tr key={m.id} data-testid="org-member-row">
                  <Td>
                    <Link to={`/admin/users/${m.userId}`} className="text-brand-700 hover:underline">
                      {m.displayName}
                    </Link>
                  </Td>
                  <Td className="font-mono text-xs">{m.username}</Td>
                  <Td>{m.role}</Td>
                  <Td>{m.active ? <Badge tone="green">启用</Badge> : <Badge tone="slate">停用</Badge>}</Td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </div>
  );
}

interface Option {
  value: string;
  label: string;
}

function OrgEditForm({
  org,
  regionOptions,
  kindOptions,
}: {
  org: { name: string; shortName: string | null; kind: string; regionId: string; active: boolean };
  regionOptions: Option[];
  kindOptions: Option[];
}) {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof OrgSchema>>({
    lastResult,
    id: "org-form",
    defaultValue: {
      name: org.name,
      shortName: org.shortName ?? "",
      kind: org.kind,
      regionId: org.regionId,
      active: org.active,
    },
  });
  const busy = navigation.state === "submitting";
  return (
    <Form method="post" className="flex flex-col gap-4" {...getFormProps(form)} data-testid="org-form">
      <FormErrors errors={form.errors} />
      <OrgFields fields={fields} kindOptions={kindOptions} regionOptions={regionOptions} />
      <CheckboxField
        label="启用"
        name={fields.active.name}
        errors={fields.active.errors}
        defaultChecked={fields.active.initialValue === "on"}
        hint="停用后该单位不再出现在新建用户、添加成员的单位选项中；已有数据保留。"
      />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={busy}>
          {busy ? "正在保存…" : "保存"}
        </Button>
        <LinkButton to="/admin/orgs">返回</LinkButton>
      </div>
    </Form>
  );
}
