import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams } from "@remix-run/react";
import { ChevronLeft } from "lucide-react";
import { useEffect, useState } from "react";
import { Badge, Button, FormErrors, Notice } from "~/components/ui";
import { orgColor } from "~/editor/colors";
import { CollaborativeEditor } from "~/editor/collaborative-editor";
import { getDb } from "~/db.server";
import { getDocumentFacts, getDocumentPage } from "~/models/document.server";
import { listDirectoryOrganizations } from "~/models/organization.server";
import { canManageDocumentMembers, DOCUMENT_STATUS_LABELS, DOCUMENT_TYPE_LABELS, documentAccess, type DocumentStatus, type DocumentType } from "~/policies/document";
import { requireUser } from "~/services/auth/current-user.server";
import { updateDocumentMembers, type MemberAccess } from "~/services/update-document-members.server";
import { httpError } from "~/utils/errors";
import { clientIp } from "~/utils/request.server";
import { z } from "~/utils/validation";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.document.title ?? "文书"} · 会商协同` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = params.documentId ?? "";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw httpError("NOT_FOUND");
  const db = getDb();
  const facts = await getDocumentFacts(db, id);
  if (!facts) throw httpError("NOT_FOUND", "文书不存在或已被删除。");
  const access = documentAccess(user.actor, facts);
  if (access === "none") throw httpError("FORBIDDEN", "您不是此文书的参与单位成员，无权查看。");
  const page = await getDocumentPage(db, id);
  if (!page) throw httpError("NOT_FOUND");
  const memberOrgIds = new Set([page.ownerOrg.id, ...page.members.map((m) => m.org?.id).filter((x): x is string => Boolean(x))]);
  const myOrg = user.memberships.find((m) => memberOrgIds.has(m.org.id))?.org ?? user.memberships[0]?.org ?? null;
  const status = page.status as DocumentStatus;
  const canManage = canManageDocumentMembers(user.actor, facts);
  const candidates = canManage
    ? (await listDirectoryOrganizations(db, [`/${facts.ownerRegionPath.split("/").filter(Boolean)[0] ?? ""}/`])).filter((o) => !memberOrgIds.has(o.id)).map((o) => ({ id: o.id, name: o.name }))
    : [];
  return json({
    canManage,
    candidates,
    document: {
      id: page.id,
      title: page.title,
      type: DOCUMENT_TYPE_LABELS[page.type as DocumentType] ?? page.type,
      status,
      statusLabel: DOCUMENT_STATUS_LABELS[status] ?? page.status,
      owner: page.ownerOrg.name,
      members: page.members.map((m) => ({ id: m.id, orgId: m.org?.id ?? null, name: m.org?.name ?? m.user?.displayName ?? "", access: m.access })),
    },
    abilities: { read: true, write: access === "write" },
    readOnlyReason: access === "write" ? null : status === "DRAFT" ? "您对此文书只有查看权限。" : `本文书${DOCUMENT_STATUS_LABELS[status] ?? ""}，内容不可修改。`,
    user: { id: user.id, name: user.displayName, org: myOrg?.name ?? null, color: orgColor(myOrg?.id) },
  });
}

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
const AccessValue = z.enum(["WRITE", "READ", "REMOVE"], { errorMap: () => ({ message: "权限选择无效" }) });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = params.documentId ?? "";
  if (!idPattern.test(id)) throw httpError("NOT_FOUND");
  const facts = await getDocumentFacts(getDb(), id);
  if (!facts) throw httpError("NOT_FOUND", "文书不存在或已被删除。");
  if (documentAccess(user.actor, facts) === "none") throw httpError("FORBIDDEN");
  const form = await request.formData();
  const changes: Array<{ orgId: string; access: MemberAccess }> = [];
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("member.")) continue;
    const orgId = key.slice(7);
    const access = AccessValue.safeParse(value);
    if (!idPattern.test(orgId) || !access.success) return json({ error: "提交的参与单位或权限无效。" }, { status: 400 });
    changes.push({ orgId, access: access.data });
  }
  const addOrg = form.get("addOrgId");
  if (typeof addOrg === "string" && addOrg !== "") {
    const access = AccessValue.safeParse(form.get("addAccess"));
    if (!idPattern.test(addOrg) || !access.success || access.data === "REMOVE") return json({ error: "请选择要添加的单位及其权限。" }, { status: 400 });
    changes.push({ orgId: addOrg, access: access.data });
  }
  const result = await updateDocumentMembers(user, facts, changes, { ip: clientIp(request), events: context.events });
  if (!result.ok) return json({ error: result.message }, { status: result.message.startsWith("只有") ? 403 : 400 });
  return redirect(`/documents/${id}?members=${result.changed}`);
}

export default function DocumentPage() {
  const { document, abilities, readOnlyReason, user, canManage, candidates } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const revalidator = useRevalidator();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <Link to="/documents" className="mb-1 inline-flex items-center text-sm text-slate-500 hover:text-slate-800">
            <ChevronLeft className="h-4 w-4" aria-hidden />
            文书
          </Link>
          <h1 className="text-xl font-semibold text-slate-900">{document.title}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-500">
            <span>{document.type}</span>
            <span>·</span>
            <span>牵头：{document.owner}</span>
            <Badge tone={document.status === "DRAFT" ? "blue" : "green"}>{document.statusLabel}</Badge>
            {!abilities.write ? <Badge tone="slate">只读</Badge> : null}
          </p>
        </div>
        <details className="text-sm text-slate-600" open={Boolean(actionData?.error)}>
          <summary className="cursor-pointer select-none">参与单位（{document.members.length + 1}）</summary>
          {canManage ? (
            <Form method="post" className="mt-2 flex w-80 flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
              <FormErrors errors={actionData?.error ? [actionData.error] : null} />
              <p className="font-medium text-slate-800">{document.owner}（牵头）</p>
              {document.members.map((m) =>
                m.orgId ? (
                  <label key={m.id} className="flex items-center justify-between gap-2">
                    <span>{m.name}</span>
                    <select name={`member.${m.orgId}`} defaultValue={m.access} aria-label={`${m.name}的权限`} className="rounded border border-slate-300 px-2 py-1">
                      <option value="WRITE">共同起草</option>
                      <option value="READ">只读</option>
                      <option value="REMOVE">移出</option>
                    </select>
                  </label>
                ) : null,
              )}
              {candidates.length ? (
                <div className="flex items-center gap-2 border-t border-slate-100 pt-2">
                  <select name="addOrgId" aria-label="添加单位" defaultValue="" className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1">
                    <option value="">添加单位…</option>
                    {candidates.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                  <select name="addAccess" aria-label="新单位的权限" defaultValue="WRITE" className="rounded border border-slate-300 px-2 py-1">
                    <option value="WRITE">共同起草</option>
                    <option value="READ">只读</option>
                  </select>
                </div>
              ) : null}
              <Button type="submit" disabled={navigation.state !== "idle"}>
                保存参与单位
              </Button>
              <p className="text-xs text-slate-500">移出或降为只读后，对方正在打开的编辑器会立即重新校验权限。</p>
            </Form>
          ) : (
            <ul className="mt-2 flex flex-col gap-1">
              <li>{document.owner}（牵头）</li>
              {document.members.map((m) => (
                <li key={m.id}>
                  {m.name}（{m.access === "WRITE" ? "共同起草" : "只读"}）
                </li>
              ))}
            </ul>
          )}
        </details>
      </div>
      {params.get("members") ? <Notice tone="success">参与单位已更新。</Notice> : null}
      {mounted ? (
        <CollaborativeEditor key={`${document.id}:${abilities.write}`} documentId={document.id} user={user} canWrite={abilities.write} readOnlyReason={readOnlyReason} onAccessChanged={() => revalidator.revalidate()} />
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white p-8 text-center text-sm text-slate-500">正在加载编辑器…</div>
      )}
    </div>
  );
}
