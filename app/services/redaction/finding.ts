// Shared types and helpers of the 脱敏检查 (redaction check). Pure: no Node-only APIs.

export type FindingKind =
  | "PERSON_NAME"
  | "COMPANY_NAME"
  | "SHOP_NAME"
  | "ID_NUMBER"
  | "PASSPORT"
  | "HKMO_PERMIT"
  | "MOBILE"
  | "LANDLINE"
  | "BANK_CARD"
  | "PLATE"
  | "EMAIL"
  | "QQ"
  | "WECHAT"
  | "CREDIT_CODE"
  | "ADDRESS";

export const FINDING_KINDS: readonly FindingKind[] = [
  "PERSON_NAME",
  "COMPANY_NAME",
  "SHOP_NAME",
  "ID_NUMBER",
  "PASSPORT",
  "HKMO_PERMIT",
  "MOBILE",
  "LANDLINE",
  "BANK_CARD",
  "PLATE",
  "EMAIL",
  "QQ",
  "WECHAT",
  "CREDIT_CODE",
  "ADDRESS",
];

export const FINDING_LABELS: Record<FindingKind, string> = {
  PERSON_NAME: "自然人姓名",
  COMPANY_NAME: "单位名称",
  SHOP_NAME: "个体工商户字号",
  ID_NUMBER: "身份证号码",
  PASSPORT: "护照号码",
  HKMO_PERMIT: "港澳通行证号码",
  MOBILE: "手机号码",
  LANDLINE: "固定电话",
  BANK_CARD: "银行卡号",
  PLATE: "车牌号",
  EMAIL: "电子邮箱",
  QQ: "QQ号",
  WECHAT: "微信号",
  CREDIT_CODE: "个体工商户统一社会信用代码",
  ADDRESS: "详细地址",
};

/** Label of an ID number whose check character is wrong but whose region and birth date hold. */
export const SUSPECT_ID_LABEL = "疑似身份证号";

export interface Finding {
  kind: FindingKind;
  /** The text as it appears in the input (text.slice(start, end)). */
  text: string;
  start: number;
  end: number;
  /** What the span becomes after redaction: "张某", "某食品有限公司", "示例市甲县某处", "浙A×××××", "×××" … */
  replacement: string;
  /** PERSON_NAME / COMPANY_NAME / SHOP_NAME: the span is (an alias of) a name of the given 当事人 list. */
  fromPartyList?: boolean;
  /** ID_NUMBER: region and birth date hold but the check character is wrong (a typo or a made-up number). */
  suspect?: boolean;
}

/** The label shown for a finding: FINDING_LABELS, or 疑似身份证号 for a suspect ID number. */
export function findingLabel(f: Pick<Finding, "kind" | "suspect">): string {
  return f.kind === "ID_NUMBER" && f.suspect ? SUSPECT_ID_LABEL : FINDING_LABELS[f.kind];
}

/** Replacement of a removed identifier (法释〔2016〕19号 art. 10: 删除). */
export const REMOVED = "×××";

/** Full-width ASCII (！…～) → ASCII and the ideographic space → " ". Keeps the length, so offsets stay valid. */
export function normalizeWidth(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += " ";
    else out += s[i];
  }
  return out;
}

export function isHan(ch: string | undefined): boolean {
  if (!ch) return false;
  const c = ch.charCodeAt(0);
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
}

export function makeFinding(
  kind: FindingKind,
  text: string,
  start: number,
  end: number,
  replacement: string,
  extra: Pick<Finding, "fromPartyList" | "suspect"> = {},
): Finding {
  return { kind, text: text.slice(start, end), start, end, replacement, ...extra };
}

/** Every match of a global regex (from a fresh lastIndex). */
export function matchesOf(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** The text shared by all detectors: the original, its width-normalized copy and its segmentation. */
export interface Source {
  text: string;
  norm: string;
}
