import { describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { resolveItemOrgNames, versionHeader } from "~/services/export-document.server";
import { inlineText, layoutContent, layoutDocument, type Block } from "~/services/export/blocks";
import type { PMNode } from "~/services/export/model";
import { buildOrg } from "../factories";
import { minutesModel } from "./fixtures";

const t = (text: string): PMNode => ({ type: "text", text });
const p = (...content: PMNode[]): PMNode => ({ type: "paragraph", content });
const item = (attrs: Record<string, unknown>, wording: string): PMNode => ({
  type: "trackedItem",
  attrs,
  content: [t(wording)],
});
const text = (b: Block) => (b.kind === "paragraph" ? inlineText(b.inlines) : "");

describe("议定事项 in exports", () => {
  it("renders items as numbered paragraphs with lead, supporting units and due date", () => {
    const { blocks } = layoutContent({
      type: "doc",
      content: [
        p(t("会议议定：")),
        item(
          {
            itemId: "item0000001",
            leadOrgName: "示例市司法局",
            supportingOrgNames: ["示例市市场监督管理局", "示例市生态环境局"],
            dueDate: "2026-12-31",
          },
          "建立涉企行政检查计划统筹机制。",
        ),
        p(t("其他事项另行研究。")),
        item(
          { itemId: "item0000002", leadOrgName: "示例市市场监督管理局", supportingOrgNames: [], dueDate: null },
          "梳理重复检查事项清单",
        ),
        {
          type: "table",
          content: [
            {
              type: "tableRow",
              content: [{ type: "tableCell", content: [item({ itemId: "item0000003" }, "表内事项")] }],
            },
          ],
        },
        item(
          {
            itemId: "item0000004",
            leadOrgName: "  ",
            supportingOrgNames: "示例市交通运输局、示例市应急管理局",
            dueDate: "2026-13-45",
          },
          "无牵头",
        ),
      ],
    });
    const items = blocks.filter((b) => b.kind === "paragraph" && b.marker);
    expect(items.map((b) => (b.kind === "paragraph" ? b.marker : null))).toEqual(["1.", "2.", "4."]);
    expect(text(items[0])).toBe(
      "建立涉企行政检查计划统筹机制。（牵头单位：示例市司法局；配合单位：示例市市场监督管理局、示例市生态环境局；完成时限：2026年12月31日）",
    );
    expect(text(items[1])).toBe("梳理重复检查事项清单（牵头单位：示例市市场监督管理局）");
    expect(text(items[2])).toBe("无牵头（配合单位：示例市交通运输局、示例市应急管理局）");
    const table = blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows[0][0].blocks[0]).toMatchObject({ kind: "paragraph", marker: "3." });
  });

  it("prints the fields of a 整改措施 with its labels: 责任单位, 配合单位, 责任人, 整改时限, 整改标准", () => {
    const measure = item(
      {
        itemId: "measure0001",
        leadOrgName: "示例市市场监督管理局",
        supportingOrgNames: ["示例市司法局"],
        responsible: "张某（副局长）",
        dueDate: "2027-03-31",
        standard: "全面清理\n重复检查事项",
        supervisorOrgNames: ["不该出现"],
      },
      "清理规范涉企检查事项。",
    );
    const { blocks } = layoutContent(
      { type: "doc", content: [measure, item({ itemId: "measure0002", responsible: "  " }, "仅有内容")] },
      "RECTIFICATION_MEASURE",
    );
    expect(blocks.map(text)).toEqual([
      "清理规范涉企检查事项。（责任单位：示例市市场监督管理局；配合单位：示例市司法局；责任人：张某（副局长）；整改时限：2027年3月31日；整改标准：全面清理 重复检查事项）",
      "仅有内容",
    ]);
    expect(blocks.map((b) => (b.kind === "paragraph" ? b.marker : null))).toEqual(["1.", "2."]);
  });

  it("prints the fields of a 督办案件 with its labels: 督办单位, 承办单位, 协办单位, 督办期限", () => {
    const c = item(
      {
        itemId: "case0000001",
        supervisorOrgNames: ["示例市司法局", "示例市人民检察院"],
        leadOrgName: "甲县综合行政执法局",
        supportingOrgNames: "甲县市场监督管理局",
        dueDate: "2027-05-31",
        responsible: "不该出现",
      },
      "甲县违规收费案。",
    );
    const noSupervisors = item(
      { itemId: "case0000002", supervisorOrgNames: [], leadOrgName: "乙县综合行政执法局" },
      "乙县案。",
    );
    const { blocks } = layoutContent({ type: "doc", content: [c, noSupervisors] }, "SUPERVISED_CASE");
    expect(blocks.map(text)).toEqual([
      "甲县违规收费案。（督办单位：示例市司法局、示例市人民检察院；承办单位：甲县综合行政执法局；协办单位：甲县市场监督管理局；督办期限：2027年5月31日）",
      "乙县案。（承办单位：乙县综合行政执法局）",
    ]);
    // The model's kind reaches the layout; minutes keep their labels.
    const model = minutesModel({ itemKind: "SUPERVISED_CASE", content: { type: "doc", content: [c] } });
    expect(text(layoutDocument(model).blocks[0])).toContain("（督办单位：示例市司法局、示例市人民检察院；承办单位：");
    expect(text(layoutDocument({ ...model, itemKind: "AGREED_ITEM" }).blocks[0])).toBe(
      "甲县违规收费案。（牵头单位：甲县综合行政执法局；配合单位：甲县市场监督管理局；完成时限：2027年5月31日）",
    );
  });

  it("heads a 书面回复 with its issuing org and no 期号; other types keep theirs", () => {
    const owner = { name: "示例市市场监督管理局" };
    expect(
      versionHeader({
        type: "REPLY",
        ownerOrg: owner,
        consultation: { series: "2026年度行政执法监督协调会商", number: 3 },
      }),
    ).toEqual({ redHeader: "示例市市场监督管理局", issueNumber: null });
    expect(
      versionHeader({
        type: "MINUTES",
        ownerOrg: owner,
        consultation: { series: "2026年度行政执法监督协调会商", number: 3 },
      }),
    ).toEqual({ redHeader: "行政执法监督协调会商纪要", issueNumber: "第3期" });
    // A 个案咨询's 专家咨询意见 is the asking unit's document, not a 纪要 of its series.
    expect(
      versionHeader({
        type: "EXPERT_OPINION",
        ownerOrg: owner,
        consultation: { series: "2026年度个案咨询", number: 1 },
      }),
    ).toEqual({ redHeader: "示例市市场监督管理局", issueNumber: null });
    expect(versionHeader({ type: "RECTIFICATION_PLAN", ownerOrg: owner, consultation: null })).toEqual({
      redHeader: "整改方案",
      issueNumber: null,
    });
    expect(versionHeader({ type: "SUPERVISION_LISTING", ownerOrg: owner, consultation: null })).toEqual({
      redHeader: "联合挂牌督办清单",
      issueNumber: null,
    });
  });

  it("resolves the org ids of every item to names in one pass, without changing the input", async () => {
    const lead = await buildOrg({ name: `导出牵头单位${Date.now()}` });
    const sup = await buildOrg({ name: `导出配合单位${Date.now()}` });
    const sv = await buildOrg({ name: `导出督办单位${Date.now()}` });
    const content = {
      type: "doc",
      content: [
        p(t("前")),
        {
          type: "bulletList",
          content: [
            {
              type: "listItem",
              content: [
                item(
                  {
                    itemId: "item0000001",
                    leadOrgId: lead.id,
                    supportingOrgIds: `${sup.id},${lead.id},unknownorg0001`,
                  },
                  "事项",
                ),
              ],
            },
          ],
        },
        item({ itemId: "item0000002", leadOrgId: "unknownorg0002", supportingOrgIds: "" }, "未知单位"),
        item(
          { itemId: "item0000003", leadOrgId: lead.id, supervisorOrgIds: `${sv.id},unknownorg0003,${sv.id}` },
          "督办",
        ),
      ],
    };
    const before = JSON.stringify(content);
    const resolved = (await resolveItemOrgNames(getDb(), content)) as { content: PMNode[] };
    expect(JSON.stringify(content)).toBe(before);
    const first = resolved.content[1].content?.[0].content?.[0];
    expect(first?.attrs).toMatchObject({
      leadOrgId: lead.id,
      leadOrgName: lead.name,
      supportingOrgNames: [sup.name],
      supervisorOrgNames: [],
    });
    expect(resolved.content[2].attrs).toMatchObject({ leadOrgName: null, supportingOrgNames: [] });
    expect(resolved.content[3].attrs).toMatchObject({ leadOrgName: lead.name, supervisorOrgNames: [sv.name] });
    expect(text(layoutContent(resolved, "SUPERVISED_CASE").blocks.at(-1) as Block)).toBe(
      `督办（督办单位：${sv.name}；承办单位：${lead.name}）`,
    );
    const { blocks } = layoutContent(resolved);
    expect(blocks.map(text)).toContain(`事项（牵头单位：${lead.name}；配合单位：${sup.name}）`);
    // Nothing to resolve: the same object back.
    const plain = { type: "doc", content: [p(t("无事项"))] };
    expect(await resolveItemOrgNames(getDb(), plain)).toBe(plain);
  });
});
