import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { BackLink } from "~/components/ui";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { requireUser } from "~/services/auth/current-user.server";
import { requireDocumentAccess, versionNumberParam } from "~/services/document-access.server";
import { compareVersions } from "~/services/document-versions.server";
import { formatDateTime } from "~/domain/dates";
import { orThrowHttp } from "~/utils/errors";
import { diffParagraphs, diffStats, diffText, type DiffPart } from "~/utils/text-diff";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `版本对比 · ${data?.document.title ?? "文书"} · 会商协同` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireDocumentAccess(user, params.documentId);
  const url = new URL(request.url);
  const fromNumber = versionNumberParam(url.searchParams.get("from"));
  const toNumber = versionNumberParam(url.searchParams.get("to"));
  const compared = await orThrowHttp(() => compareVersions(facts, fromNumber, toNumber));
  const { from, to } = compared;
  const authors = [...new Set(compared.authors.map((a) => (a.org ? `${a.name}（${a.org}）` : a.name)))];
  const parts = await diffText(from.text, to.text);
  return json({
    document: { id: facts.id, title: facts.title },
    from: { number: from.number, name: from.name, createdAt: formatDateTime(from.createdAt) },
    to: { number: to.number, name: to.name, createdAt: formatDateTime(to.createdAt) },
    authors,
    stats: diffStats(parts),
    paragraphs: diffParagraphs(parts),
  });
}

/** Runs of unchanged paragraphs longer than this are folded. */
const FOLD_AFTER = 4;

function Paragraph({ parts }: { parts: DiffPart[] }) {
  return (
    <p>
      {parts.map((p, i) =>
        p.kind === "ins" ? (
          <ins key={i}>{p.text}</ins>
        ) : p.kind === "del" ? (
          <del key={i}>{p.text}</del>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
      {parts.length === 0 ? <br /> : null}
    </p>
  );
}

export default function ComparePage() {
  const { document, from, to, authors, stats, paragraphs } = useLoaderData<typeof loader>();
  const groups: Array<{ changed: boolean; items: DiffPart[][] }> = [];
  for (const p of paragraphs) {
    const changed = p.some((x) => x.kind !== "same");
    const last = groups[groups.length - 1];
    if (last && last.changed === changed) last.items.push(p);
    else groups.push({ changed, items: [p] });
  }
  return (
    <div className="flex flex-col gap-4">
      <div>
        <BackLink to={`/documents/${document.id}/versions`} label="版本历史" />
        <h1 className="text-xl font-semibold text-slate-900">版本对比</h1>
        <p className="mt-1 text-sm text-slate-500">
          {document.title}：第{from.number}版{from.name ? `（${from.name}）` : ""} {from.createdAt} → 第{to.number}版
          {to.name ? `（${to.name}）` : ""} {to.createdAt}
        </p>
      </div>
      <div
        className="flex flex-wrap items-center gap-4 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm"
        data-testid="diff-summary"
      >
        <span className="diff">
          <ins>新增 {stats.inserted} 字</ins>
        </span>
        <span className="diff">
          <del>删除 {stats.deleted} 字</del>
        </span>
        <span className="text-slate-600">修改人：{authors.length ? authors.join("、") : "—"}</span>
        {stats.inserted === 0 && stats.deleted === 0 ? (
          <span className="text-slate-600">两个版本内容相同。</span>
        ) : null}
      </div>
      <article
        className="diff gongwen rounded-lg border border-slate-200 bg-white px-6 py-5 shadow-sm"
        aria-label="差异"
      >
        {groups.map((g, gi) =>
          g.changed || g.items.length <= FOLD_AFTER ? (
            <Fragment key={gi}>
              {g.items.map((p, i) => (
                <Paragraph key={i} parts={p} />
              ))}
            </Fragment>
          ) : (
            <Fragment key={gi}>
              {gi > 0 ? <Paragraph parts={g.items[0]} /> : null}
              <details className="my-1 text-sm text-slate-500">
                <summary className="cursor-pointer select-none">
                  … 未改动的 {g.items.length - (gi > 0 ? 1 : 0) - (gi < groups.length - 1 ? 1 : 0)} 段（展开）
                </summary>
                {g.items.slice(gi > 0 ? 1 : 0, gi < groups.length - 1 ? -1 : undefined).map((p, i) => (
                  <Paragraph key={i} parts={p} />
                ))}
              </details>
              {gi < groups.length - 1 ? <Paragraph parts={g.items[g.items.length - 1]} /> : null}
            </Fragment>
          ),
        )}
      </article>
    </div>
  );
}
