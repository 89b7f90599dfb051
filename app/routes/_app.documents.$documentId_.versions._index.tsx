import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { GitCompare, History } from "lucide-react";
import {
  Badge,
  Button,
  Card,
  EmptyState,
  FormErrors,
  Notice,
  SubpageHeader,
  Table,
  Td,
  TextField,
} from "~/components/ui";
import { VERSION_KIND_LABELS, type VersionKind } from "~/domain/document";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { requireDocumentAccess } from "~/services/document-access.server";
import { listDocumentVersions, restoreVersion, saveNamedVersion } from "~/services/document-versions.server";
import { formatDateTime } from "~/domain/dates";
import { actionError, runAction } from "~/utils/errors";
import { readFormData } from "~/utils/request.server";
import { invalidInput, text, z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `版本历史 · ${data?.document.title ?? "文书"} · 会商协同` },
];

const KIND_TONES: Record<VersionKind, "slate" | "blue" | "amber" | "green"> = {
  AUTO: "slate",
  NAMED: "blue",
  COUNTERSIGN: "amber",
  RESTORE: "green",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { facts, access } = await requireDocumentAccess(user, params.documentId);
  const versions = await listDocumentVersions(facts);
  return json({
    document: { id: facts.id, title: facts.title, status: facts.status },
    canWrite: access === "write",
    versions: versions.map((v) => ({
      number: v.number,
      name: v.name,
      kind: v.kind,
      kindLabel: VERSION_KIND_LABELS[v.kind] ?? v.kind,
      authors: v.authors.map((a) => (a.org ? `${a.name}（${a.org}）` : a.name)),
      createdBy: v.createdBy,
      createdAt: formatDateTime(v.createdAt),
      sha256: v.sha256,
      restoredFromNumber: v.restoredFromNumber,
    })),
  });
}

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("name"), name: text({ max: 40, label: "版本名称" }) }),
  z.object({
    intent: z.literal("restore"),
    number: z.coerce
      .number({ invalid_type_error: "版本号无效" })
      .int()
      .min(1, "版本号无效")
      .max(2_147_483_647, "版本号无效"),
  }),
]);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireDocumentAccess(user, params.documentId);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) return json(actionError(invalidInput(parsed.error, "提交的内容无效。")), { status: 400 });
  const ctx = commandContext(request, context);
  const input = parsed.data;
  return runAction(async () => {
    switch (input.intent) {
      case "name": {
        const saved = await saveNamedVersion(user, facts, input.name, ctx);
        return redirect(`/documents/${facts.id}/versions?saved=${saved.number}`);
      }
      case "restore": {
        const restored = await restoreVersion(user, facts, input.number, ctx);
        return redirect(`/documents/${facts.id}/versions?restored=${restored.number}`);
      }
    }
  });
}

