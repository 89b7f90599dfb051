import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { ChevronLeft } from "lucide-react";
import { useEffect, useState } from "react";
import { Badge } from "~/components/ui";
import { orgColor } from "~/editor/colors";
import { CollaborativeEditor } from "~/editor/collaborative-editor";
import { getDb } from "~/db.server";
import { getDocumentFacts, getDocumentPage } from "~/models/document.server";
import { DOCUMENT_STATUS_LABELS, DOCUMENT_TYPE_LABELS, documentAccess, type DocumentStatus, type DocumentType } from "~/policies/document";
import { requireUser } from "~/services/auth/current-user.server";
import { httpError } from "~/utils/errors";

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
  return json({
    document: {
      id: page.id,
      title: page.title,
      type: DOCUMENT_TYPE_LABELS[page.type as DocumentType] ?? page.type,
      status,
      statusLabel: DOCUMENT_STATUS_LABELS[status] ?? page.status,
      owner: page.ownerOrg.name,
      members: page.members.map((m) => ({ id: m.id, name: m.org?.name ?? m.user?.displayName ?? "", access: m.access })),
    },
    abilities: { read: true, write: access === "write" },
    readOnlyReason: access === "write" ? null : status === "DRAFT" ? "您对此文书只有查看权限。" : `本文书${DOCUMENT_STATUS_LABELS[status] ?? ""}，内容不可修改。`,
    user: { id: user.id, name: user.displayName, org: myOrg?.name ?? null, color: orgColor(myOrg?.id) },
  });
}

export default function DocumentPage() {
  const { document, abilities, readOnlyReason, user } = useLoaderData<typeof loader>();
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
        <details className="text-sm text-slate-600">
          <summary className="cursor-pointer select-none">参与单位（{document.members.length + 1}）</summary>
          <ul className="mt-2 flex flex-col gap-1">
            <li>{document.owner}（牵头）</li>
            {document.members.map((m) => (
              <li key={m.id}>
                {m.name}（{m.access === "WRITE" ? "共同起草" : "只读"}）
              </li>
            ))}
          </ul>
        </details>
      </div>
      {mounted ? (
        <CollaborativeEditor key={`${document.id}:${abilities.write}`} documentId={document.id} user={user} canWrite={abilities.write} readOnlyReason={readOnlyReason} onAccessChanged={() => revalidator.revalidate()} />
      ) : (
        <div className="rounded-lg border border-slate-200 bg-white p-8 text-center text-sm text-slate-500">正在加载编辑器…</div>
      )}
    </div>
  );
}
