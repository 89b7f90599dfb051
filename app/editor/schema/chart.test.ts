import { DOMParser as ProseMirrorDOMParser } from "@tiptap/pm/model";
import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import { Window } from "happy-dom";
import { describe, expect, it } from "vitest";
import { createDeriver } from "./derive";
import { documentText, STAT_CHART, statChartText } from "./chart";
import { editorSchema, YJS_FRAGMENT } from "./extensions";

const spec = JSON.stringify({
  kind: "bar",
  title: "各单位收案数",
  unit: "件",
  categories: ["示例市公安局", "示例市司法局"],
  series: [{ name: "收案数", values: [12, 8] }],
});

const doc = {
  type: "doc",
  content: [
    { type: "paragraph", content: [{ type: "text", text: "一季度收案情况如下。" }] },
    { type: STAT_CHART, attrs: { spec, caption: "各单位收案数" } },
    { type: "paragraph", content: [{ type: "text", text: "其他情况。" }] },
    { type: STAT_CHART, attrs: { spec: "{not json", caption: "" } },
  ],
};

describe("statChart node", () => {
  it("round-trips through the editor schema with its attributes", () => {
    const node = editorSchema().nodeFromJSON(doc);
    node.check();
    expect(node.toJSON()).toEqual(doc);
    expect(node.child(1).type.name).toBe(STAT_CHART);
    expect(node.child(1).isAtom).toBe(true);
  });

  it("reads as its caption in the derived text, from the schema and from Yjs", () => {
    const node = editorSchema().nodeFromJSON(doc);
    const text = "一季度收案情况如下。\n图：各单位收案数\n其他情况。\n［图表数据无效］";
    expect(documentText(node)).toBe(text);
    const derived = createDeriver()(prosemirrorJSONToYDoc(editorSchema(), doc, YJS_FRAGMENT));
    expect(derived.text).toBe(text);
    expect(derived.json).toEqual(doc);
    // ProseMirror's own text of the leaf (clipboard, textContent) says the same.
    expect(node.child(1).textContent).toBe("图：各单位收案数");
  });

  it("falls back to the chart's title when the caption is empty", () => {
    expect(statChartText({ spec, caption: "  " })).toBe("图：各单位收案数");
    expect(statChartText({})).toBe("［图表数据无效］");
  });

  it("defaults to empty attributes and renders no SVG into HTML", () => {
    const schema = editorSchema();
    const node = schema.nodes[STAT_CHART].create();
    expect(node.attrs).toEqual({ spec: "", caption: "" });
    const spec = schema.nodes[STAT_CHART].spec;
    const out = spec.toDOM?.(schema.nodes[STAT_CHART].create({ spec: '{"a":"<b>"}', caption: "图" }));
    expect(out).toEqual(["figure", { "data-stat-chart": "", "data-spec": '{"a":"<b>"}', "data-caption": "图" }]);
  });

  it("parses its figure from HTML (a figure copied between documents)", () => {
    const window = new Window();
    const html = `<p>前文</p><figure data-stat-chart="" data-spec='${spec}' data-caption="各单位收案数"></figure>`;
    const body = new window.DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
    const node = ProseMirrorDOMParser.fromSchema(editorSchema()).parse(body as unknown as Node);
    expect(node.child(1).type.name).toBe(STAT_CHART);
    expect(node.child(1).attrs).toEqual({ spec, caption: "各单位收案数" });
    void window.happyDOM.close();
  });
});
