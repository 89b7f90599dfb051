import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseAgenda } from "~/models/consultation.server";
import { requireUser } from "~/services/auth/current-user.server";
import { requireConsultationAccess } from "~/services/consultation-access.server";
import { getConsultation } from "~/services/consultations.server";
import { orThrowHttp } from "~/utils/errors";
import { buildIcs } from "~/utils/ics";
import { publicOrigin } from "~/utils/request.server";

/** The consultation as a calendar invitation; members of invited orgs only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { id } = await requireConsultationAccess(user, params.consultationId);
  const c = await orThrowHttp(() => getConsultation(id));
  const agenda = parseAgenda(c.agenda);
  const body = buildIcs({
    uid: c.id,
    title: `${c.title}（${c.series}第${c.number}期）`,
    description: [
      `召集单位：${c.conveningOrg.name}`,
      `参会单位：${c.participants.map((p) => p.org.name).join("、")}`,
      ...(agenda.length ? ["议程：", ...agenda.map((a, i) => `${i + 1}. ${a}`)] : []),
    ].join("\n"),
    location: c.place,
    start: c.startsAt,
    end: c.endsAt,
    organizer: c.conveningOrg.name,
    url: `${publicOrigin(request)}/consultations/${c.id}`,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="consultation-${c.id}.ics"; filename*=UTF-8''${encodeURIComponent(`会商邀请-第${c.number}期.ics`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
