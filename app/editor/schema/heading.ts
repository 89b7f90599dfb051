import { mergeAttributes } from "@tiptap/core";
import Heading from "@tiptap/extension-heading";

export const HEADING_LEVEL_COUNT = 4;

/**
 * 公文 headings (1 = 一、 … 4 = （1）) inside a page whose own title is its one <h1>: level n renders
 * as <h(n+1) data-level="n"> (WCAG 1.3.1: one h1, headings nested under it). Pasted HTML keeps its
 * level: our own markup by `data-level`, other HTML by its tag (h1 → 一级 … h4 and below → 四级).
 */
export const GongwenHeading = Heading.extend({
  parseHTML() {
    return [1, 2, 3, 4, 5, 6].map((n) => ({
      tag: `h${n}`,
      getAttrs: (el: HTMLElement) => {
        const marked = Number(el.getAttribute("data-level"));
        return { level: marked >= 1 && marked <= HEADING_LEVEL_COUNT ? marked : Math.min(n, HEADING_LEVEL_COUNT) };
      },
    }));
  },
  renderHTML({ node, HTMLAttributes }) {
    const level = Math.min(HEADING_LEVEL_COUNT, Math.max(1, Number(node.attrs.level) || 1));
    return [`h${level + 1}`, mergeAttributes(this.options.HTMLAttributes, HTMLAttributes, { "data-level": level }), 0];
  },
}).configure({ levels: [1, 2, 3, 4] });
