import { describe, expect, it } from "vitest";
import { REDACTION_CORPUS, type CorpusSentence } from "./corpus";
import {
  FINDING_LABELS,
  applyFixes,
  detectPii,
  findingKey,
  idCheckChar,
  isValidIdNumber,
  luhnValid,
  partyReplacement,
  type Finding,
  type FindingKind,
} from "./detect";

const find = (text: string, parties: readonly string[] = [], today?: Date) => detectPii(text, { parties, today });
/** [kind, text] pairs, in text order. */
const found = (text: string, parties: readonly string[] = []) => find(text, parties).map((f) => [f.kind, f.text]);
const ofKind = (text: string, kind: FindingKind, parties: readonly string[] = []) =>
  find(text, parties)
    .filter((f) => f.kind === kind)
    .map((f) => f.text);
/** A valid 18-digit ID for the given region + birth date + sequence. */
const idFor = (first17: string) => first17 + idCheckChar(first17);

describe("身份证号码", () => {
  it("checks the ISO 7064 MOD 11-2 character", () => {
    expect(idCheckChar("33010219870315402")).toBe("4");
    expect(idCheckChar("37020219821016442")).toBe("X");
    expect(isValidIdNumber("330102198703154024")).toBe(true);
    expect(isValidIdNumber("37020219821016442X")).toBe(true);
    expect(isValidIdNumber("37020219821016442x")).toBe(true);
    expect(isValidIdNumber("330102198703154025")).toBe(false);
  });

  it("finds valid IDs in text and masks them", () => {
    const [f] = find("当事人（公民身份号码330102198703154024）到场");
    expect(f).toMatchObject({ kind: "ID_NUMBER", text: "330102198703154024", replacement: "×××" });
    expect(found("身份证号37020219821016442X，男")).toEqual([["ID_NUMBER", "37020219821016442X"]]);
    expect(found("身份证号码33010219870315418x的当事人")).toEqual([["ID_NUMBER", "33010219870315418x"]]);
  });

  it("rejects a wrong checksum; a Luhn-valid one may still be a bank card", () => {
    expect(found("号码330102198703154020")).toEqual([]);
    expect(luhnValid("330102198703154021")).toBe(true);
    expect(found("号码330102198703154021")).toEqual([["BANK_CARD", "330102198703154021"]]);
  });

  it("needs a plausible birth date (1900 – today) and a known region", () => {
    const today = new Date(2026, 2, 12);
    const born = (date: string) => idFor(`330102${date}123`);
    expect(find(born("20260312"), [], today).some((f) => f.kind === "ID_NUMBER")).toBe(true);
    expect(find(born("20260313"), [], today).some((f) => f.kind === "ID_NUMBER")).toBe(false);
    expect(find(born("18991231"), [], today).some((f) => f.kind === "ID_NUMBER")).toBe(false);
    expect(find(born("19900230"), [], today).some((f) => f.kind === "ID_NUMBER")).toBe(false);
    expect(find(born("19901301"), [], today).some((f) => f.kind === "ID_NUMBER")).toBe(false);
    expect(find(idFor("99010219870315402"), [], today).some((f) => f.kind === "ID_NUMBER")).toBe(false);
  });

  it("does not take an ID out of a longer digit or letter run", () => {
    expect(ofKind("编号1330102198703154024", "ID_NUMBER")).toEqual([]);
    expect(ofKind("编号3301021987031540241", "ID_NUMBER")).toEqual([]);
    expect(ofKind("编号A330102198703154024", "ID_NUMBER")).toEqual([]);
  });

  it("accepts a 15-digit first-generation ID only after 身份证", () => {
    expect(found("旧式身份证号为330102870315402，已过期")).toEqual([["ID_NUMBER", "330102870315402"]]);
    expect(found("批次号330102870315402")).toEqual([]);
  });
});

