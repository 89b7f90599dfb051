import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BookOpen } from "lucide-react";
import { PageHeader } from "~/components/ui";
import { GUIDE_TOPICS, topicsForRoles } from "~/domain/guide";
import { requireUser } from "~/services/auth/current-user.server";

export const meta: MetaFunction = () => [{ title: "使用指南 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const mine = new Set(topicsForRoles(user.actor.memberships.map((m) => m.role)).map((t) => t.slug));
  return json({
    topics: GUIDE_TOPICS.map((t) => ({ slug: t.slug, title: t.title, summary: t.summary, mine: mine.has(t.slug) })),
  });
}

export default function GuideIndex() {
  const { topics } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="使用指南" description="按要办的事查找：每篇几步说明，配有当前页面的截图。" />
      <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {topics.map((t) => (
          <li key={t.slug} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 className="flex items-center gap-2 text-base font-semibold">
              <BookOpen className="h-4 w-4 shrink-0 text-brand-700" aria-hidden />
              <Link to={`/guide/${t.slug}`} className="text-brand-700 hover:underline">
                {t.title}
              </Link>
              {t.mine ? (
                <span className="rounded bg-brand-50 px-1.5 py-0.5 text-xs font-normal text-brand-800">适合您</span>
              ) : null}
            </h2>
            <p className="mt-1 text-sm text-slate-600">{t.summary}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
