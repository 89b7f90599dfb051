import { Extension } from "@tiptap/core";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import type { SuggestionAuthor } from "~/domain/suggestion";
import { SUGGEST_REFUSAL_MESSAGES, suggestTransaction } from "../schema/suggest-mode";

export interface SuggestModeOptions {
  /** Who the proposals are by; null: the mode cannot be switched on. */
  author: SuggestionAuthor | null;
  /** A change that cannot be proposed was dropped: tell the user why. */
  onRefused: (message: string) => void;
}

export interface SuggestModeStorage {
  enabled: boolean;
}

declare module "@tiptap/core" {
  interface Storage {
    suggestMode: SuggestModeStorage;
  }
}

const randomPart = () =>
  typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID().replaceAll("-", "").slice(0, 12)
    : Math.random().toString(36).slice(2, 14);

/**
 * 修订 mode (ADR 019): while `storage.enabled`, every local change is dispatched as a proposal
 * (`suggestTransaction`) — typing inserts marked text, deleting strikes it through. Changes from
 * Yjs (other editors, undo and redo, which replay through Yjs) and transactions Tiptap is still
 * capturing for a command pass as they are; a change that cannot be a proposal is dropped with a
 * message, so nothing the collab server would refuse is ever sent.
 */
export const SuggestMode = Extension.create<SuggestModeOptions, SuggestModeStorage>({
  name: "suggestMode",
  addOptions() {
    return { author: null, onRefused: () => {} };
  },
  addStorage() {
    return { enabled: false };
  },
  dispatchTransaction({ transaction, next }) {
    const { author } = this.options;
    if (
      !this.storage.enabled ||
      !author ||
      !transaction.docChanged ||
      transaction.getMeta(ySyncPluginKey) ||
      this.editor.isCapturingTransaction
    ) {
      next(transaction);
      return;
    }
    const out = suggestTransaction(transaction, this.editor.state, {
      author,
      now: () => new Date().toISOString(),
      random: randomPart,
    });
    if ("refused" in out) {
      this.options.onRefused(SUGGEST_REFUSAL_MESSAGES[out.refused]);
      return;
    }
    next(out.tr);
  },
});
