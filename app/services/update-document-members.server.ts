import { database, transaction } from "~/models/unit-of-work.server";
import { MEMBER_ACCESS_LABELS, type DocumentFacts, type GrantableAccessLevel } from "~/domain/document";
import { invalid } from "~/domain/errors";
import { recordAudit } from "~/models/audit.server";
import { setDocumentOrgAccess } from "~/models/document.server";
import { countActiveOrganizations, getOrganizationNames } from "~/models/organization.server";
import { enforce } from "~/policies/decision";
import { authorizeDocument } from "~/policies/document";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";

export type MemberAccess = GrantableAccessLevel | "REMOVE";

const ACCESS_LABELS: Record<MemberAccess, string> = { ...MEMBER_ACCESS_LABELS, REMOVE: "移出" };

/**
 * Sets the access of member orgs (adding, changing or removing them), audited in one transaction.
 * Connections of the document are then re-authorized (4205), so a removed org is cut off at once.
 */
export async function updateDocumentMembers(
  user: CurrentUser,
  doc: DocumentFacts & { id: string; title: string },
  changes: ReadonlyArray<{ orgId: string; access: MemberAccess }>,
  ctx: Pick<CommandContext, "ip" | "events">,
): Promise<{ changed: number }> {
  enforce(authorizeDocument(user.actor, "manageMembers", doc));
  if (changes.some((c) => c.orgId === doc.ownerOrgId)) throw invalid("牵头单位不能调整自己的权限。");
  const db = database();
  const adding = changes.filter((c) => c.access !== "REMOVE" && !doc.members.some((m) => m.orgId === c.orgId));
  if (
    adding.length &&
    (await countActiveOrganizations(
      db,
      adding.map((a) => a.orgId),
    )) !== adding.length
  ) {
    throw invalid("所选单位不存在或已停用。");
  }
  const effective = changes.filter((c) => {
    const current = doc.members.find((m) => m.orgId === c.orgId);
    return current ? current.access !== c.access : c.access !== "REMOVE";
  });
  if (effective.length === 0) return { changed: 0 };
  const names = await getOrganizationNames(
    db,
    effective.map((e) => e.orgId),
  );
  await transaction(async (tx) => {
    for (const c of effective) await setDocumentOrgAccess(tx, doc.id, c.orgId, c.access === "REMOVE" ? null : c.access);
    const summary = effective.map((c) => `${names.get(c.orgId) ?? c.orgId} → ${ACCESS_LABELS[c.access]}`).join("；");
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: doc.ownerOrgId,
      action: "document.members_changed",
      targetType: "Document",
      targetId: doc.id,
      summary: `调整《${doc.title}》参与单位：${summary}`,
      ip: ctx.ip,
    });
  });
  ctx.events.publish({ type: "document.access_changed", documentId: doc.id });
  return { changed: effective.length };
}