describe("手机号码", () => {
  it.each([
    "13812345678",
    "138-1234-5678",
    "138 1234 5678",
    "+86 138 1234 5678",
    "+8613812345678",
    "(+86)13812345678",
    "１３８１２３４５６７８",
  ])("finds %s", (mobile) => {
    expect(found(`联系方式${mobile}，`)).toEqual([["MOBILE", mobile]]);
  });

  it("keys every spelling to the same 11 digits", () => {
    const keys = ["13812345678", "138-1234-5678", "+86 138 1234 5678", "(+86)13812345678"].map((text) =>
      findingKey({ kind: "MOBILE", text }),
    );
    expect(new Set(keys)).toEqual(new Set(["MOBILE:13812345678"]));
  });

  it("ignores longer digit runs and non-mobile prefixes", () => {
    expect(ofKind("订单号213812345678", "MOBILE")).toEqual([]);
    expect(ofKind("订单号138123456789", "MOBILE")).toEqual([]);
    expect(ofKind("编号12812345678", "MOBILE")).toEqual([]);
    expect(ofKind("尾号为5678的手机", "MOBILE")).toEqual([]);
  });
});

describe("固定电话", () => {
  it.each([
    "0571-87654321",
    "(010)12345678",
    "（010）12345678",
    "057187654321",
    "0571 87654321",
    "0571-87654321转8001",
    "0571－87654321",
  ])("finds %s", (tel) => {
    expect(found(`电话号码为${tel}。`)).toEqual([["LANDLINE", tel]]);
  });

  it("takes a bare 7–8-digit number only after 电话/座机/Tel", () => {
    expect(found("联系电话87654321")).toEqual([["LANDLINE", "87654321"]]);
    expect(found("座机：2345678，")).toEqual([["LANDLINE", "2345678"]]);
    expect(found("Tel: 87654321")).toEqual([["LANDLINE", "87654321"]]);
    expect(found("订餐电话为88203456")).toEqual([["LANDLINE", "88203456"]]);
    expect(found("罚款87654321元")).toEqual([]);
    expect(found("举报电话12315")).toEqual([]);
  });

  it("ignores 400 numbers, case numbers and standard numbers", () => {
    expect(found("客服热线400-123-4567")).toEqual([]);
    expect(found("(2026)浙0102行初123号")).toEqual([]);
    expect(found("GB 8978-1996")).toEqual([]);
  });
});

describe("银行卡号", () => {
  it("checks Luhn", () => {
    expect(luhnValid("6222021203001234565")).toBe(true);
    expect(luhnValid("6222021203001234566")).toBe(false);
    expect(luhnValid("4392250012345678")).toBe(false);
  });

  it("finds 16–19-digit Luhn numbers, also in groups of 4", () => {
    expect(found("卡号6222021203001234565")).toEqual([["BANK_CARD", "6222021203001234565"]]);
    expect(found("转入6222 0212 0300 1234 565。")).toEqual([["BANK_CARD", "6222 0212 0300 1234 565"]]);
    expect(found("转入6225880212345673。")).toEqual([["BANK_CARD", "6225880212345673"]]);
    expect(found("流水号6222021203001234566")).toEqual([]);
  });

  it("takes any 12–25-digit number right after 账号/卡号/账户", () => {
    expect(found("账号1202021109900012345")).toEqual([["BANK_CARD", "1202021109900012345"]]);
    expect(found("流水号1202021109900012345")).toEqual([]);
  });

  it("never reports a valid ID as a bank card", () => {
    expect(found("账户330102198703154024")).toEqual([["ID_NUMBER", "330102198703154024"]]);
  });
});

