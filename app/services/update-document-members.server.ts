import { getDb } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { EventBus } from "~/services/events.server";
import { canManageDocumentMembers } from "~/policies/document";
import { type DocumentFacts } from "~/domain/document";
import { newId } from "~/utils/ids";

export type MemberAccess = "WRITE" | "READ" | "REMOVE";

export type UpdateMembersResult = { ok: true; changed: number } | { ok: false; message: string };

/**
 * Sets the access of member orgs (adding, changing or removing them), audited in one transaction.
 * Connections of the document are then re-authorized (4205), so a removed org is cut off at once.
 */
export async function updateDocumentMembers(
  user: CurrentUser,
  doc: DocumentFacts & { id: string; title: string },
  changes: Array<{ orgId: string; access: MemberAccess }>,
  ctx: { ip: string | null; events: EventBus },
): Promise<UpdateMembersResult> {
  if (!canManageDocumentMembers(user.actor, doc))
    return { ok: false, message: "只有牵头单位的起草人或督办协调员可以调整起草中文书的参与单位。" };
  if (changes.some((c) => c.orgId === doc.ownerOrgId)) return { ok: false, message: "牵头单位不能调整自己的权限。" };
  const db = getDb();
  const adding = changes.filter((c) => c.access !== "REMOVE" && !doc.members.some((m) => m.orgId === c.orgId));
  if (adding.length) {
    const found = await db.organization.count({ where: { id: { in: adding.map((a) => a.orgId) }, active: true } });
    if (found !== adding.length) return { ok: false, message: "所选单位不存在或已停用。" };
  }
  const effective = changes.filter((c) => {
    const current = doc.members.find((m) => m.orgId === c.orgId);
    return current ? current.access !== c.access : c.access !== "REMOVE";
  });
  if (effective.length === 0) return { ok: true, changed: 0 };
  const names = new Map(
    (
      await db.organization.findMany({
        where: { id: { in: effective.map((e) => e.orgId) } },
        select: { id: true, name: true },
      })
    ).map((o) => [o.id, o.name]),
  );
  await db.$transaction(async (tx) => {
    for (const c of effective) {
      await tx.documentMember.deleteMany({ where: { documentId: doc.id, orgId: c.orgId } });
      if (c.access !== "REMOVE")
        await tx.documentMember.create({ data: { id: newId(), documentId: doc.id, orgId: c.orgId, access: c.access } });
    }
    const label = { WRITE: "共同起草", READ: "只读", REMOVE: "移出" } as const;
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: doc.ownerOrgId,
      action: "document.members_changed",
      targetType: "Document",
      targetId: doc.id,
      summary: `调整《${doc.title}》参与单位：${effective.map((c) => `${names.get(c.orgId) ?? c.orgId} → ${label[c.access]}`).join("；")}`,
      ip: ctx.ip,
    });
  });
  ctx.events.publish({ type: "document.access_changed", documentId: doc.id });
  return { ok: true, changed: effective.length };
}
