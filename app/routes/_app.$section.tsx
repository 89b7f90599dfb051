import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Hourglass } from "lucide-react";
import { EmptyState, PageHeader } from "~/components/ui";
import { requireUser } from "~/services/auth/current-user.server";
import { httpError } from "~/utils/errors";

/** Sections of the navigation whose features are not yet available; each gets its own route when built. */
const SECTIONS: Record<string, { title: string; description: string }> = {
  recommendations: { title: "建议书与整改", description: "检察建议书、司法建议书等的登记与整改跟踪。" },
  "typical-cases": { title: "典型案例", description: "典型案例的共同起草、脱敏审核与发布。" },
};

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "页面不存在"} · 会商协同` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const section = SECTIONS[params.section ?? ""];
  if (!section) throw httpError("NOT_FOUND");
  return json(section);
}

export default function SectionPlaceholder() {
  const { title, description } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState icon={<Hourglass className="h-8 w-8 text-slate-300" aria-hidden />} title="该功能正在建设中">
        敬请期待。
      </EmptyState>
    </>
  );
}
