import type { CollabRelay, RelayEnvelope } from "../relay";
import type { CollabExtension, DocumentInfo, RemoteDocument } from "./types";

/** Longest wait for the other processes' state when opening a document they have open. */
const PEER_SYNC_TIMEOUT_MS = 500;

interface Joined {
  document: DocumentInfo;
  remote: RemoteDocument;
  /** Answers from other processes still expected after opening the document. */
  awaiting: { remaining: number; done: () => void } | null;
}

/**
 * Scale-out (ADR 012): carries a document's updates, presence and closes between the processes that
 * have it open, over `transport` (collab/relay.ts). Opening a document, and every reconnect of the
 * transport, sends this process's state vector (sync1); the others answer with the sync2 it lacks.
 * A document others have open waits up to 500 ms for their state before its first joiner is
 * answered, so a server-side change (restoring a version) applies to the document as everyone sees it.
 */
export function relay(transport: CollabRelay): CollabExtension {
  const joined = new Map<string, Joined>();

  /** Asks the other processes for what this one lacks of a document, and for their presence. */
  const askPeers = ({ remote }: Joined) => {
    if (!remote.isOpen()) return;
    transport.publish(remote.id, { kind: "sync1", stateVector: remote.stateVector() });
    transport.publish(remote.id, { kind: "query-awareness" });
  };

  const publishPresence = ({ remote }: Joined) => {
    const update = remote.isOpen() ? remote.localAwareness() : null;
    if (update) transport.publish(remote.id, { kind: "awareness", update });
  };

  const onMessage = (joining: Joined, { from, message }: RelayEnvelope) => {
    const { remote } = joining;
    if (!remote.isOpen()) return;
    switch (message.kind) {
      case "update":
        remote.applyUpdate(message.update);
        return;
      case "sync2":
        if (message.to !== transport.processId) return;
        remote.applyUpdate(message.update);
        if (joining.awaiting && --joining.awaiting.remaining <= 0) joining.awaiting.done();
        return;
      case "sync1":
        transport.publish(remote.id, { kind: "sync2", to: from, update: remote.missingFor(message.stateVector) });
        return;
      case "awareness":
        remote.applyAwareness(message.update);
        return;
      case "query-awareness":
        publishPresence(joining);
        return;
      case "close":
        remote.closeConnections(message.code, message.reason);
        return;
    }
  };

  // After a relay outage every open document is resynced with the other processes.
  transport.onResync(() => {
    for (const joining of joined.values()) {
      askPeers(joining);
      publishPresence(joining);
    }
  });

  return {
    name: "relay",
    async afterLoadDocument({ document, remote }) {
      const joining: Joined = { document, remote, awaiting: null };
      joined.set(document.id, joining);
      const peers = await transport.join(document.id, (envelope) => onMessage(joining, envelope));
      // Other processes have it open: start from their state (unwritten edits included).
      const answered =
        peers > 0 ? new Promise<void>((resolve) => (joining.awaiting = { remaining: peers, done: resolve })) : null;
      askPeers(joining);
      if (!answered) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        answered,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, PEER_SYNC_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      joining.awaiting = null;
    },
    onChange({ document, update }) {
      transport.publish(document.id, { kind: "update", update });
    },
    onAwarenessChange({ document, update }) {
      transport.publish(document.id, { kind: "awareness", update });
    },
    onCloseDocumentConnections({ documentId, code, reason }) {
      // Connections to this document on other processes are closed too.
      transport.publish(documentId, { kind: "close", code, reason });
    },
    onUnloadDocument({ documentId, document }) {
      if (joined.get(documentId)?.document !== document) return;
      joined.delete(documentId);
      transport.leave(documentId);
    },
  };
}
