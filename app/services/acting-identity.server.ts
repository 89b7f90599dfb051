import type { CollabIdentity } from "~/protocol/collab";
import type { DocumentFacts } from "~/domain/document";
import type { CurrentUser } from "~/services/auth/current-user.server";

/** The acting user's unit in a document: its owner org, else a member org, else its first. */
export function actingOrg(user: CurrentUser, doc: DocumentFacts): { id: string; name: string } | null {
  const orgIds = [doc.ownerOrgId, ...doc.members.flatMap((m) => (m.orgId ? [m.orgId] : []))];
  const m =
    user.memberships.find((x) => x.org.id === doc.ownerOrgId) ??
    user.memberships.find((x) => orgIds.includes(x.org.id));
  const chosen = m ?? user.memberships[0];
  return chosen ? { id: chosen.org.id, name: chosen.org.name } : null;
}

/** Who a change the server writes into the shared document (`applyChange`) is made as: the user for a unit. */
export function changeIdentity(user: CurrentUser, org: { id: string; name: string | null } | null): CollabIdentity {
  return {
    userId: user.id,
    sessionId: user.sessionId,
    displayName: user.displayName,
    orgId: org?.id ?? null,
    orgName: org?.name ?? null,
    readOnly: false,
    suggestOnly: false,
  };
}
