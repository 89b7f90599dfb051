import { isId } from "~/domain/ids";
import { database } from "~/models/unit-of-work.server";
import { getConsultationFacts } from "~/models/consultation.server";
import { getConsultationFile } from "~/models/attachment.server";
import { consultationAccess } from "~/policies/consultation";
import { type ConsultationAccess, type ConsultationFacts } from "~/domain/consultation";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { httpError } from "~/utils/errors";

/** Loads a consultation's policy facts and requires read access; 404 / 403 in Chinese otherwise. */
export async function requireConsultationAccess(
  user: CurrentUser,
  id: string | undefined,
): Promise<{
  id: string;
  facts: ConsultationFacts & { id: string };
  access: Exclude<ConsultationAccess, "none">;
}> {
  if (!isId(id)) throw httpError("NOT_FOUND", "会商不存在或已被删除。");
  const facts = await getConsultationFacts(database(), id);
  if (!facts) throw httpError("NOT_FOUND", "会商不存在或已被删除。");
  const access = consultationAccess(user.actor, facts);
  if (access === "none") throw httpError("FORBIDDEN", "您所在单位未受邀参加此会商，无权查看。");
  return { id, facts, access };
}

/** A material of a consultation its reader may download (会议材料 / 案件材料); 404 in Chinese otherwise. */
export async function readConsultationFile(user: CurrentUser, id: string | undefined, fileId: string | undefined) {
  const { facts } = await requireConsultationAccess(user, id);
  const file = isId(fileId) ? await getConsultationFile(database(), facts.id, fileId) : null;
  if (!file) throw httpError("NOT_FOUND", "附件不存在。");
  return file;
}
