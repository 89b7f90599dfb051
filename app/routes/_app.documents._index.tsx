import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { FilePlus2, FileText } from "lucide-react";
import { Badge, EmptyState, LinkButton, PageHeader, Table, Td } from "~/components/ui";
import { requireUser } from "~/services/auth/current-user.server";
import { listMyDocuments } from "~/services/document-page.server";
import { canGenerateThematicReport } from "~/policies/thematic-report";

export const meta: MetaFunction = () => [{ title: "文书 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ ...(await listMyDocuments(user)), canReport: canGenerateThematicReport(user.actor) });
}

const statusTone = { DRAFT: "blue", COUNTERSIGNING: "amber", FINALIZED: "green", PUBLISHED: "green" } as const;

export default function Documents() {
  const { documents, canCreate, canReport } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="文书"
        description="与各单位实时共同起草的会商纪要、督办清单、整改方案和典型案例。"
        actions={
          <>
            {canReport ? <LinkButton to="/reports/new">生成专题报告</LinkButton> : null}
            {canCreate ? (
              <LinkButton to="/documents/new" variant="primary">
                <FilePlus2 className="h-4 w-4" aria-hidden />
                新建文书
              </LinkButton>
            ) : null}
          </>
        }
      />
      {documents.length === 0 ? (
        <EmptyState icon={<FileText className="h-8 w-8 text-slate-300" aria-hidden />} title="暂无文书">
          本单位牵头或受邀参与的文书会显示在这里。
        </EmptyState>
      ) : (
        <Table head={["标题", "类型", "牵头单位", "参与单位", "状态", "最近修改"]} caption="文书列表">
          {documents.map((d) => (
            <tr key={d.id} className="hover:bg-slate-50">
              <Td>
                <Link to={`/documents/${d.id}`} className="font-medium text-brand-700 hover:underline">
                  {d.title}
                </Link>
              </Td>
              <Td>{d.type}</Td>
              <Td>{d.owner}</Td>
              <Td>{d.members}</Td>
              <Td>
                <Badge tone={statusTone[d.status as keyof typeof statusTone] ?? "slate"}>{d.statusLabel}</Badge>
              </Td>
              <Td className="whitespace-nowrap text-slate-500">{d.updatedAt}</Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
