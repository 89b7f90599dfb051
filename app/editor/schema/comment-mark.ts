import { Mark, mergeAttributes } from "@tiptap/core";
import { COMMENT_MARK } from "~/domain/comment";

/**
 * The anchor of a comment thread (批注, ADR 017): a mark over the commented text carrying the
 * thread's id. It does not exclude itself, so threads may overlap (y-tiptap stores each as its own
 * `comment--<hash>` text attribute). Only the server writes it; editors show it highlighted in the
 * commenting unit's colour (decorations from the thread list) and scroll to it from the side panel.
 */
export const CommentMark = Mark.create({
  name: COMMENT_MARK,
  excludes: "",
  inclusive: false,
  spanning: true,
  addAttributes() {
    return {
      threadId: {
        default: null,
        parseHTML: (el) => el.getAttribute("data-comment-thread"),
        renderHTML: (attrs) => (attrs.threadId ? { "data-comment-thread": String(attrs.threadId) } : {}),
      },
    };
  },
  parseHTML() {
    return [{ tag: "span[data-comment-thread]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["span", mergeAttributes(HTMLAttributes, { class: "comment-anchor" }), 0];
  },
});
