import type * as Y from "yjs";
import type { CollabIdentity } from "~/protocol/collab";
import type { EventBus } from "~/domain/events";

/** What the server passes to every loader and action (server/index.ts builds it). */
export interface ConsultLoadContext {
  events: EventBus;
  /** CSP nonce for inline scripts of this response. */
  nonce: string;
  /** The collab server's controls routes may use. */
  collab: CollabControls;
}

/** What routes may ask of the collab server (see collab/server.ts). */
export interface CollabControls {
  storeDocument(documentId: string): Promise<void>;
  applyChange(documentId: string, identity: CollabIdentity, change: (doc: Y.Doc) => void): Promise<void>;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation needs an interface
  interface AppLoadContext extends ConsultLoadContext {}
}
