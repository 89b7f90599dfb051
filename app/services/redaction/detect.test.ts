import { beforeAll, describe, expect, it } from "vitest";
import { REDACTION_CORPUS } from "./corpus";
import {
  FINDING_KINDS,
  FINDING_LABELS,
  applyFixes,
  detectPii,
  findingKey,
  findingLabel,
  idCheckChar,
  legacyFindingKey,
  isValidIdNumber,
  luhnValid,
  partyKind,
  partyReplacement,
  loadSegmenter,
  type Finding,
  type FindingKind,
} from "./detect";

beforeAll(() => loadSegmenter());

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

  it("flags a wrong check character as a suspect ID when region and birth date hold", () => {
    const [f] = find("号码330102198703154020");
    expect(f).toMatchObject({ kind: "ID_NUMBER", text: "330102198703154020", suspect: true });
    expect(findingLabel(f)).toBe("疑似身份证号");
    expect(findingLabel(find("身份证号330102198703154024")[0])).toBe("身份证号码");
    // After an account label the same digits are an account number.
    expect(luhnValid("330102198703154021")).toBe(true);
    expect(found("卡号330102198703154021")).toEqual([["BANK_CARD", "330102198703154021"]]);
    expect(found("身份证号330102198703154021")).toEqual([["ID_NUMBER", "330102198703154021"]]);
  });

  it("finds IDs however they are written", () => {
    for (const id of [
      "330102 19870315 4024",
      "330102-19870315-4024",
      "3301 0219 8703 1540 24",
      "３３０１０２１９８７０３１５４０２４",
      "33010219870315418x",
    ]) {
      expect(found(`身份证号${id}，`), id).toEqual([["ID_NUMBER", id]]);
    }
    expect(ofKind("身份证号330102198703154024 13812345678", "ID_NUMBER")).toEqual(["330102198703154024"]);
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
    // Nor is a wrong check character enough without a plausible birth date.
    expect(found("编号330102199913456780")).toEqual([]);
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
    "86-13812345678",
    "0086 13812345678",
    "+86-138-1234-5678",
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
    "（0571）8765-4321",
    "0571-87654321-8021",
    "+86 571 8765 4321",
    "010—62345678",
  ])("finds %s", (tel) => {
    expect(found(`电话号码为${tel}。`)).toEqual([["LANDLINE", tel]]);
  });

  it("takes a bare 7–8-digit number only after 电话/座机/Tel", () => {
    expect(found("联系电话87654321")).toEqual([["LANDLINE", "87654321"]]);
    expect(found("座机：2345678，")).toEqual([["LANDLINE", "2345678"]]);
    expect(found("Tel: 87654321")).toEqual([["LANDLINE", "87654321"]]);
    expect(found("订餐电话为88203456")).toEqual([["LANDLINE", "88203456"]]);
    expect(found("电话：8765 4321")).toEqual([["LANDLINE", "8765 4321"]]);
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
    // A UnionPay number without a valid Luhn digit is still a card when nothing says otherwise.
    expect(found("转入6222021203001234566。")).toEqual([["BANK_CARD", "6222021203001234566"]]);
  });

  it("takes any 12–25-digit number right after 账号/卡号/账户", () => {
    expect(found("账号1202021109900012345")).toEqual([["BANK_CARD", "1202021109900012345"]]);
    expect(found("流水号1202021109900012345")).toEqual([]);
    // A government collection account is published on purpose.
    expect(found("罚款缴至示例市财政局非税收入汇缴结算户，账号1202021109900012345。")).toEqual([]);
  });

  it("never reports a valid ID as a bank card", () => {
    expect(found("账户330102198703154024")).toEqual([["ID_NUMBER", "330102198703154024"]]);
  });
});