describe("车牌号", () => {
  it.each(["浙A12345", "粤B·D12345", "沪AD12345", "浙A1234学", "鲁B5678挂", "渝B12345F", "川A-8H3L5", "皖K·2C867"])(
    "finds %s",
    (plate) => {
      expect(found(`车牌号${plate}的车辆`)).toEqual([["PLATE", plate]]);
    },
  );

  it("keeps the province and authority letter", () => {
    expect(find("驾驶浙A12345号货车")[0].replacement).toBe("浙A×××××");
    expect(findingKey({ kind: "PLATE", text: "粤B·D12345" })).toBe("PLATE:粤BD12345");
  });

  it("ignores look-alikes", () => {
    expect(found("新A类产品")).toEqual([]);
    expect(found("京A股上市")).toEqual([]);
    expect(found("浙A12345678")).toEqual([]);
    expect(found("苏EABCDE")).toEqual([]);
    expect(found("(2026)浙0102行初123号")).toEqual([]);
  });
});

describe("电子邮箱", () => {
  it("finds addresses without trailing punctuation", () => {
    expect(found("邮箱zhang.san@example.com。")).toEqual([["EMAIL", "zhang.san@example.com"]]);
    expect(found("邮箱：HR@Shunan-Logistics.com.cn，")).toEqual([["EMAIL", "HR@Shunan-Logistics.com.cn"]]);
    expect(findingKey({ kind: "EMAIL", text: "HR@Shunan-Logistics.com.cn" })).toBe("EMAIL:hr@shunan-logistics.com.cn");
  });

  it("prefers the e-mail over a mobile number in its local part", () => {
    expect(found("通过18857121234@163.com发送")).toEqual([["EMAIL", "18857121234@163.com"]]);
  });
});

