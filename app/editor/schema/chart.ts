import { mergeAttributes, Node } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { INVALID_CHART_TEXT, parseChartSpec } from "~/domain/chart";

/**
 * A statistical figure (图, architecture.md "Document formats"): a chart the server writes into a
 * report it generates — the spec (JSON of `ChartSpec`) and the caption are the node's attributes,
 * frozen with the document like its text. Nobody draws one in the editor; it can be moved or
 * removed as a whole.
 *
 * Schema only: no React and no SVG here, the server loads this file. The browser adds the node view
 * (`StatChartWithView`), the exports draw the chart from the spec.
 */

export const STAT_CHART = "statChart";

export interface StatChartAttrs {
  /** JSON of a `ChartSpec` (untrusted: parse with `parseChartSpec`). */
  spec: string;
  /** 各单位收案数: printed after 图N under the figure. */
  caption: string;
}

/**
 * The text a figure stands for in the derived plain text (search, diffs, versions): 图：<caption>,
 * or its chart's title, or the placeholder of a spec that does not parse.
 */
export function statChartText(attrs: Record<string, unknown> | undefined): string {
  const caption = typeof attrs?.caption === "string" ? attrs.caption.replace(/\s+/g, " ").trim() : "";
  if (caption) return `图：${caption}`;
  const spec = parseChartSpec(attrs?.spec);
  if (!spec) return INVALID_CHART_TEXT;
  return spec.title ? `图：${spec.title}` : "图";
}

/**
 * The text of a leaf node in the derived plain text: a figure's words, a space for any other leaf (a
 * line break) — what `textBetween(…, "\n", documentLeafText)` gives the versions and search.
 */
export function documentLeafText(node: PMNode): string {
  return node.type.name === STAT_CHART ? statChartText(node.attrs) : " ";
}

/** The plain text of a document: blocks separated by newlines, figures by their caption. */
export function documentText(doc: PMNode): string {
  return doc.textBetween(0, doc.content.size, "\n", documentLeafText);
}

export const StatChart = Node.create({
  name: STAT_CHART,
  group: "block",
  atom: true,
  selectable: true,
  draggable: false,

  addAttributes() {
    return {
      spec: {
        default: "",
        parseHTML: (el) => el.getAttribute("data-spec") ?? "",
        renderHTML: (attrs) => ({ "data-spec": typeof attrs.spec === "string" ? attrs.spec : "" }),
      },
      caption: {
        default: "",
        parseHTML: (el) => el.getAttribute("data-caption") ?? "",
        renderHTML: (attrs) => ({ "data-caption": typeof attrs.caption === "string" ? attrs.caption : "" }),
      },
    };
  },

  parseHTML() {
    return [{ tag: "figure[data-stat-chart]" }];
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes({ "data-stat-chart": "" }, HTMLAttributes)];
  },

  // Copying a figure as plain text gives its caption; the derived text reads the same (`documentText`).
  renderText({ node }) {
    return statChartText(node.attrs);
  },

  extendNodeSchema(extension) {
    return extension.name === STAT_CHART ? { leafText: (node: PMNode) => statChartText(node.attrs) } : {};
  },
});
