import * as Y from "yjs";
import { CloseCode } from "../../app/protocol/collab";
import { SharedDocument, type DocumentContext } from "./shared-document";

export type StoreReason = "last-disconnect" | "shutdown" | "request";

/**
 * The documents this server has open, by id: loading (once, however many join at the same time)
 * from the extensions, storing, and unloading after the last client left.
 */
export class OpenDocuments {
  private readonly documents = new Map<string, SharedDocument>();
  private readonly loading = new Map<string, Promise<SharedDocument>>();

  constructor(private readonly context: DocumentContext & { unloadDelayMs: number }) {}

  get(documentId: string): SharedDocument | undefined {
    return this.documents.get(documentId);
  }

  values(): IterableIterator<SharedDocument> {
    return this.documents.values();
  }

  ids(): string[] {
    return [...this.documents.keys()];
  }

  get size(): number {
    return this.documents.size;
  }

  /** The open document, loaded first if nobody has it open. */
  async open(documentId: string): Promise<SharedDocument> {
    const existing = this.documents.get(documentId);
    if (existing) return existing;
    const pending = this.loading.get(documentId);
    if (pending) return pending;
    const promise = this.load(documentId);
    this.loading.set(documentId, promise);
    try {
      return await promise;
    } finally {
      this.loading.delete(documentId);
    }
  }

  /** Someone joins or changes the document: it stays open. */
  keep(shared: SharedDocument): void {
    if (shared.unloadTimer) clearTimeout(shared.unloadTimer);
    shared.unloadTimer = null;
  }

  /** Runs every extension's onStoreDocument (their errors propagate). */
  async store(shared: SharedDocument, reason: StoreReason): Promise<void> {
    shared.ensureApplied();
    for (const ext of this.context.extensions) await ext.onStoreDocument?.({ document: shared, reason });
  }

  /** Stores the document; unloads it (now, or after `unloadDelayMs`) when nobody is connected any more. */
  async storeAndMaybeUnload(shared: SharedDocument, reason: "last-disconnect" | "shutdown"): Promise<void> {
    try {
      await this.store(shared, reason);
    } catch (err) {
      this.context.reportError(null, CloseCode.UNAVAILABLE, `store failed for ${shared.id}`, err);
      return;
    }
    if (shared.connections.size > 0 || reason === "shutdown") return;
    const delay = this.context.unloadDelayMs;
    if (delay > 0) shared.unloadTimer = setTimeout(() => void this.unload(shared), delay);
    else await this.unload(shared);
  }

  /** Waits for documents still loading (shutdown). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
  }

  /** Destroys every document without storing it (after the shutdown stored them). */
  destroyAll(): void {
    for (const shared of this.documents.values()) shared.destroy();
    this.documents.clear();
  }

  private async load(documentId: string): Promise<SharedDocument> {
    const { extensions } = this.context;
    const doc = new Y.Doc({ gc: true });
    let loadedState: Uint8Array | null = null;
    for (const ext of extensions) {
      const state = await ext.onLoadDocument?.({ documentId, doc });
      if (state) loadedState = loadedState ? Y.mergeUpdates([loadedState, state]) : state;
    }
    const shared = new SharedDocument(documentId, doc, loadedState, this.context);
    this.documents.set(documentId, shared);
    const remote = shared.remote(() => this.documents.get(documentId) === shared);
    for (const ext of extensions) await ext.afterLoadDocument?.({ document: shared, remote });
    return shared;
  }

  private async unload(shared: SharedDocument): Promise<void> {
    if (shared.connections.size > 0 || this.documents.get(shared.id) !== shared) return;
    this.documents.delete(shared.id);
    shared.destroy();
    for (const ext of this.context.extensions)
      await ext.onUnloadDocument?.({ documentId: shared.id, document: shared });
  }
}
