import type { Node as PMNode } from "@tiptap/pm/model";
import { NodeViewWrapper, ReactNodeViewRenderer, useEditorState, type NodeViewProps } from "@tiptap/react";
import { StatChartFigure } from "~/components/stat-chart-figure";
import { parseChartSpec } from "~/domain/chart";
import { STAT_CHART, StatChart } from "../schema/chart";

/** The figure node with its React node view: browser only (the server uses `StatChart`). */
export const StatChartWithView = StatChart.extend({
  addNodeView() {
    return ReactNodeViewRenderer(StatChartView);
  },
});

// Positions of the figures that draw (their spec parses), computed once per document version: 图N
// counts them in order, as the exports do.
const positionsCache = new WeakMap<PMNode, number[]>();
export function figurePositions(doc: PMNode): number[] {
  let list = positionsCache.get(doc);
  if (!list) {
    const found: number[] = [];
    doc.descendants((node, pos) => {
      if (node.type.name === STAT_CHART) {
        if (parseChartSpec(node.attrs.spec)) found.push(pos);
        return false;
      }
      return true;
    });
    positionsCache.set(doc, found);
    list = found;
  }
  return list;
}

function StatChartView({ node, editor, getPos, selected }: NodeViewProps) {
  const number = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      try {
        const pos = getPos();
        return typeof pos === "number" ? figurePositions(e.state.doc).indexOf(pos) + 1 : 0;
      } catch {
        return 0;
      }
    },
  });
  return (
    <NodeViewWrapper
      as="div"
      className={`rounded ${selected ? "ring-2 ring-brand-600 ring-offset-2" : ""}`}
      data-stat-chart-view=""
    >
      <StatChartFigure spec={node.attrs.spec} caption={node.attrs.caption} number={number || null} />
    </NodeViewWrapper>
  );
}
