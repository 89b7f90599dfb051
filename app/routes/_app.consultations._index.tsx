import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CalendarPlus, Users } from "lucide-react";
import { Badge, EmptyState, LinkButton, PageHeader, Table, Td } from "~/components/ui";
import { canConvene } from "~/policies/consultation";
import {
  CONSULTATION_KIND_LABELS,
  CONSULTATION_STATUS_LABELS,
  type ConsultationKind,
  type ConsultationStatus,
  isUpcoming,
} from "~/domain/consultation";
import { requireUser } from "~/services/auth/current-user.server";
import { listMyConsultations } from "~/services/consultations.server";
import { formatDate, formatTime } from "~/domain/dates";

export const meta: MetaFunction = () => [{ title: "会商 · 会商协同" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const rows = await listMyConsultations(user);
  const now = Date.now();
  return json({
    canConvene: user.actor.memberships.some((m) => canConvene(user.actor, m.orgId)),
    consultations: rows.map((c) => ({
      id: c.id,
      title: c.title,
      issue: `${c.series} 第${c.number}期`,
      kind: CONSULTATION_KIND_LABELS[c.kind as ConsultationKind] ?? c.kind,
      when: `${formatDate(c.startsAt)} ${formatTime(c.startsAt)}至${formatTime(c.endsAt)}`,
      place: c.place,
      convener: c.conveningOrg.name,
      participants: c._count.participants,
      status: CONSULTATION_STATUS_LABELS[c.status as ConsultationStatus] ?? c.status,
      upcoming: isUpcoming(c, new Date(now)),
      cancelled: c.status === "CANCELLED",
    })),
  });
}

export default function Consultations() {
  const { consultations, canConvene } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader
        title="会商"
        description="协调会商、联席会议与个案会商：召集、邀请参会单位，会后共同起草纪要。"
        actions={
          canConvene ? (
            <LinkButton to="/consultations/new" variant="primary">
              <CalendarPlus className="h-4 w-4" aria-hidden />
              召集会商
            </LinkButton>
          ) : null
        }
      />
      {consultations.length === 0 ? (
        <EmptyState icon={<Users className="h-8 w-8 text-slate-300" aria-hidden />} title="暂无会商">
          本单位召集或受邀参加的会商会显示在这里。
        </EmptyState>
      ) : (
        <Table head={["会议", "期号", "类型", "时间", "地点", "召集单位", "状态"]} caption="会商列表">
          {consultations.map((c) => (
            <tr key={c.id} className="hover:bg-slate-50">
              <Td>
                <Link to={`/consultations/${c.id}`} className="font-medium text-brand-700 hover:underline">
                  {c.title}
                </Link>
              </Td>
              <Td className="whitespace-nowrap">{c.issue}</Td>
              <Td>{c.kind}</Td>
              <Td className="whitespace-nowrap">{c.when}</Td>
              <Td>{c.place}</Td>
              <Td>{c.convener}</Td>
              <Td>
                <Badge tone={c.cancelled ? "red" : c.upcoming ? "blue" : "slate"}>{c.status}</Badge>
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </>
  );
}
