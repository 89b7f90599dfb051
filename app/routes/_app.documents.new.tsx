import { isId } from "~/domain/ids";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { OrgChoiceList } from "~/components/org-choice-list";
import { Button, Card, FormErrors, LinkButton, PageHeader, SelectField, TextField } from "~/components/ui";
import { canCreateDocument } from "~/policies/document";
import { DOCUMENT_TYPE_LABELS, CREATABLE_DOCUMENT_TYPES } from "~/domain/document";
import { invalid } from "~/domain/errors";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { createDocument } from "~/services/create-document.server";
import { listOrgDirectory } from "~/services/org-directory.server";
import { actionError, httpError, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { idField, invalidInput, text, z } from "~/utils/validation";

export const meta: MetaFunction = () => [{ title: "新建文书 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const owners = user.actor.memberships.filter((m) => canCreateDocument(user.actor, m.orgId));
  if (owners.length === 0) throw httpError("FORBIDDEN", "只有起草人、督办协调员或管理员可以新建文书。");
  const orgs = await listOrgDirectory(user.actor.memberships.map((m) => m.regionPath));
  const names = new Map(user.memberships.map((m) => [m.org.id, m.org.name]));
  return json({
    owners: [...new Set(owners.map((o) => o.orgId))].map((id) => ({ value: id, label: names.get(id) ?? id })),
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, region: o.region.name })),
  });
}

const Schema = z.object({
  title: text({ max: 100 }),
  type: z.enum(CREATABLE_DOCUMENT_TYPES, {
    errorMap: () => ({ message: "请选择文书类型（整改方案请从建议书页面创建）" }),
  }),
  ownerOrgId: idField,
  access: z.record(z.enum(["", "WRITE", "READ"], { errorMap: () => ({ message: "权限选择无效" }) })).default({}),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormData(request);
  const access: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("access.") && typeof value === "string") access[key.slice(7)] = value;
  }
  const parsed = Schema.safeParse({
    title: form.get("title") ?? undefined,
    type: form.get("type") || undefined,
    ownerOrgId: form.get("ownerOrgId") ?? undefined,
    access,
  });
  if (!parsed.success) return json(actionError(invalidInput(parsed.error)), { status: 400 });
  const orgIdOk = Object.keys(parsed.data.access).every((id) => isId(id));
  if (!orgIdOk)
    return json(actionError(invalid("所选单位不存在或已停用", { access: ["所选单位不存在或已停用"] })), {
      status: 400,
    });
  const entries = Object.entries(parsed.data.access);
  const input = {
    title: parsed.data.title,
    type: parsed.data.type,
    ownerOrgId: parsed.data.ownerOrgId,
    writerOrgIds: entries.filter(([, v]) => v === "WRITE").map(([k]) => k),
    readerOrgIds: entries.filter(([, v]) => v === "READ").map(([k]) => k),
  };
  return runAction(async () => {
    const created = await createDocument(user, input, commandContext(request, context));
    return redirect(`/documents/${created.id}`);
  });
}

export default function NewDocument() {
  const { owners, orgs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {};
  const navigation = useNavigation();
  return (
    <>
      <PageHeader
        title="新建文书"
        description="选择参与单位：共同起草单位的起草人和联络员可以编辑，只读单位可以查看。联合挂牌督办清单的共同起草单位即督办单位。整改方案请在「建议书」中从所收到的建议书创建。"
      />
      <Form method="post" className="flex flex-col gap-4">
        <Card>
          <div className="grid gap-4 md:grid-cols-3">
            <div className="md:col-span-3">
              <TextField
                label="标题"
                name="title"
                required
                maxLength={100}
                errors={errors.title}
                placeholder="例如：2026年第3期行政执法协调会商纪要"
              />
            </div>
            <SelectField
              label="文书类型"
              name="type"
              required
              errors={errors.type}
              placeholder="请选择"
              options={CREATABLE_DOCUMENT_TYPES.map((t) => ({ value: t, label: DOCUMENT_TYPE_LABELS[t] }))}
            />
            <SelectField label="牵头单位" name="ownerOrgId" required errors={errors.ownerOrgId} options={owners} />
          </div>
        </Card>
        <Card title="参与单位">
          <FormErrors
            errors={[...(errors.access ?? []), ...(errors.writerOrgIds ?? []), ...(errors.readerOrgIds ?? [])]}
          />
          <OrgChoiceList
            orgs={orgs}
            prefix="access"
            choices={[
              { value: "WRITE", label: "共同起草" },
              { value: "READ", label: "只读" },
            ]}
            noneLabel="不参与"
            ariaSuffix="的权限"
          />
        </Card>
        <div className="flex gap-2">
          <Button type="submit" disabled={navigation.state !== "idle"}>
            {navigation.state !== "idle" ? "正在创建…" : "创建并开始起草"}
          </Button>
          <LinkButton to="/documents">取消</LinkButton>
        </div>
      </Form>
    </>
  );
}
