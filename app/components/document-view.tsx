import type { ReactNode } from "react";
import { parseChartSpec } from "~/domain/chart";
import { StatChartFigure } from "./stat-chart-figure";

/** ProseMirror JSON as stored in versions and snapshots. */
export interface PMNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PMNode[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

const SAFE_HREF = /^(https?:|mailto:)/i;

function renderText(node: PMNode, key: number): ReactNode {
  let out: ReactNode = node.text ?? "";
  for (const mark of node.marks ?? []) {
    if (mark.type === "bold") out = <strong>{out}</strong>;
    else if (mark.type === "italic") out = <em>{out}</em>;
    else if (mark.type === "underline") out = <u>{out}</u>;
    else if (mark.type === "strike") out = <s>{out}</s>;
    else if (mark.type === "code") out = <code>{out}</code>;
    else if (mark.type === "link" && typeof mark.attrs?.href === "string" && SAFE_HREF.test(mark.attrs.href))
      out = (
        <a href={mark.attrs.href} rel="noopener noreferrer nofollow" target="_blank">
          {out}
        </a>
      );
  }
  return <span key={key}>{out}</span>;
}

/** The number (图N) of each figure whose spec parses, in document order, as the exports number them. */
type FigureNumbers = ReadonlyMap<PMNode, number>;

function figureNumbers(doc: PMNode): FigureNumbers {
  const numbers = new Map<PMNode, number>();
  const visit = (node: PMNode) => {
    if (node.type === "statChart" && parseChartSpec(node.attrs?.spec)) numbers.set(node, numbers.size + 1);
    (node.content ?? []).forEach(visit);
  };
  visit(doc);
  return numbers;
}

function renderChildren(node: PMNode, figures: FigureNumbers): ReactNode[] {
  return (node.content ?? []).map((child, i) => renderNode(child, i, figures));
}

function renderNode(node: PMNode, key: number, figures: FigureNumbers): ReactNode {
  const children = renderChildren(node, figures);
  switch (node.type) {
    case "text":
      return renderText(node, key);
    case "paragraph":
      return <p key={key}>{children.length ? children : <br />}</p>;
    case "heading": {
      const level = Math.min(4, Math.max(1, Number(node.attrs?.level) || 1));
      // Under the page's own h1, as the editor shows them (schema/heading.ts).
      const Tag = (["h2", "h3", "h4", "h5"] as const)[level - 1];
      return (
        <Tag key={key} data-level={level}>
          {children}
        </Tag>
      );
    }
    case "bulletList":
      return <ul key={key}>{children}</ul>;
    case "orderedList":
      return (
        <ol key={key} start={Number(node.attrs?.start) || 1}>
          {children}
        </ol>
      );
    case "listItem":
      return <li key={key}>{children}</li>;
    case "blockquote":
      return <blockquote key={key}>{children}</blockquote>;
    case "codeBlock":
      return (
        <pre key={key}>
          <code>{children}</code>
        </pre>
      );
    case "horizontalRule":
      return <hr key={key} />;
    case "hardBreak":
      return <br key={key} />;
    case "table":
      return (
        <table key={key}>
          <tbody>{children}</tbody>
        </table>
      );
    case "tableRow":
      return <tr key={key}>{children}</tr>;
    case "tableHeader":
    case "tableCell": {
      const Cell = node.type === "tableHeader" ? "th" : "td";
      return (
        <Cell key={key} colSpan={Number(node.attrs?.colspan) || 1} rowSpan={Number(node.attrs?.rowspan) || 1}>
          {children}
        </Cell>
      );
    }
    case "statChart":
      return (
        <StatChartFigure
          key={key}
          spec={node.attrs?.spec}
          caption={node.attrs?.caption}
          number={figures.get(node) ?? null}
        />
      );
    default:
      // Blocks this view does not know (e.g. later node types) still show their text.
      return <div key={key}>{children}</div>;
  }
}

/** Read-only rendering of a stored version (React escapes every text; links only http(s)/mailto). */
export function DocumentView({ doc }: { doc: PMNode }) {
  return <div className="gongwen">{renderChildren(doc, figureNumbers(doc))}</div>;
}
