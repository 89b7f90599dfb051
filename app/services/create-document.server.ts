import { getDb } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { canCreateDocument, DOCUMENT_TYPE_LABELS, type DocumentType } from "~/policies/document";
import { newId } from "~/utils/ids";

export interface CreateDocumentInput {
  title: string;
  type: DocumentType;
  ownerOrgId: string;
  writerOrgIds: string[];
  readerOrgIds: string[];
  ip: string | null;
}

export type CreateDocumentResult = { ok: true; id: string } | { ok: false; fieldErrors: Record<string, string[]> };

/** Creates a draft document with its member orgs; audited in the same transaction. */
export async function createDocument(user: CurrentUser, input: CreateDocumentInput): Promise<CreateDocumentResult> {
  if (!canCreateDocument(user.actor, input.ownerOrgId)) return { ok: false, fieldErrors: { ownerOrgId: ["您不能以该单位名义新建文书"] } };
  const overlap = input.writerOrgIds.filter((id) => input.readerOrgIds.includes(id));
  if (overlap.length) return { ok: false, fieldErrors: { readerOrgIds: ["同一单位不能既共同起草又只读"] } };
  const memberIds = [...new Set([...input.writerOrgIds, ...input.readerOrgIds])].filter((id) => id !== input.ownerOrgId);
  const db = getDb();
  const found = await db.organization.findMany({ where: { id: { in: memberIds }, active: true }, select: { id: true } });
  if (found.length !== memberIds.length) return { ok: false, fieldErrors: { writerOrgIds: ["所选单位不存在或已停用"] } };
  const id = newId();
  await db.$transaction(async (tx) => {
    await tx.document.create({
      data: {
        id,
        type: input.type,
        title: input.title,
        ownerOrgId: input.ownerOrgId,
        createdById: user.id,
        members: {
          create: memberIds.map((orgId) => ({ id: newId(), orgId, access: input.writerOrgIds.includes(orgId) ? "WRITE" : "READ" })),
        },
      },
    });
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: input.ownerOrgId,
      action: "document.created",
      targetType: "Document",
      targetId: id,
      summary: `新建${DOCUMENT_TYPE_LABELS[input.type]}《${input.title}》，共同起草单位 ${input.writerOrgIds.length} 个，只读单位 ${input.readerOrgIds.length} 个`,
      ip: input.ip,
    });
  });
  return { ok: true, id };
}