describe("车牌号", () => {
  it.each([
    "浙A12345",
    "粤B·D12345",
    "沪AD12345",
    "浙A1234学",
    "鲁B5678挂",
    "渝B12345F",
    "川A-8H3L5",
    "皖K·2C867",
    "浙A 12345",
    "浙AD·12345",
  ])("finds %s", (plate) => {
    expect(found(`车牌号${plate}的车辆`)).toEqual([["PLATE", plate]]);
  });

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

  it("covers every unit to the end", () => {
    expect(find("住示例市甲区朝阳路114号院6号楼2单元301室，")[0]).toMatchObject({
      kind: "ADDRESS",
      text: "示例市甲区朝阳路114号院6号楼2单元301室",
      replacement: "示例市甲区某处",
    });
    expect(ofKind("位于示例市乙区古墩路88号院2号楼1单元101。", "ADDRESS")).toEqual([
      "示例市乙区古墩路88号院2号楼1单元101",
    ]);
    expect(ofKind("经营地址：示例市乙区丰潭路380号城西银泰城1号楼3层301号。", "ADDRESS")).toEqual([
      "示例市乙区丰潭路380号城西银泰城1号楼3层301号",
    ]);
    expect(ofKind("住甲县白云乡白云村二组15号。", "ADDRESS")).toEqual(["甲县白云乡白云村二组15号"]);
    expect(ofKind("在示例市甲区和平路33号经营", "ADDRESS")).toEqual(["示例市甲区和平路33号"]);
  });

  it("takes a village or community without a number after 住/户籍地", () => {
    expect(find("当事人现住甲县青石镇青石村，系村民。")[0]).toMatchObject({
      kind: "ADDRESS",
      text: "甲县青石镇青石村",
      replacement: "甲县某处",
    });
    expect(ofKind("户籍地为示例市甲区朝晖街道朝晖社区。", "ADDRESS")).toEqual(["示例市甲区朝晖街道朝晖社区"]);
    expect(ofKind("示例市住房和城乡建设局", "ADDRESS")).toEqual([]);
    // After 位于/经营场所 only down to a village or street: a town is where things happen.
    expect(ofKind("经营场所位于甲县青石镇青石村，未取得许可。", "ADDRESS")).toEqual(["甲县青石镇青石村"]);
    expect(ofKind("该企业位于青石镇，占地20亩。", "ADDRESS")).toEqual([]);
    expect(ofKind("现租住于示例市丙区东新街道某小区。", "ADDRESS")).toEqual([]);
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

describe("当事人 (the party list)", () => {
  it("redacts people to surname + 某, 复姓 included", () => {
    expect(partyReplacement("张三")).toBe("张某");
    expect(partyReplacement("欧阳明华")).toBe("欧阳某");
    expect(partyReplacement("司马青云")).toBe("司马某");
    expect(partyReplacement("尉迟春燕")).toBe("尉迟某");
  });

  it("redacts businesses to 某 + industry + type", () => {
    expect(partyReplacement("示例市鑫源化工有限公司")).toBe("某化工有限公司");
    expect(partyReplacement("示例市锦绣服装厂")).toBe("某服装厂");
    expect(partyReplacement("示例市惠民超市")).toBe("某超市");
    expect(partyReplacement("示例市丰收农资经营部")).toBe("某农资经营部");
    expect(partyReplacement("示例市青石果蔬专业合作社")).toBe("某果蔬专业合作社");
    expect(partyReplacement("何晓东牛肉面馆")).toBe("何某牛肉面馆");
  });

  it("tells people, companies and shops apart", () => {
    expect(partyKind("张三")).toBe("PERSON_NAME");
    expect(partyKind("阿依古丽·买买提")).toBe("PERSON_NAME");
    expect(partyKind("示例市鑫源食品有限公司")).toBe("COMPANY_NAME");
    expect(partyKind("示例市韦记副食品商行")).toBe("COMPANY_NAME");
    expect(partyKind("何晓东牛肉面馆")).toBe("SHOP_NAME");
  });

  it("finds every occurrence", () => {
    const fs = find("张建国称其不知情，张建国的妻子亦在店内。", ["张建国"]);
    expect(fs.map((f) => [f.kind, f.start, f.replacement, f.fromPartyList])).toEqual([
      ["PERSON_NAME", 0, "张某", true],
      ["PERSON_NAME", 9, "张某", true],
    ]);
  });

  it("does not flag already-redacted forms", () => {
    expect(found("当事人张某表示无异议，张某某未到场。", ["张三"])).toEqual([]);
    expect(found("当事人张某表示无异议。", ["张某"])).toEqual([]);
  });

  it("matches across full-width and half-width brackets", () => {
    expect(ofKind("当事人示例市(甲县)鑫源商行", "COMPANY_NAME", ["示例市（甲县）鑫源商行"])).toEqual([
      "示例市(甲县)鑫源商行",
    ]);
  });

  it("wins over a guessed name that overlaps it", () => {
    expect(find("当事人夏侯敏通过直播销售盗版图书", ["夏侯敏"])).toMatchObject([
      { kind: "PERSON_NAME", text: "夏侯敏", fromPartyList: true },
    ]);
  });

  it("finds a listed business under its short name", () => {
    const fs = find("鑫源公司负责人称，鑫源食品已下架涉案商品。", ["示例市鑫源食品有限公司"]);
    expect(fs.map((f) => [f.kind, f.text, f.replacement])).toEqual([
      ["COMPANY_NAME", "鑫源公司", "某公司"],
      ["COMPANY_NAME", "鑫源食品", "某食品"],
    ]);
  });
});

describe("自然人姓名 without the party list", () => {
  it("finds names after role words", () => {
    expect(find("当事人王小明因违法经营被立案")[0]).toMatchObject({
      kind: "PERSON_NAME",
      text: "王小明",
      replacement: "王某",
    });
    expect(found("驾驶员张伟驾驶货车")).toEqual([["PERSON_NAME", "张伟"]]);
    expect(found("法定代表人：李四，男，汉族")).toEqual([["PERSON_NAME", "李四"]]);
    expect(found("负责人为赵德明，其称")).toEqual([["PERSON_NAME", "赵德明"]]);
    for (const role of ["申请人", "被申请人", "投诉人", "举报人", "经营者", "驾驶人", "证人", "其妻", "店主"]) {
      expect(ofKind(`${role}韩梅梅称其不知情。`, "PERSON_NAME"), role).toEqual(["韩梅梅"]);
    }
  });

  it("finds the subject of a sentence or clause", () => {
    expect(found("杨文博在其位于示例市甲县的出租屋内储存烟花爆竹。")).toEqual([["PERSON_NAME", "杨文博"]]);
    expect(found("经查，王建国于2025年10月起收购病死生猪。")).toEqual([["PERSON_NAME", "王建国"]]);
    expect(found("王小明去了商店")).toEqual([["PERSON_NAME", "王小明"]]);
    expect(found("据黄志刚供述，其从外地购入假冒白酒。")).toEqual([["PERSON_NAME", "黄志刚"]]);
  });

  it("finds compound surnames, lists, 等人 and （男，…）", () => {
    expect(ofKind("工人吴海涛、周建平、郑春花等人称", "PERSON_NAME")).toEqual(["吴海涛", "周建平", "郑春花"]);
    expect(ofKind("欧阳晓峰、司马文静、诸葛明等人组织演出", "PERSON_NAME")).toEqual(["欧阳晓峰", "司马文静", "诸葛明"]);
    expect(find("欧阳明华（女，1965年出生）")[0]).toMatchObject({ text: "欧阳明华", replacement: "欧阳某" });
    expect(ofKind("石磊、林海二人在禁渔区内捕捞。", "PERSON_NAME")).toEqual(["石磊", "林海"]);
    expect(found("经查，孙浩然系该车实际所有人")).toEqual([["PERSON_NAME", "孙浩然"]]);
  });

  it("flags a surname with 先生/女士 as a whole", () => {
    expect(find("投诉人刘女士称")[0]).toMatchObject({ kind: "PERSON_NAME", text: "刘女士", replacement: "刘某" });
    expect(find("市民王先生反映")[0]).toMatchObject({ text: "王先生", replacement: "王某" });
    expect(find("欧阳女士来电")[0]).toMatchObject({ text: "欧阳女士", replacement: "欧阳某" });
    expect(find("李师傅称其只是帮忙搬运")[0]).toMatchObject({ text: "李师傅", replacement: "李某" });
    expect(found("向女士们致以节日问候")).toEqual([]);
    expect(found("各位师傅辛苦了")).toEqual([]);
  });

  it("finds names after occupations, kin and prepositions framed by a verb, and names with a middle dot", () => {
    expect(ofKind("现场负责人胡斌、操作工钟小军分别签字。", "PERSON_NAME")).toEqual(["胡斌", "钟小军"]);
    expect(ofKind("车辆实际由其女婿黎明辉使用。", "PERSON_NAME")).toEqual(["黎明辉"]);
    expect(ofKind("执法人员对王芳进行了询问。", "PERSON_NAME")).toEqual(["王芳"]);
    expect(ofKind("当事人与刘洋签订了协议。", "PERSON_NAME")).toEqual(["刘洋"]);
    expect(ofKind("被侵权人宫丽丽向法院提起了诉讼。", "PERSON_NAME")).toEqual(["宫丽丽"]);
    expect(ofKind("根据许文博的陈述，资金已转出。", "PERSON_NAME")).toEqual(["许文博"]);
    expect(ofKind("执法人员依法扣押了孙丽的电动三轮车。", "PERSON_NAME")).toEqual(["孙丽"]);
    expect(ofKind("法定代表人已变更为柯建华。", "PERSON_NAME")).toEqual(["柯建华"]);
    expect(ofKind("纳税人邬建峰隐匿个人所得。", "PERSON_NAME")).toEqual(["邬建峰"]);
    expect(ofKind("申请人（原告）谢春花诉称", "PERSON_NAME")).toEqual(["谢春花"]);
    expect(ofKind("同住人员曾凡平介绍", "PERSON_NAME")).toEqual(["曾凡平"]);
    expect(found("税务稽查人员查明，执法人员明确告知")).toEqual([]);
    expect(find("当事人阿依古丽·买买提称其不知情。")[0]).toMatchObject({
      text: "阿依古丽·买买提",
      replacement: "阿某",
    });
    expect(found("中国·示例市第一届文化节")).toEqual([]);
  });

  it("finds every mention once one is certain", () => {
    expect(ofKind("执法人员向李海龙送达了通知书，李海龙拒绝签收。", "PERSON_NAME")).toEqual(["李海龙", "李海龙"]);
  });

  it("does not flag redactions, agencies, common words or job titles", () => {
    for (const text of [
      "当事人高度重视整改",
      "周边群众表示满意",
      "经营者方面表示将整改",
      "罚款万元",
      "当事人王某表示",
      "当事人张某某到场",
      "李某甲、王某丙未到场",
      "被告向原告作出决定",
      "当事人于当日缴纳罚款",
      "当事人曾因同类违法行为被处罚",
      "出庭负责人龙门分局副局长",
      "执法人员严格执行制度",
      "驾驶员白天在高速公路上行驶",
      "当事人许可证件已过期",
      "当事人王记餐馆未取得许可",
      "发现王家村有一处违建",
      "示例市市场监督管理局依法立案",
      "甲县人民检察院制发检察建议",
      "张贴公告后，任务已完成，钱款已退还。",
      "黄色渣土车在马路上遗撒泥土，白天和夜间均有巡查。",
      "安全、文明、程序、金额、司法、常态化、方便、石材、林地、江河都不是名字。",
      "张科长、王局长和李主任参加了会议。",
      "对方正在打开编辑器。",
      "杨家岭革命旧址、王家坝闸、张家湾村",
    ]) {
      expect(ofKind(text, "PERSON_NAME"), text).toEqual([]);
    }
  });
});

describe("单位名称 and 个体工商户字号", () => {
  it("finds companies from their type words and keeps industry and type", () => {
    expect(find("示例市鑫源食品有限公司销售过期食品")[0]).toMatchObject({
      kind: "COMPANY_NAME",
      text: "示例市鑫源食品有限公司",
      replacement: "某食品有限公司",
    });
    expect(find("当事人甲县宏达建材厂在厂区露天堆放物料")[0]).toMatchObject({
      kind: "COMPANY_NAME",
      text: "甲县宏达建材厂",
      replacement: "某建材厂",
    });
    expect(find("经查，浙江恒远建设集团有限公司承建的项目")[0]).toMatchObject({
      text: "浙江恒远建设集团有限公司",
      replacement: "某建设集团有限公司",
    });
    expect(find("示例市佳美装饰工程有限公司甲县分公司未备案")[0]).toMatchObject({
      text: "示例市佳美装饰工程有限公司甲县分公司",
      replacement: "某装饰工程有限公司甲县分公司",
    });
    expect(find("示例市好又多超市连锁有限公司甲区分店销售过期食品")[0]).toMatchObject({
      text: "示例市好又多超市连锁有限公司甲区分店",
      replacement: "某超市连锁有限公司甲区分店",
    });
    expect(find("示例市3M贸易有限公司")[0]).toMatchObject({
      text: "示例市3M贸易有限公司",
      replacement: "某贸易有限公司",
    });
    expect(ofKind("宁波天马机械制造有限公司提供了意见。", "COMPANY_NAME")).toEqual(["宁波天马机械制造有限公司"]);
    for (const name of [
      "示例市青石果蔬专业合作社",
      "示例市甲区金鼎五金经营部",
      "乐康大药房",
      "鑫源公司",
      "示例市（甲县）华瑞机械厂",
    ]) {
      expect(ofKind(`${name}被立案调查。`, "COMPANY_NAME"), name).toEqual([name]);
    }
  });

  it("finds shops that carry the owner's name", () => {
    expect(find("何晓东牛肉面馆未取得许可")[0]).toMatchObject({
      kind: "SHOP_NAME",
      text: "何晓东牛肉面馆",
      replacement: "何某牛肉面馆",
    });
    expect(ofKind("张伟五金店未明码标价", "SHOP_NAME")).toEqual(["张伟五金店"]);
    expect(ofKind("黄志勇烟酒店向未成年人售烟", "SHOP_NAME")).toEqual(["黄志勇烟酒店"]);
    expect(ofKind("个体工商户周秀芳水果摊的经营者", "SHOP_NAME")).toEqual(["周秀芳水果摊"]);
    expect(ofKind("执法人员对甲县王秀兰豆腐坊进行了检查。", "SHOP_NAME")).toEqual(["甲县王秀兰豆腐坊"]);
  });

  it("does not flag public bodies, redacted or generic names", () => {
    for (const text of [
      "示例市市场监督管理局、示例市公安局联合执法",
      "甲县人民检察院、示例市中级人民法院",
      "示例市人民政府办公室印发通知",
      "青石镇司法所、示例市公共资源交易中心",
      "某食品有限公司、某某公司、甲县某采石场",
      "该公司、涉案公司、物业公司、一家五金店、两家养殖场",
      "楼下餐馆油烟扰民，对面超市已关门。",
      "文化和旅游部、中国工商银行示例市分行",
      "建设厂房、进行检查、市场秩序、现场执法",
      "示例市自来水公司、国家电网示例供电公司、中国移动示例分公司",
    ]) {
      expect(
        find(text).filter((f) => f.kind === "COMPANY_NAME" || f.kind === "SHOP_NAME"),
        text,
      ).toEqual([]);
    }
  });
});

describe("护照, 港澳通行证, QQ, 微信, 统一社会信用代码", () => {
  it("finds passports after their label and Chinese formats on their own", () => {
    expect(found("护照号码：EA1234567。")).toEqual([["PASSPORT", "EA1234567"]]);
    expect(found("外籍员工（护照号码：K98765432）")).toEqual([["PASSPORT", "K98765432"]]);
    expect(found("持G12345678号护照")).toEqual([["PASSPORT", "G12345678"]]);
    expect(found("收取了E23456789")).toEqual([["PASSPORT", "E23456789"]]);
  });

  it("finds 港澳通行证 numbers", () => {
    expect(found("往来港澳通行证号码为C12345678。")).toEqual([["HKMO_PERMIT", "C12345678"]]);
    expect(found("港澳通行证（号码CA1234567）")).toEqual([["HKMO_PERMIT", "CA1234567"]]);
    expect(found("回乡证号码H12345678")).toEqual([["HKMO_PERMIT", "H12345678"]]);
    expect(found("港澳通行证号码为：C12345678")).toEqual([["HKMO_PERMIT", "C12345678"]]);
  });

  it("finds QQ and WeChat ids after their labels", () => {
    expect(found("QQ：12345678")).toEqual([["QQ", "12345678"]]);
    expect(found("QQ号为2468013579，")).toEqual([["QQ", "2468013579"]]);
    expect(found("QQ号88886666、66668888两个账号")).toEqual([
      ["QQ", "88886666"],
      ["QQ", "66668888"],
    ]);
    expect(found("QQ 号码为：12345678")).toEqual([["QQ", "12345678"]]);
    expect(found("QQ群123456789")).toEqual([]);
    expect(found("微信：wxid_k8j2h4g6f1")).toEqual([["WECHAT", "wxid_k8j2h4g6f1"]]);
    expect(found("微信号zhang_wei1988向消费者")).toEqual([["WECHAT", "zhang_wei1988"]]);
    expect(found("添加微信号：xiaomei_beauty 即可")).toEqual([["WECHAT", "xiaomei_beauty"]]);
    expect(found("微信公众号、微信支付、微信群")).toEqual([]);
  });

  it("finds 个体工商户 credit codes (92…) and leaves company codes alone", () => {
    expect(found("统一社会信用代码92330102MA2H7K3L40")).toEqual([["CREDIT_CODE", "92330102MA2H7K3L40"]]);
    expect(found("统一社会信用代码91330100MA27XY3K1U")).toEqual([]);
    expect(found("统一社会信用代码12330100MB1234567X")).toEqual([]);
    expect(found("统一社会信用代码11330100002489234B")).toEqual([]);
  });
});

describe("findings, applyFixes and findingKey", () => {
  const text =
    "当事人张建国（身份证号码330102198703154024，电话138-1234-5678）住示例市甲县青石镇幸福路12号3单元501室。";

  it("returns sorted, non-overlapping findings whose text is the span", () => {
    const fs = find(text, ["张建国"]);
    expect(fs.map((f) => f.kind)).toEqual(["PERSON_NAME", "ID_NUMBER", "MOBILE", "ADDRESS"]);
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
    expect(findingKey({ kind: "COMPANY_NAME", text: "示例市（甲县）鑫源商行" })).toBe(
      "COMPANY_NAME:示例市(甲县)鑫源商行",
    );
    expect(findingKey({ kind: "PASSPORT", text: "ea1234567" })).toBe("PASSPORT:EA1234567");
    expect(findingKey({ kind: "WECHAT", text: "Zhang_Wei1988" })).toBe("WECHAT:zhang_wei1988");
  });

  it("keeps the pre-split key of a listed party for old overrides", () => {
    const [f] = find("当事人张建国到场", ["张建国"]);
    expect(findingKey(f)).toBe("PERSON_NAME:张建国");
    expect(legacyFindingKey(f)).toBe("PARTY_NAME:张建国");
    expect(legacyFindingKey(find("当事人王小明因违法经营被立案")[0])).toBeUndefined();
  });

  it("labels every kind", () => {
    expect(Object.keys(FINDING_LABELS).sort()).toEqual([...FINDING_KINDS].sort());
    expect(FINDING_KINDS).toHaveLength(15);
    for (const kind of FINDING_KINDS) expect(FINDING_LABELS[kind]).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe("performance", () => {
  // Asserted on the fastest of nine runs: on a busy CI machine other processes inflate the median (printed too).
  it("checks 20 000 characters in well under 50 ms after warm-up (CI bound 150 ms)", () => {
    let long = "";
    for (let i = 0; long.length < 20_000; i++) long += REDACTION_CORPUS[i % REDACTION_CORPUS.length].text;
    long = long.slice(0, 20_000);
    const parties = [...new Set(REDACTION_CORPUS.flatMap((s) => s.parties ?? []))];
    for (let i = 0; i < 3; i++) detectPii(long, { parties }); // JIT warm-up
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 9; i++) {
      const t0 = performance.now();
      count = detectPii(long, { parties }).length;
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `脱敏检查性能: ${long.length} 字, ${count} 处, 最快 ${times[0].toFixed(1)} ms, 中位数 ${times[4].toFixed(1)} ms`,
    );
    expect(count).toBeGreaterThan(300);
    expect(times[0]).toBeLessThan(150);
  });
});