export default function VersionsPage() {
  const { document, canWrite, versions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state !== "idle";
  return (
    <div className="flex flex-col gap-4">
      <SubpageHeader
        back={{ to: `/documents/${document.id}`, label: "返回文书" }}
        title="版本历史"
        subtitle={document.title}
      />
      <FormErrors errors={actionData?.error ? [actionData.error] : null} />
      {params.get("saved") ? <Notice tone="success">已保存为第{params.get("saved")}版。</Notice> : null}
      {params.get("restored") ? (
        <Notice tone="success">已恢复，生成第{params.get("restored")}版；正在编辑的人会立即看到恢复后的内容。</Notice>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {canWrite ? (
          <Card title="保存当前内容为命名版本">
            <Form method="post" className="flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="name" />
              <div className="min-w-0 flex-1">
                <TextField label="版本名称" name="name" placeholder="如：会前征求意见稿" maxLength={40} required />
              </div>
              <Button type="submit" disabled={busy}>
                保存版本
              </Button>
            </Form>
            <p className="mt-2 text-xs text-slate-500">
              编辑时每停顿 2 分钟、连续编辑每 10 分钟会自动保存一个版本，最后一人离开时也会保存。
            </p>
          </Card>
        ) : null}
        {versions.length >= 2 ? <CompareCard documentId={document.id} versions={versions} /> : null}
      </div>
      {versions.length === 0 ? (
        <EmptyState icon={<History className="h-8 w-8" aria-hidden />} title="还没有版本">
          开始编辑后会自动保存版本，也可以随时保存命名版本。
        </EmptyState>
      ) : (
        <VersionTable documentId={document.id} versions={versions} canWrite={canWrite} busy={busy} />
      )}
      {canWrite ? (
        <p className="text-xs text-slate-500">
          恢复不会丢失内容：恢复前的内容先自动保存为一个版本，恢复结果另存为新版本，并记入审计日志。
        </p>
      ) : null}
    </div>
  );
}

type Version = SerializeFrom<typeof loader>["versions"][number];

function VersionSelect(props: { label: string; name: string; versions: Version[]; selected: number | undefined }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium text-slate-700">{props.label}</span>
      <select
        name={props.name}
        defaultValue={props.selected}
        className="rounded-md border border-slate-300 px-2 py-1.5"
      >
        {props.versions.map((v) => (
          <option key={v.number} value={v.number}>
            第{v.number}版{v.name ? ` ${v.name}` : ""}
          </option>
        ))}
      </select>
    </label>
  );
}

/** 对比两个版本: two selects, the newer preselected against the one before it. */
function CompareCard({ documentId, versions }: { documentId: string; versions: Version[] }) {
  return (
    <Card title="对比两个版本">
      <Form method="get" action={`/documents/${documentId}/compare`} className="flex flex-wrap items-end gap-2">
        <VersionSelect label="原版本" name="from" versions={versions} selected={versions[1]?.number} />
        <VersionSelect label="新版本" name="to" versions={versions} selected={versions[0]?.number} />
        <Button type="submit" variant="secondary">
          <GitCompare className="mr-1 h-4 w-4" aria-hidden />
          对比
        </Button>
      </Form>
    </Card>
  );
}

/** The versions, newest first: view, compare with the previous one, restore (writers). */
function VersionTable({
  documentId,
  versions,
  canWrite,
  busy,
}: {
  documentId: string;
  versions: Version[];
  canWrite: boolean;
  busy: boolean;
}) {
  const latest = versions[0]?.number ?? null;
  return (
    <Table head={["版本", "类型", "时间", "修改人", "SHA-256", "操作"]} caption="版本列表">
      {versions.map((v) => (
        <tr key={v.number} data-testid={`version-${v.number}`}>
          <Td className="whitespace-nowrap font-medium">第{v.number}版</Td>
          <Td>
            <Badge tone={KIND_TONES[v.kind as VersionKind] ?? "slate"}>{v.kindLabel}</Badge>
            {v.name ? <span className="ml-2">{v.name}</span> : null}
          </Td>
          <Td className="whitespace-nowrap text-slate-600">{v.createdAt}</Td>
          <Td className="text-slate-600">
            {v.authors.length ? v.authors.join("、") : "—"}
            {v.createdBy ? <span className="block text-xs text-slate-500">保存：{v.createdBy}</span> : null}
          </Td>
          <Td>
            <code className="font-mono text-xs text-slate-500" title={v.sha256}>
              {v.sha256.slice(0, 12)}…
            </code>
          </Td>
          <Td className="whitespace-nowrap">
            <div className="flex items-center gap-2">
              <Link to={`/documents/${documentId}/versions/${v.number}`} className="text-brand-700 hover:underline">
                查看
              </Link>
              {v.number > 1 ? (
                <Link
                  to={`/documents/${documentId}/compare?from=${v.number - 1}&to=${v.number}`}
                  className="text-brand-700 hover:underline"
                >
                  与上一版对比
                </Link>
              ) : null}
              {canWrite && v.number !== latest ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="number" value={v.number} />
                  <button
                    type="submit"
                    disabled={busy}
                    className="text-amber-700 hover:underline disabled:opacity-50"
                    aria-label={`恢复第${v.number}版`}
                  >
                    恢复
                  </button>
                </Form>
              ) : null}
            </div>
          </Td>
        </tr>
      ))}
    </Table>
  );
}
