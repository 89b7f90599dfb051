import { actingMembership, documentAccess } from "../../app/policies/document";
import { type DocumentFacts } from "../../app/domain/document";
import type { Actor } from "../../app/domain/actor";
import { CloseCode } from "../../app/protocol/collab";
import { CollabRefusal, type CollabExtension } from "./types";

export interface SessionIdentity {
  userId: string;
  sessionId: string;
  displayName: string;
  actor: Actor;
  orgNames: ReadonlyMap<string, string>;
}

export interface AuthenticationOptions {
  /** Session cookie → signed-in user with memberships, or null. */
  resolveSession(cookieHeader: string | undefined): Promise<SessionIdentity | null>;
  /** Policy facts of the document, or null when it does not exist. */
  loadDocument(documentId: string): Promise<DocumentFacts | null>;
}

/**
 * Session cookie → user → the same document policy as HTTP (app/policies/document.ts).
 * No session → 4401, unknown document → 4404, no access → 4403, read access → read-only.
 */
export function authentication(options: AuthenticationOptions): CollabExtension {
  return {
    name: "authentication",
    async onAuthenticate({ request, documentId }) {
      // Both are reads: run them together; the facts are discarded when there is no session.
      const [session, facts] = await Promise.all([
        options.resolveSession(request.headers.cookie),
        options.loadDocument(documentId),
      ]);
      if (!session) throw new CollabRefusal(CloseCode.UNAUTHENTICATED, "no valid session");
      if (!facts) throw new CollabRefusal(CloseCode.NOT_FOUND, "document not found");
      const access = documentAccess(session.actor, facts);
      if (access === "none") throw new CollabRefusal(CloseCode.FORBIDDEN, "not a member of this document");
      const memberOrg = actingMembership(session.actor, facts);
      return {
        userId: session.userId,
        sessionId: session.sessionId,
        displayName: session.displayName,
        orgId: memberOrg?.orgId ?? null,
        orgName: memberOrg ? (session.orgNames.get(memberOrg.orgId) ?? null) : null,
        readOnly: access !== "write" && access !== "suggest",
        suggestOnly: access === "suggest",
      };
    },
  };
}
