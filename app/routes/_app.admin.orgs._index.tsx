import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Building2, MapPin, Plus } from "lucide-react";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  FormErrors,
  LinkButton,
  Notice,
  SelectField,
  TextField,
} from "~/components/ui";
import { adminCreateRegion } from "~/services/admin-orgs.server";
import {
  CHILD_LEVEL,
  RegionCreateSchema,
  loadRegionsAndOrgs,
  orgKindLabel,
  regionLevelLabel,
  requireAdmin,
} from "~/services/admin.server";
import { REGION_LEVEL_LABELS, isRegionLevel } from "~/domain/organization";
import { runFormAction } from "~/utils/errors";
import type { z } from "~/utils/validation";
import { readFormData } from "~/utils/request.server";

export const meta: MetaFunction = () => [{ title: "单位与区划 · 系统管理 · 会商协同" }];

const NOTICES: Record<string, string> = {
  region: "已新建区划。",
  org: "已新建单位。",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const { tree, orgs } = await loadRegionsAndOrgs(ctx);
  const orgsByRegion = new Map<string, typeof orgs>();
  const collator = new Intl.Collator("zh-CN");
  for (const o of [...orgs].sort((a, b) => collator.compare(a.name, b.name)))
    orgsByRegion.set(o.regionId, [...(orgsByRegion.get(o.regionId) ?? []), o]);
  const saved = new URL(request.url).searchParams.get("saved");
  return json({
    notice: saved ? (NOTICES[saved] ?? "已保存。") : null,
    regions: tree.map((r) => ({
      id: r.id,
      name: r.name,
      code: r.code,
      depth: r.depth,
      levelLabel: regionLevelLabel(r.level),
      orgs: (orgsByRegion.get(r.id) ?? []).map((o) => ({
        id: o.id,
        name: o.name,
        shortName: o.shortName,
        kindLabel: orgKindLabel(o.kind),
        active: o.active,
        memberCount: o._count.memberships,
      })),
    })),
    parentOptions: tree
      .filter((r) => isRegionLevel(r.level) && CHILD_LEVEL[r.level] !== null)
      .map((r) => {
        const child = isRegionLevel(r.level) ? CHILD_LEVEL[r.level] : null;
        return {
          value: r.id,
          label: `${"　".repeat(r.depth)}${r.name}（下设${child ? REGION_LEVEL_LABELS[child] : ""}）`,
        };
      }),
    levelOptions: (["CITY", "COUNTY", "TOWNSHIP"] as const).map((l) => ({ value: l, label: REGION_LEVEL_LABELS[l] })),
    orgCount: orgs.length,
  });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const ctx = await requireAdmin(request, context);
  const submission = parseWithZod(await readFormData(request), { schema: RegionCreateSchema });
  if (submission.status !== "success") return json(submission.reply(), { status: 400 });
  const { parentId, level, name, code } = submission.value;
  return runFormAction(submission, async () => {
    await adminCreateRegion(ctx, { parentId, level, name, code });
    return redirect("/admin/orgs?saved=region");
  });
}

export default function AdminOrgs() {
  const { notice, regions, parentOptions, levelOptions, orgCount } = useLoaderData<typeof loader>();
  const location = useLocation();
  return (
    <div className="flex flex-col gap-4">
      {notice ? <Notice tone="success">{notice}</Notice> : null}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card
          title={`区划与单位（${orgCount} 个单位）`}
          className="lg:col-span-2"
          actions={
            <LinkButton to="/admin/orgs/new" variant="primary" data-testid="new-org-link">
              <Plus className="h-4 w-4" aria-hidden />
              新建单位
            </LinkButton>
          }
        >
          {regions.length === 0 ? (
            <EmptyState title="您的管理范围内暂无区划" />
          ) : (
            <ul className="flex flex-col gap-1" data-testid="region-tree">
              {regions.map((r) => (
                <li
                  key={r.id}
                  data-testid="admin-region"
                  data-region-name={r.name}
                  style={{ paddingLeft: `${r.depth * 1.25}rem` }}
                >
                  <div className="flex flex-wrap items-center gap-2 rounded-md bg-slate-50 px-2 py-1.5">
                    <MapPin className="h-4 w-4 shrink-0 text-slate-500" aria-hidden />
                    <span className="font-medium text-slate-800">{r.name}</span>
                    <Badge tone="blue">{r.levelLabel}</Badge>
                    {r.code ? <span className="text-xs text-slate-500">代码 {r.code}</span> : null}
                  </div>
                  {r.orgs.length > 0 ? (
                    <ul className="ml-4 mt-1 flex flex-col border-l border-slate-200 pl-3">
                      {r.orgs.map((o) => (
                        <li
                          key={o.id}
                          data-testid="admin-org-row"
                          className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1 text-sm"
                        >
                          <Building2 className="h-4 w-4 shrink-0 text-slate-500" aria-hidden />
                          <Link to={`/admin/orgs/${o.id}`} className="font-medium text-brand-700 hover:underline">
                            {o.name}
                          </Link>
                          {o.shortName ? <span className="text-xs text-slate-500">（{o.shortName}）</span> : null}
                          <span className="text-xs text-slate-500">{o.kindLabel}</span>
                          {o.active ? <Badge tone="green">启用</Badge> : <Badge tone="slate">停用</Badge>}
                          <span className="text-xs text-slate-500">{o.memberCount} 名成员</span>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="ml-4 mt-1 border-l border-slate-200 py-1 pl-3 text-xs text-slate-500">暂无单位</p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="新建下级区划" className="self-start">
          <RegionForm key={location.key} parentOptions={parentOptions} levelOptions={levelOptions} />
        </Card>
      </div>
    </div>
  );
}

function RegionForm({
  parentOptions,
  levelOptions,
}: {
  parentOptions: Array<{ value: string; label: string }>;
  levelOptions: Array<{ value: string; label: string }>;
}) {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm<z.input<typeof RegionCreateSchema>>({ lastResult, id: "create-region" });
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "createRegion";
  if (parentOptions.length === 0) return <p className="text-sm text-slate-500">您的管理范围内没有可新建下级的区划。</p>;
  return (
    <Form method="post" className="flex flex-col gap-3" {...getFormProps(form)} data-testid="region-form">
      <input type="hidden" name="intent" value="createRegion" />
      <FormErrors errors={form.errors} />
      <SelectField
        label="上级区划"
        required
        name={fields.parentId.name}
        errors={fields.parentId.errors}
        defaultValue={fields.parentId.initialValue ?? ""}
        options={parentOptions}
        placeholder="请选择上级区划"
      />
      <SelectField
        label="层级"
        required
        name={fields.level.name}
        errors={fields.level.errors}
        hint="须为上级区划的下一级：省 → 市 → 县 → 乡镇"
        defaultValue={fields.level.initialValue ?? ""}
        options={levelOptions}
        placeholder="请选择层级"
      />
      <TextField
        label="区划名称"
        required
        name={fields.name.name}
        errors={fields.name.errors}
        defaultValue={fields.name.initialValue}
        maxLength={30}
      />
      <TextField
        label="区划代码"
        name={fields.code.name}
        errors={fields.code.errors}
        defaultValue={fields.code.initialValue}
        hint="可选，6–12 位数字"
        inputMode="numeric"
        maxLength={12}
      />
      <Button type="submit" disabled={busy}>
        {busy ? "正在保存…" : "新建区划"}
      </Button>
    </Form>
  );
}
