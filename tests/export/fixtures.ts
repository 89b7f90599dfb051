import { createHash } from "node:crypto";
import type { ExportModel, PMNode } from "~/services/export/model";

const t = (text: string, ...marks: string[]): PMNode =>
  marks.length ? { type: "text", text, marks: marks.map((type) => ({ type })) } : { type: "text", text };
const p = (...content: PMNode[]): PMNode => ({ type: "paragraph", content });
const field = (label: string, value: string): PMNode => p(t(`${label}：`, "bold"), ...(value ? [t(value)] : []));
const h = (level: number, text: string): PMNode => ({ type: "heading", attrs: { level }, content: [t(text)] });
const li = (...content: PMNode[]): PMNode => ({ type: "listItem", content });
const cell = (text: string, header = false, attrs: Record<string, unknown> = {}): PMNode => ({
  type: header ? "tableHeader" : "tableCell",
  attrs: { colspan: 1, rowspan: 1, ...attrs },
  content: [p(t(text))],
});
const row = (...cells: PMNode[]): PMNode => ({ type: "tableRow", content: cells });

export const ATTENDING = [
  "示例市司法局",
  "示例市中级人民法院",
  "示例市人民检察院",
  "示例市公安局",
  "示例市市场监督管理局",
  "示例市生态环境局",
  "示例市交通运输局",
  "示例市自然资源和规划局",
  "示例市住房和城乡建设局",
  "示例市城市管理综合行政执法局",
];

export const HASH = createHash("sha256").update("会商协同 minutes v4").digest("hex");

/** A realistic 纪要 as the minutes template and co-drafting leave it (DESIGN §3). */
export function minutesContent(): PMNode {
  return {
    type: "doc",
    content: [
      field("会议名称", "行政执法监督协调会商"),
      field("期号", "行政执法监督协调会商第3期"),
      field("时间", "2026年11月20日9时30分至11时45分"),
      field("地点", "示例市司法局三楼第一会议室"),
      field("主持人", "示例市司法局副局长 王某某"),
      field("出席", ATTENDING.join("、")),
      field("列席", "示例市人大常委会法制工作委员会、示例市政府办公室"),
      field("请假", "示例市税务局（另有公务）"),
      field("记录人", "李某"),
      h(1, "一、会议概况"),
      p(
        t(
          "2026年11月20日，示例市司法局召集示例市中级人民法院、示例市人民检察院等单位召开行政执法监督协调会商，通报了今年以来全市行政执法监督工作情况，研究了涉企行政检查“多头执法、重复检查”问题的整改措施。",
        ),
      ),
      h(1, "二、会议精神和议定事项"),
      p(
        t("会议指出：", "bold"),
        t(
          "规范涉企行政检查是优化法治化营商环境的重要举措，各单位要坚持问题导向，切实减少对企业正常生产经营活动的干扰。",
        ),
      ),
      h(2, "（一）关于涉企行政检查统筹"),
      p(
        t("会议议定，由示例市司法局牵头，建立涉企行政检查计划统筹机制，各执法部门于每季度首月10日前报送检查计划，详见"),
        {
          type: "text",
          text: "市政府门户网站",
          marks: [{ type: "link", attrs: { href: "https://www.example.gov.cn/zfxxgk" } }],
        },
        t("。"),
      ),
      h(3, "1.检查计划报送"),
      {
        type: "bulletList",
        content: [li(p(t("检查事项、检查对象和检查频次应当一并报送；"))), li(p(t("联合检查的，由牵头部门汇总报送。")))],
      },
      h(4, "（1）报送方式"),
      {
        type: "orderedList",
        attrs: { start: 1 },
        content: [li(p(t("通过行政执法监督平台报送；"))), li(p(t("平台故障时，以书面形式报送，并于恢复后补录。")))],
      },
      h(2, "（二）议定事项分工"),
      {
        type: "table",
        content: [
          row(cell("序号", true), cell("事项", true), cell("牵头单位", true), cell("完成时限", true)),
          row(cell("1"), cell("建立涉企行政检查计划统筹机制"), cell("示例市司法局"), cell("2026年12月31日")),
          row(
            cell("2"),
            cell("梳理重复检查事项清单", false, { rowspan: 2 }),
            cell("示例市市场监督管理局"),
            cell("2027年1月15日"),
          ),
          row(cell("3"), cell("示例市生态环境局"), cell("2027年1月15日")),
          row(cell("4"), cell("以上事项由示例市司法局统一跟踪督办，每月通报一次进展。", false, { colspan: 3 })),
        ],
      },
      {
        type: "trackedItem",
        attrs: {
          itemId: "ti_1",
          number: 1,
          leadOrgName: "示例市司法局",
          supportingOrgNames: ["示例市公安局"],
          dueDate: "2026-12-31",
        },
        content: [p(t("示例市司法局会同示例市公安局于2026年12月31日前完成执法数据共享接口对接。"))],
      },
      { type: "blockquote", content: [p(t("各单位要按照“谁执法谁普法”的要求，做好执法过程中的释法说理工作。"))] },
      p(
        t("会议要求，各单位要明确专人负责，按期反馈进展情况。"),
        { type: "hardBreak" },
        t("联系人：张某，联系电话另行通知。"),
      ),
      { type: "mysteryNode", content: [{ type: "text", text: "未知节点的文字也要保留。" }] },
      p(),
    ],
  };
}

