import type { Tx } from "~/db.server";
import type { DocumentFacts } from "~/policies/document";

/** What policies need about a document, or null when it does not exist. */
export async function getDocumentFacts(tx: Tx, id: string): Promise<(DocumentFacts & { id: string; title: string; type: string }) | null> {
  const row = await tx.document.findUnique({
    where: { id },
    select: {
      id: true,
      title: true,
      type: true,
      status: true,
      ownerOrgId: true,
      ownerOrg: { select: { region: { select: { path: true } } } },
      members: { select: { orgId: true, userId: true, access: true } },
    },
  });
  if (!row) return null;
  return { id: row.id, title: row.title, type: row.type, status: row.status, ownerOrgId: row.ownerOrgId, ownerRegionPath: row.ownerOrg.region.path, members: row.members };
}

export async function getDocumentSnapshotText(tx: Tx, id: string) {
  return tx.documentSnapshot.findUnique({ where: { documentId: id }, select: { text: true, json: true, updatedAt: true } });
}