describe("详细地址", () => {
  it("keeps the part up to the county-level unit", () => {
    const [f] = find("示例市甲县青石镇幸福路12号3单元501室");
    expect(f).toMatchObject({
      kind: "ADDRESS",
      text: "示例市甲县青石镇幸福路12号3单元501室",
      replacement: "示例市甲县某处",
    });
    expect(find("住浙江省示例市乙区朝晖街道朝晖路121号2幢301室，")[0]).toMatchObject({
      text: "浙江省示例市乙区朝晖街道朝晖路121号2幢301室",
      replacement: "浙江省示例市乙区某处",
    });
  });

  it("replaces a bare street address entirely", () => {
    expect(find("在幸福路12号经营")[0]).toMatchObject({ text: "幸福路12号", replacement: "某处" });
    expect(find("住阳光小区5幢2单元501室")[0]).toMatchObject({ text: "阳光小区5幢2单元501室", replacement: "某处" });
  });

  it("finds village, lane and building forms", () => {
    expect(ofKind("住甲县青石镇青石村3组12号，", "ADDRESS")).toEqual(["甲县青石镇青石村3组12号"]);
    expect(ofKind("家住乙县城南乡南塘村五组，", "ADDRESS")).toEqual(["乙县城南乡南塘村五组"]);
    expect(ofKind("登记为示例市丙区东新路105弄12号。", "ADDRESS")).toEqual(["示例市丙区东新路105弄12号"]);
    expect(ofKind("位于示例市甲区解放东路8号万达广场B座1506室。", "ADDRESS")).toEqual([
      "示例市甲区解放东路8号万达广场B座1506室",
    ]);
    expect(ofKind("发货地址为文二西路8号2-301。", "ADDRESS")).toEqual(["文二西路8号2-301"]);
  });

  it("does not flag towns, streets without numbers or document numbers", () => {
    for (const text of [
      "执法人员在甲县青石镇开展检查",
      "青石街道办事处",
      "甲县青石镇人民政府",
      "在建设路与人民路交叉口",
      "青石村村民",
      "示检行建〔2026〕12号",
      "(2026)浙0102行初123号",
      "第十八条第二款",
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});

describe("当事人姓名/名称", () => {
  it("redacts people to surname + 某, 复姓 included", () => {
    expect(partyReplacement("张三")).toBe("张某");
    expect(partyReplacement("欧阳明华")).toBe("欧阳某");
    expect(partyReplacement("司马青云")).toBe("司马某");
    expect(partyReplacement("尉迟春燕")).toBe("尉迟某");
  });

  it("redacts organizations to 某 + their type", () => {
    expect(partyReplacement("示例市鑫源化工有限公司")).toBe("某有限公司");
    expect(partyReplacement("示例市锦绣服装厂")).toBe("某厂");
    expect(partyReplacement("示例市惠民超市")).toBe("某超市");
    expect(partyReplacement("示例市丰收农资经营部")).toBe("某经营部");
    expect(partyReplacement("示例市青石果蔬专业合作社")).toBe("某合作社");
  });

  it("finds every occurrence", () => {
    const fs = find("张建国称其不知情，张建国的妻子亦在店内。", ["张建国"]);
    expect(fs.map((f) => [f.kind, f.start, f.replacement])).toEqual([
      ["PARTY_NAME", 0, "张某"],
      ["PARTY_NAME", 9, "张某"],
    ]);
  });

  it("does not flag already-redacted forms", () => {
    expect(found("当事人张某表示无异议，张某某未到场。", ["张三"])).toEqual([]);
    expect(found("当事人张某表示无异议。", ["张某"])).toEqual([]);
  });

  it("matches across full-width and half-width brackets", () => {
    expect(ofKind("当事人示例市(甲县)鑫源商行", "PARTY_NAME", ["示例市（甲县）鑫源商行"])).toEqual([
      "示例市(甲县)鑫源商行",
    ]);
  });

  it("wins over a guessed name that overlaps it", () => {
    expect(found("当事人夏侯敏通过直播销售盗版图书", ["夏侯敏"])).toEqual([["PARTY_NAME", "夏侯敏"]]);
  });
});

describe("疑似姓名", () => {
  it("finds names after role words", () => {
    expect(find("当事人王小明因违法经营被立案")[0]).toMatchObject({
      kind: "PERSON_NAME",
      text: "王小明",
      replacement: "王某",
    });
    expect(found("驾驶员张伟驾驶货车")).toEqual([["PERSON_NAME", "张伟"]]);
    expect(found("法定代表人：李四，男，汉族")).toEqual([["PERSON_NAME", "李四"]]);
    expect(found("负责人为赵德明，其称")).toEqual([["PERSON_NAME", "赵德明"]]);
  });

  it("continues lists and uses right contexts", () => {
    expect(ofKind("工人吴海涛、周建平、郑春花等人称", "PERSON_NAME")).toEqual(["吴海涛", "周建平", "郑春花"]);
    expect(find("欧阳明华（女，1965年出生）")[0]).toMatchObject({ text: "欧阳明华", replacement: "欧阳某" });
    expect(found("经查，孙浩然系该车实际所有人")).toEqual([["PERSON_NAME", "孙浩然"]]);
  });

  it("needs a party-like context", () => {
    expect(found("王小明去了商店")).toEqual([]);
    expect(found("发现王家村有一处违建")).toEqual([]);
  });

  it("skips stop words, redacted names and prepositions", () => {
    for (const text of [
      "当事人高度重视整改",
      "周边群众表示满意",
      "经营者方面表示将整改",
      "罚款万元",
      "当事人王某表示",
      "当事人张某某到场",
      "被告向原告作出决定",
      "当事人于当日缴纳罚款",
      "当事人曾因同类违法行为被处罚",
      "出庭负责人龙门分局副局长",
      "执法人员严格执行制度",
      "驾驶员白天在高速公路上行驶",
      "当事人许可证件已过期",
      "当事人王记餐馆未取得许可",
    ]) {
      expect(found(text), text).toEqual([]);
    }
  });
});

describe("findings, applyFixes and findingKey", () => {
  const text =
    "当事人张建国（身份证号码330102198703154024，电话138-1234-5678）住示例市甲县青石镇幸福路12号3单元501室。";

  it("returns sorted, non-overlapping findings whose text is the span", () => {
    const fs = find(text, ["张建国"]);
    expect(fs.map((f) => f.kind)).toEqual(["PARTY_NAME", "ID_NUMBER", "MOBILE", "ADDRESS"]);
    for (const f of fs) expect(text.slice(f.start, f.end)).toBe(f.text);
  });

  it("applies the replacements", () => {
    expect(applyFixes(text, find(text, ["张建国"]))).toBe("当事人张某（身份证号码×××，电话×××）住示例市甲县某处。");
  });

  it("accepts findings in any order and skips stale or overlapping ones", () => {
    const fs = find(text, ["张建国"]);
    const stale: Finding = { ...fs[1], text: "999999999999999999" };
    const overlapping: Finding = {
      kind: "PERSON_NAME",
      text: "张建",
      start: fs[0].start,
      end: fs[0].start + 2,
      replacement: "X",
    };
    expect(applyFixes(text, [fs[3], stale, fs[0], overlapping])).toBe(
      "当事人张某（身份证号码330102198703154024，电话138-1234-5678）住示例市甲县某处。",
    );
    expect(applyFixes(text, [])).toBe(text);
  });

  it("keys findings by kind and normalized text", () => {
    expect(findingKey({ kind: "MOBILE", text: "138-1234-5678" })).toBe("MOBILE:13812345678");
    expect(findingKey({ kind: "ID_NUMBER", text: "37020219821016442x" })).toBe("ID_NUMBER:37020219821016442X");
    expect(findingKey({ kind: "BANK_CARD", text: "6222 0212 0300 1234 565" })).toBe("BANK_CARD:6222021203001234565");
    expect(findingKey({ kind: "LANDLINE", text: "(010)12345678" })).toBe(
      findingKey({ kind: "LANDLINE", text: "010-12345678" }),
    );
    expect(findingKey({ kind: "PARTY_NAME", text: "示例市（甲县）鑫源商行" })).toBe("PARTY_NAME:示例市(甲县)鑫源商行");
  });

  it("labels every kind", () => {
    expect(Object.keys(FINDING_LABELS)).toHaveLength(9);
    expect(FINDING_LABELS.PARTY_NAME).toBe("当事人姓名/名称");
  });
});

describe("performance", () => {
  it("checks a 20 000-character text quickly (smoke bound only)", () => {
    let long = "";
    for (let i = 0; long.length < 20_000; i++) long += REDACTION_CORPUS[i % REDACTION_CORPUS.length].text;
    long = long.slice(0, 20_000);
    const parties = [...new Set(REDACTION_CORPUS.flatMap((s) => s.parties ?? []))];
    detectPii(long, { parties }); // warm-up
    const t0 = performance.now();
    const fs = detectPii(long, { parties });
    const ms = performance.now() - t0;
    console.log(`脱敏检查性能: ${long.length} 字, ${fs.length} 处, ${ms.toFixed(1)} ms`);
    expect(fs.length).toBeGreaterThan(100);
    expect(ms).toBeLessThan(500);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Corpus evaluation

const STRUCTURED: readonly FindingKind[] = [
  "ID_NUMBER",
  "MOBILE",
  "LANDLINE",
  "BANK_CARD",
  "PLATE",
  "EMAIL",
  "ADDRESS",
];

interface LabelledSpan {
  kind: FindingKind;
  start: number;
  end: number;
}

function labelledSpans(s: CorpusSentence): LabelledSpan[] {
  return s.labels.flatMap((l) => {
    const spans: LabelledSpan[] = [];
    for (let i = s.text.indexOf(l.text); i >= 0; i = s.text.indexOf(l.text, i + l.text.length)) {
      spans.push({ kind: l.kind, start: i, end: i + l.text.length });
    }
    return spans;
  });
}

const matches = (f: Finding, l: LabelledSpan) => f.kind === l.kind && f.start < l.end && l.start < f.end;

describe("corpus", () => {
  it("is large and varied enough", () => {
    const spans = REDACTION_CORPUS.flatMap(labelledSpans);
    const count = (kind: FindingKind) => spans.filter((l) => l.kind === kind).length;
    expect(REDACTION_CORPUS.length).toBeGreaterThanOrEqual(120);
    expect(REDACTION_CORPUS.filter((s) => s.labels.length === 0).length).toBeGreaterThanOrEqual(40);
    for (const kind of STRUCTURED) expect(count(kind), kind).toBeGreaterThanOrEqual(12);
    expect(count("PARTY_NAME")).toBeGreaterThanOrEqual(30);
    expect(new Set(REDACTION_CORPUS.map((s) => s.id)).size).toBe(REDACTION_CORPUS.length);
    for (const s of REDACTION_CORPUS) {
      for (const l of s.labels) expect(s.text.includes(l.text), `${s.id}: ${l.text}`).toBe(true);
      for (const l of s.labels.filter((x) => x.kind === "PARTY_NAME")) expect(s.parties ?? [], s.id).toContain(l.text);
    }
  });

  it("meets the recall targets", () => {
    const hits = new Map<FindingKind, { found: number; total: number }>();
    let findingsTotal = 0;
    let falsePositives = 0;
    let cleanWithFindings = 0;
    const misses: string[] = [];
    const falseFindings: string[] = [];
    const clean = REDACTION_CORPUS.filter((s) => s.labels.length === 0);

    for (const s of REDACTION_CORPUS) {
      const fs = detectPii(s.text, { parties: s.parties ?? [] });
      for (let i = 1; i < fs.length; i++) expect(fs[i].start, s.id).toBeGreaterThanOrEqual(fs[i - 1].end);
      const spans = labelledSpans(s);
      for (const l of spans) {
        const h = hits.get(l.kind) ?? { found: 0, total: 0 };
        h.total++;
        if (fs.some((f) => matches(f, l))) h.found++;
        else misses.push(`${s.id} ${l.kind} ${s.text.slice(l.start, l.end)}`);
        hits.set(l.kind, h);
      }
      findingsTotal += fs.length;
      const wrong = fs.filter((f) => !spans.some((l) => matches(f, l)));
      falsePositives += wrong.length;
      falseFindings.push(...wrong.map((f) => `${s.id} ${f.kind} ${f.text}`));
      if (s.labels.length === 0 && fs.length > 0) cleanWithFindings++;
    }

    const sum = (kinds: readonly FindingKind[]) =>
      kinds.reduce(
        (a, k) => ({ found: a.found + (hits.get(k)?.found ?? 0), total: a.total + (hits.get(k)?.total ?? 0) }),
        {
          found: 0,
          total: 0,
        },
      );
    const rate = (h: { found: number; total: number }) => (h.total === 0 ? 1 : h.found / h.total);
    const fmt = (h: { found: number; total: number }) => `${rate(h).toFixed(3)} (${h.found}/${h.total})`;
    const structured = sum(STRUCTURED);
    const party = sum(["PARTY_NAME"]);
    const person = sum(["PERSON_NAME"]);
    const fp = { found: falsePositives, total: findingsTotal };
    const cleanRate = { found: cleanWithFindings, total: clean.length };

    console.log(
      [
        `脱敏检查语料: ${REDACTION_CORPUS.length} 句（无个人信息 ${clean.length} 句）`,
        `  结构化标识召回率 ${fmt(structured)}`,
        ...STRUCTURED.map((k) => `    ${FINDING_LABELS[k].padEnd(6, "　")} ${fmt(sum([k]))}`),
        `  当事人姓名/名称召回率 ${fmt(party)}`,
        `  疑似姓名召回率（仅报告） ${fmt(person)}`,
        `  误报率 ${fmt(fp)}`,
        `  无个人信息句子出现检出 ${fmt(cleanRate)}`,
        ...misses.map((m) => `  漏检 ${m}`),
        ...falseFindings.map((m) => `  误报 ${m}`),
      ].join("\n"),
    );

    expect(rate(structured)).toBeGreaterThanOrEqual(0.98);
    expect(rate(party)).toBeGreaterThanOrEqual(0.9);
  });
});
