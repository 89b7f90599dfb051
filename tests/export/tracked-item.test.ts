import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { resolveItemOrgNames } from "~/services/export-document.server";
import { inlineText, layoutContent, type Block } from "~/services/export/blocks";
import type { PMNode } from "~/services/export/model";
import { buildOrg } from "../factories";

const t = (text: string): PMNode => ({ type: "text", text });
const p = (...content: PMNode[]): PMNode => ({ type: "paragraph", content });
const item = (attrs: Record<string, unknown>, wording: string): PMNode => ({ type: "trackedItem", attrs, content: [t(wording)] });
const text = (b: Block) => (b.kind === "paragraph" ? inlineText(b.inlines) : "");

describe("议定事项 in exports", () => {
  it("renders items as numbered paragraphs with lead, supporting units and due date", () => {
    const { blocks } = layoutContent({
      type: "doc",
      content: [
        p(t("会议议定：")),
        item({ itemId: "item0000001", leadOrgName: "示例市司法局", supportingOrgNames: ["示例市市场监督管理局", "示例市生态环境局"], dueDate: "2026-12-31" }, "建立涉企行政检查计划统筹机制。"),
        p(t("其他事项另行研究。")),
        item({ itemId: "item0000002", leadOrgName: "示例市市场监督管理局", supportingOrgNames: [], dueDate: null }, "梳理重复检查事项清单"),
        { type: "table", content: [{ type: "tableRow", content: [{ type: "tableCell", content: [item({ itemId: "item0000003" }, "表内事项")] }] }] },
        item({ itemId: "item0000004", leadOrgName: "  ", supportingOrgNames: "示例市交通运输局、示例市应急管理局", dueDate: "2026-13-45" }, "无牵头"),
      ],
    });
    const items = blocks.filter((b) => b.kind === "paragraph" && b.marker);
    expect(items.map((b) => (b.kind === "paragraph" ? b.marker : null))).toEqual(["1.", "2.", "4."]);
    expect(text(items[0])).toBe("建立涉企行政检查计划统筹机制。（牵头单位：示例市司法局；配合单位：示例市市场监督管理局、示例市生态环境局；完成时限：2026年12月31日）");
    expect(text(items[1])).toBe("梳理重复检查事项清单（牵头单位：示例市市场监督管理局）");
    expect(text(items[2])).toBe("无牵头（配合单位：示例市交通运输局、示例市应急管理局）");
    const table = blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows[0][0].blocks[0]).toMatchObject({ kind: "paragraph", marker: "3." });
  });

  it("resolves the org ids of every item to names in one pass, without changing the input", async () => {
    const lead = await buildOrg({ name: `导出牵头单位${Date.now()}` });
    const sup = await buildOrg({ name: `导出配合单位${Date.now()}` });
    const content = {
      type: "doc",
      content: [
        p(t("前")),
        { type: "bulletList", content: [{ type: "listItem", content: [item({ itemId: "item0000001", leadOrgId: lead.id, supportingOrgIds: `${sup.id},${lead.id},unknownorg0001` }, "事项")] }] },
        item({ itemId: "item0000002", leadOrgId: "unknownorg0002", supportingOrgIds: "" }, "未知单位"),
      ],
    };
    const before = JSON.stringify(content);
    const resolved = (await resolveItemOrgNames(getDb(), content)) as { content: PMNode[] };
    expect(JSON.stringify(content)).toBe(before);
    const first = resolved.content[1].content?.[0].content?.[0];
    expect(first?.attrs).toMatchObject({ leadOrgId: lead.id, leadOrgName: lead.name, supportingOrgNames: [sup.name] });
    expect(resolved.content[2].attrs).toMatchObject({ leadOrgName: null, supportingOrgNames: [] });
    const { blocks } = layoutContent(resolved);
    expect(blocks.map(text)).toContain(`事项（牵头单位：${lead.name}；配合单位：${sup.name}）`);
    // Nothing to resolve: the same object back.
    const plain = { type: "doc", content: [p(t("无事项"))] };
    expect(await resolveItemOrgNames(getDb(), plain)).toBe(plain);
  });
});
