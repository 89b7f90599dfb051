import { Mark, mergeAttributes } from "@tiptap/core";
import type { SuggestionKind } from "~/domain/suggestion";

/** One attribute kept in the HTML as `data-suggestion-<name>` (copy and paste keep the attribution). */
function dataAttribute(attr: string, name: string) {
  return {
    default: null,
    parseHTML: (el: HTMLElement) => el.getAttribute(`data-suggestion-${name}`),
    renderHTML: (attrs: Record<string, unknown>) =>
      attrs[attr] == null ? {} : { [`data-suggestion-${name}`]: String(attrs[attr]) },
  };
}

/** Attributes every suggestion mark carries: its id, its author (person and unit) and its time. */
function suggestionAttributes() {
  return {
    id: dataAttribute("id", "id"),
    authorId: dataAttribute("authorId", "author-id"),
    authorName: dataAttribute("authorName", "author"),
    orgId: dataAttribute("orgId", "org-id"),
    orgName: dataAttribute("orgName", "org"),
    at: dataAttribute("at", "at"),
  };
}

function suggestionMark(name: SuggestionKind, tag: string, className: string) {
  return Mark.create({
    name,
    // Suggestions of different people may overlap (a deletion inside another unit's insertion).
    excludes: "",
    inclusive: false,
    spanning: true,
    addAttributes() {
      const attrs: Record<string, unknown> = suggestionAttributes();
      if (name === "modification")
        Object.assign(attrs, {
          type: { default: null },
          attrName: { default: null },
          previousValue: { default: null },
          newValue: { default: null },
        });
      return attrs;
    },
    parseHTML() {
      return [{ tag: `${tag}[data-suggestion-id]` }];
    },
    renderHTML({ HTMLAttributes }) {
      return [tag, mergeAttributes(HTMLAttributes, { class: className }), 0];
    },
  });
}

/** 修订 marks (ADR 019): suggested insertion, deletion and change of formatting. */
export const SuggestionMarks = [
  suggestionMark("insertion", "ins", "suggestion-insertion"),
  suggestionMark("deletion", "del", "suggestion-deletion"),
  suggestionMark("modification", "span", "suggestion-modification"),
];
