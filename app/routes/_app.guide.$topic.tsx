import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BackLink } from "~/components/ui";
import { GUIDE_TOPICS, guideTopic } from "~/domain/guide";
import { requireUser } from "~/services/auth/current-user.server";
import { notFound } from "~/domain/errors";
import { toHttp } from "~/utils/errors";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.topic.title ?? "使用指南"} · 使用指南 · 会商协同` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const topic = guideTopic(params.topic ?? "");
  if (!topic) throw toHttp(notFound("没有这篇使用指南。"));
  const at = GUIDE_TOPICS.indexOf(topic);
  const next = GUIDE_TOPICS[at + 1] ?? null;
  return json({ topic, next: next ? { slug: next.slug, title: next.title } : null });
}

export default function GuideTopicPage() {
  const { topic, next } = useLoaderData<typeof loader>();
  return (
    <article className="mx-auto flex max-w-4xl flex-col gap-4">
      <div>
        <BackLink to="/guide" label="使用指南" />
        <h1 className="text-xl font-semibold text-slate-900">{topic.title}</h1>
        <p className="mt-1 text-sm text-slate-600">{topic.summary}</p>
      </div>
      <section aria-labelledby="guide-steps" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="guide-steps" className="mb-2 text-base font-semibold">
          操作步骤
        </h2>
        <ol className="list-decimal space-y-1.5 pl-6 text-sm leading-relaxed text-slate-800">
          {topic.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
        {topic.notes.length ? (
          <>
            <h2 className="mb-1 mt-4 text-base font-semibold">说明</h2>
            <ul className="list-disc space-y-1 pl-6 text-sm text-slate-700">
              {topic.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
      <figure className="rounded-lg border border-slate-200 bg-white p-2 shadow-sm">
        <img
          src={topic.screenshot.path}
          alt={topic.screenshot.alt}
          width={1280}
          height={800}
          loading="lazy"
          className="h-auto w-full rounded"
        />
        <figcaption className="px-2 pt-2 text-xs text-slate-600">截图：{topic.screenshot.alt}（示例数据）</figcaption>
      </figure>
      {next ? (
        <p className="text-sm">
          下一篇：
          <Link to={`/guide/${next.slug}`} className="text-brand-700 underline hover:text-brand-800">
            {next.title}
          </Link>
        </p>
      ) : null}
    </article>
  );
}
