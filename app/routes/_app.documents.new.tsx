import { isId } from "~/domain/ids";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { OrgChoiceList } from "~/components/org-choice-list";
import { Button, Card, FormErrors, LinkButton, PageHeader, SelectField, TextField } from "~/components/ui";
import { WordFileField } from "~/components/word-file-field";
import { canCreateDocument } from "~/policies/document";
import { DOCUMENT_TYPE_LABELS, CREATABLE_DOCUMENT_TYPES } from "~/domain/document";
import { invalid } from "~/domain/errors";
import { encodeWordImport, MAX_DOCX_BYTES } from "~/domain/word-import";
import { requireUser } from "~/services/auth/current-user.server";
import { commandContext } from "~/services/context.server";
import { createDocument, createDocumentFromWord } from "~/services/create-document.server";
import { listOrgDirectory } from "~/services/org-directory.server";
import { actionError, httpError, runAction } from "~/utils/errors";
import { formFiles, isMultipart, readFormData, readMultipartForm } from "~/utils/request.server";
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
  // Null only with a Word file: its own title (or its name) stands in.
  title: text({ max: 100 }).nullable(),
  type: z.enum(CREATABLE_DOCUMENT_TYPES, {
    errorMap: () => ({ message: "请选择文书类型（整改方案请从建议书页面创建）" }),
  }),
  ownerOrgId: idField,
  access: z.record(z.enum(["", "WRITE", "READ"], { errorMap: () => ({ message: "权限选择无效" }) })).default({}),
});

/** The form, url-encoded or (with 从 Word 导入) multipart, and its Word file if one was chosen. */
async function readNewDocumentForm(request: Request) {
  if (!isMultipart(request)) return { ok: true as const, form: await readFormData(request), files: [] };
  const read = await readMultipartForm(request, MAX_DOCX_BYTES);
  if (!read.ok) return read;
  return { ok: true as const, form: read.form, files: await formFiles(read.form, "wordFile") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const read = await readNewDocumentForm(request);
  if (!read.ok) return json(actionError(invalid(read.message, { wordFile: [read.message] })), { status: 400 });
  const { form, files } = read;
  if (files.length > 1)
    return json(actionError(invalid("只能导入一个 Word 文件", { wordFile: ["只能导入一个 Word 文件"] })), {
      status: 400,
    });
  const [file] = files;
  const access: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (key.startsWith("access.") && typeof value === "string") access[key.slice(7)] = value;
  }
  const rawTitle = form.get("title");
  const parsed = Schema.safeParse({
    title:
      file && (rawTitle === null || (typeof rawTitle === "string" && !rawTitle.trim()))
        ? null
        : (rawTitle ?? undefined),
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
    const ctx = commandContext(request, context);
    if (file) {
      const created = await createDocumentFromWord(user, input, file, ctx);
      const report = encodeWordImport(created.report);
      return redirect(`/documents/${created.id}?imported=word${report ? `&ignored=${report}` : ""}`);
    }
    if (input.title === null) throw invalid("此项为必填项", { title: ["此项为必填项"] });
    const created = await createDocument(user, { ...input, title: input.title }, ctx);
    return redirect(`/documents/${created.id}`);
  });
}

export default function NewDocument() {
  const { owners, orgs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[] | undefined> = actionData?.fieldErrors ?? {};
  const navigation = useNavigation();
  // With a Word file the title may stay empty: Word's own title, or the file's name, stands in.
  const [hasWordFile, setHasWordFile] = useState(false);
  const titleDescribedBy =
    [errors.title?.length ? "f-title-error" : null, hasWordFile ? "f-title-hint" : null].filter(Boolean).join(" ") ||
    undefined;
  return (
    <>
      <PageHeader
        title="新建文书"
        description="选择参与单位：共同起草单位的起草人和联络员可以编辑，只读单位可以查看。联合挂牌督办清单的共同起草单位即督办单位。整改方案请在「建议书」中从所收到的建议书创建。"
      />
      <Form method="post" encType="multipart/form-data" className="flex flex-col gap-4">
        <Card>
          <div className="grid gap-4 md:grid-cols-3">
            <div className="md:col-span-3">
              <TextField
                label="标题"
                name="title"
                required={!hasWordFile}
                maxLength={100}
                errors={errors.title}
                aria-describedby={titleDescribedBy}
                placeholder="例如：2026年第3期行政执法协调会商纪要"
              />
              {hasWordFile ? (
                <p id="f-title-hint" className="mt-1 text-xs text-slate-500">
                  从 Word 导入时可以留空：使用 Word 文档的标题，没有标题时使用文件名。
                </p>
              ) : null}
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
            <div className="md:col-span-3">
              <WordFileField name="wordFile" errors={errors.wordFile} onChange={setHasWordFile} />
            </div>
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