export function minutesModel(overrides: Partial<ExportModel> = {}): ExportModel {
  return {
    redHeader: "行政执法监督协调会商纪要",
    issueNumber: "第3期",
    issuer: "示例市司法局",
    date: new Date("2026-11-23T02:00:00Z"),
    title: "关于规范涉企行政检查有关问题的会商纪要",
    content: minutesContent(),
    hash: HASH,
    versionLabel: "第4版（定稿）",
    draft: false,
    itemKind: "AGREED_ITEM",
    ...overrides,
  };
}

export function draftModel(overrides: Partial<ExportModel> = {}): ExportModel {
  return minutesModel({ hash: null, versionLabel: "第2版（第1轮会签稿）", draft: true, ...overrides });
}

/** Enough body text for several pages. */
export function longModel(overrides: Partial<ExportModel> = {}): ExportModel {
  const doc = minutesContent();
  const body: PMNode[] = Array.from({ length: 60 }, (_, i) =>
    p(
      t(
        `第${i + 1}段。会议强调，各成员单位要坚持依法行政，严格落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，确保议定事项按期办结。`,
      ),
    ),
  );
  return minutesModel({ content: { ...doc, content: [...(doc.content ?? []), ...body] }, ...overrides });
}

/**
 * A long synthetic 纪要 for the office-fidelity test: every heading level, lists, two tables (one
 * long enough to cross a page), a quote, and an agreed-items list of about three pages.
 */
export function syntheticLongModel(overrides: Partial<ExportModel> = {}): ExportModel {
  const units = ATTENDING.slice(1);
  const item = (i: number): PMNode => ({
    type: "trackedItem",
    attrs: {
      itemId: `ti_${i}`,
      number: i,
      leadOrgName: units[i % units.length],
      supportingOrgNames: [units[(i + 3) % units.length]],
      dueDate: `2027-0${(i % 9) + 1}-15`,
    },
    content: [
      p(
        t(
          `${units[i % units.length]}牵头，于规定期限内完成第${i}项整改任务，建立问题清单、责任清单和整改台账，逐项销号并报送整改报告。`,
        ),
      ),
    ],
  });
  const bigTable: PMNode = {
    type: "table",
    content: [
      row(cell("序号", true), cell("督办事项", true), cell("承办单位", true), cell("督办期限", true)),
      ...Array.from({ length: 18 }, (_, i) =>
        row(
          cell(String(i + 1)),
          cell(`涉企行政检查第${i + 1}类重复检查事项的清理和规范`),
          cell(units[i % units.length]),
          cell(`2027年${(i % 12) + 1}月底前`),
        ),
      ),
    ],
  };
  const para = (text: string) => p(t(text));
  const body = (n: number, topic: string) =>
    Array.from({ length: n }, (_, i) =>
      para(
        `关于${topic}，会议指出，第${i + 1}点：各成员单位要坚持依法行政，严格落实行政执法公示、执法全过程记录和重大执法决定法制审核制度，加强协调配合，形成工作合力，确保各项任务落地见效。`,
      ),
    );
  return minutesModel({
    redHeader: "示例市行政执法监督协调会商纪要",
    title: "关于开展涉企行政检查专项整治工作的会商纪要",
    content: {
      type: "doc",
      content: [
        field("会议名称", "涉企行政检查专项整治工作会商"),
        field("时间", "2026年11月20日9时30分至11时45分"),
        field("地点", "示例市司法局三楼第一会议室"),
        field("主持人", "示例市司法局副局长 王某某"),
        field("出席", ATTENDING.join("、")),
        field("列席", "示例市人大常委会法制工作委员会"),
        field("记录人", ""),
        h(1, "一、会议概况"),
        ...body(6, "会议概况"),
        h(1, "二、会议精神"),
        h(2, "（一）关于检查计划统筹"),
        ...body(4, "检查计划统筹"),
        h(3, "1.计划报送"),
        {
          type: "bulletList",
          content: [
            li(p(t("检查事项、检查对象和检查频次应当一并报送；"))),
            li(p(t("联合检查的，由牵头部门汇总报送。"))),
          ],
        },
        h(4, "（1）报送方式"),
        {
          type: "orderedList",
          attrs: { start: 1 },
          content: [li(p(t("通过行政执法监督平台报送；"))), li(p(t("平台故障时，以书面形式报送，并于恢复后补录。")))],
        },
        h(2, "（二）重复检查事项清单"),
        bigTable,
        h(2, "（三）工作要求"),
        ...body(8, "工作要求"),
        { type: "blockquote", content: [p(t("各单位要按照“谁执法谁普法”的要求，做好执法过程中的释法说理工作。"))] },
        h(1, "三、议定事项"),
        para("会议议定如下事项："),
        ...Array.from({ length: 30 }, (_, i) => item(i + 1)),
        h(1, "四、其他事项"),
        ...body(3, "其他事项"),
      ],
    },
    ...overrides,
  });
}
