import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/services/auth/current-user.server";
import { requireConsultationAccess } from "~/services/consultation-access.server";
import { consultationInvitation } from "~/services/consultation-invitation.server";
import { orThrowHttp } from "~/utils/errors";
import { publicOrigin } from "~/utils/request.server";

/**
 * The consultation as a calendar invitation (METHOD:REQUEST; METHOD:CANCEL once cancelled, ADR 021);
 * members of invited orgs only. Downloaded again after a change, it updates the calendar entry.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { id } = await requireConsultationAccess(user, params.consultationId);
  const { number, method, body } = await orThrowHttp(() => consultationInvitation(id, publicOrigin(request)));
  return new Response(body, {
    headers: {
      "Content-Type": `text/calendar; charset=utf-8; method=${method}`,
      "Content-Disposition": `attachment; filename="consultation-${id}.ics"; filename*=UTF-8''${encodeURIComponent(`会商邀请-第${number}期.ics`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
