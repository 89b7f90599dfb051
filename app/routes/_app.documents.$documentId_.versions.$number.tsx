import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DocumentView, type PMNode } from "~/components/document-view";
import { BackLink, Badge } from "~/components/ui";
import { parseAuthors } from "~/models/document-version.server";
import { VERSION_KIND_LABELS, type VersionKind } from "~/domain/document";
import { requireUser } from "~/services/auth/current-user.server";
import { requireDocumentAccess, versionNumberParam } from "~/services/document-access.server";
import { threadsOpenAtVersion } from "~/services/comments.server";
import { getDocumentVersion } from "~/services/document-versions.server";
import { suggestionsOpenAtVersion } from "~/services/suggestions.server";
import { SUGGESTION_KIND_LABELS } from "~/domain/suggestion";
import { formatDateTime } from "~/domain/dates";
import { orThrowHttp } from "~/utils/errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `第${data?.version.number ?? ""}版 · ${data?.document.title ?? "文书"} · 会商协同` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireDocumentAccess(user, params.documentId);
  const number = versionNumberParam(params.number);
  const version = await orThrowHttp(() => getDocumentVersion(facts, number));
  const threads = await orThrowHttp(() => threadsOpenAtVersion(user, facts, version, new Date()));
  const suggestions = (await suggestionsOpenAtVersion(version)).map((s) => ({
    key: `${s.kind}:${s.id}`,
    kind: SUGGESTION_KIND_LABELS[s.kind],
    text: s.text,
    by: s.orgName ? `${s.authorName ?? ""}（${s.orgName}）` : (s.authorName ?? ""),
  }));
  return json({
    threads,
    suggestions,
    document: { id: facts.id, title: facts.title },
    version: {
      number: version.number,
      name: version.name,
      kindLabel: VERSION_KIND_LABELS[version.kind as VersionKind] ?? version.kind,
      createdAt: formatDateTime(version.createdAt),
      authors: parseAuthors(version.authors).map((a) => (a.org ? `${a.name}（${a.org}）` : a.name)),
      sha256: version.sha256,
      content: JSON.parse(version.json) as PMNode,
    },
  });
}

export default function VersionPage() {
  const { document, version, threads, suggestions } = useLoaderData<typeof loader>();
  return (
    <div className="flex flex-col gap-4">
      <div>
        <BackLink to={`/documents/${document.id}/versions`} label="版本历史" />
        <h1 className="text-xl font-semibold text-slate-900">
          {document.title} · 第{version.number}版
        </h1>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-500">
          <Badge tone="slate">{version.kindLabel}</Badge>
          {version.name ? <span>{version.name}</span> : null}
          <span>{version.createdAt}</span>
          {version.authors.length ? <span>修改人：{version.authors.join("、")}</span> : null}
          <Badge tone="slate">只读</Badge>
        </p>
        <p className="mt-1 text-xs text-slate-500">
          SHA-256：<code className="break-all font-mono">{version.sha256}</code>
        </p>
      </div>
      <article
        className="rounded-lg border border-slate-200 bg-white px-6 py-5 shadow-sm"
        aria-label={`第${version.number}版内容`}
      >
        <DocumentView doc={version.content} />
      </article>
      {suggestions.length ? (
        <section
          aria-labelledby="version-suggestions"
          className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
          <h2 id="version-suggestions" className="text-base font-semibold text-slate-800">
            {`本版时尚未处理的修订（${suggestions.length}）`}
          </h2>
          <p className="mt-1 text-xs text-slate-600">修订不计入本版正文和 SHA-256，接受后才成为正文。</p>
          <ul className="mt-2 flex flex-col gap-2 text-sm">
            {suggestions.map((s) => (
              <li key={s.key} className="rounded border border-slate-100 px-3 py-2">
                <p className="text-slate-800">{`${s.kind}「${s.text}」`}</p>
                <p className="text-xs text-slate-600">{s.by}</p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="version-threads" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="version-threads" className="text-base font-semibold text-slate-800">
          {threads.length ? `本版期间未解决的批注（${threads.length}）` : "本版期间没有未解决的批注"}
        </h2>
        {threads.length ? (
          <ul className="mt-2 flex flex-col gap-2 text-sm">
            {threads.map((t) => (
              <li key={t.id} className="rounded border border-slate-100 px-3 py-2">
                <p className="text-slate-800">
                  「{t.quote}」
                  {t.inText ? null : <span className="text-xs text-slate-500">（本版正文中无此原文）</span>}
                </p>
                <p className="text-slate-600">{t.body}</p>
                <p className="text-xs text-slate-500">{t.org ? `${t.author}（${t.org}）` : t.author}</p>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}
