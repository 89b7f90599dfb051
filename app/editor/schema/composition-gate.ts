import * as Y from "yjs";

const RELAY = Symbol("relay");

/**
 * Keeps remote changes from landing in the editor while an input method is composing (拼音/五笔
 * candidates): y-tiptap redraws the document on every remote change, which would cancel the
 * composition and lose or duplicate the characters being typed.
 *
 * The network doc is what the provider and the IndexedDB cache sync; the view doc is what the editor
 * binds to. Local edits go view → network at once; remote changes go network → view, except while
 * composing, when they wait and are applied together as soon as the composition ends.
 */
export interface CompositionGate {
  viewDoc: Y.Doc;
  setComposing(composing: boolean): void;
  /** Remote updates held back right now (for tests and the status line). */
  held(): number;
  destroy(): void;
}

export function createCompositionGate(networkDoc: Y.Doc): CompositionGate {
  // The view doc makes the local edits under the network doc's client id, so awareness (which the
  // provider binds to the network doc) and the editor's carets agree on who "I" am.
  const viewDoc = new Y.Doc();
  viewDoc.clientID = networkDoc.clientID;
  Y.applyUpdate(viewDoc, Y.encodeStateAsUpdate(networkDoc), RELAY);
  let composing = false;
  let queue: Uint8Array[] = [];

  const fromNetwork = (update: Uint8Array, origin: unknown) => {
    if (origin === RELAY) return;
    if (composing) queue.push(update);
    else Y.applyUpdate(viewDoc, update, RELAY);
  };
  const fromView = (update: Uint8Array, origin: unknown) => {
    if (origin === RELAY) return;
    // Yjs reassigns a doc's client id when a non-local transaction adds structs under it (it
    // assumes another client is using the id). These edits are ours: mark the transaction local.
    networkDoc.transact((transaction) => {
      Y.applyUpdate(networkDoc, update, RELAY);
      transaction.local = true;
    }, RELAY);
  };
  networkDoc.on("update", fromNetwork);
  viewDoc.on("update", fromView);

  return {
    viewDoc,
    setComposing(next) {
      composing = next;
      if (!next && queue.length) {
        const held = queue;
        queue = [];
        Y.applyUpdate(viewDoc, Y.mergeUpdates(held), RELAY);
      }
    },
    held: () => queue.length,
    destroy() {
      networkDoc.off("update", fromNetwork);
      viewDoc.off("update", fromView);
      viewDoc.destroy();
    },
  };
}
