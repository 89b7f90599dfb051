import { actingMembership, documentAccess } from "../../app/policies/document";
import { type DocumentFacts } from "../../app/domain/document";
import type { Actor } from "../../app/domain/actor";
import { CloseCode } from "../../app/protocol/collab";
import { RevocableCache } from "../../app/utils/revocable-cache";
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
  /** How long a document's facts are reused for the connections joining it (default 10 s). */
  factsTtlMs?: number;
}

export interface AuthenticationExtension extends CollabExtension {
  /** Members or status of a document changed (document.access_changed): its facts are read again. */
  forgetDocument(documentId: string): void;
  /** Organisations changed (org.access_changed): every document's facts are read again. */
  forgetAll(): void;
}

/**
 * Session cookie → user → the same document policy as HTTP (app/policies/document.ts).
 * No session → 4401, unknown document → 4404, no access → 4403, read access → read-only.
 * A document's facts are loaded once for the connections joining it together and reused a few seconds
 * (ADR 032); a change of its members or status, or closing its connections (finalized), forgets them.
 */
export function authentication(options: AuthenticationOptions): AuthenticationExtension {
  const facts = new RevocableCache<DocumentFacts>(options.factsTtlMs ?? 10_000);
  const loadFacts = (documentId: string) => facts.get(documentId, () => options.loadDocument(documentId));
  return {
    name: "authentication",
    forgetDocument(documentId) {
      facts.forget((_, key) => key === documentId);
    },
    forgetAll() {
      facts.forget();
    },
    onCloseDocumentConnections({ documentId }) {
      facts.forget((_, key) => key === documentId);
    },
    async onAuthenticate({ request, documentId }) {
      // Both are reads: run them together; the facts are discarded when there is no session.
      const [session, document] = await Promise.all([
        options.resolveSession(request.headers.cookie),
        loadFacts(documentId),
      ]);
      if (!session) throw new CollabRefusal(CloseCode.UNAUTHENTICATED, "no valid session");
      if (!document) throw new CollabRefusal(CloseCode.NOT_FOUND, "document not found");
      const access = documentAccess(session.actor, document);
      if (access === "none") throw new CollabRefusal(CloseCode.FORBIDDEN, "not a member of this document");
      const memberOrg = actingMembership(session.actor, document);
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
