// 脱敏检查: finds personal information in a typical case (典型案例) before it is published, modelled on 最高人民法院
// 《关于人民法院在互联网公布裁判文书的规定》(法释〔2016〕19号) arts. 8–10: parties' names become surname + 某; ID
// numbers, phone numbers, bank accounts, plates, e-mail addresses and addresses below county level are removed.
//
// Pure module: no Node-only APIs and no DB, it also runs in the browser bundle. Every detector works on a
// width-normalized copy of the text (full-width ＡＢＣ１２３（）：， → ASCII, same length, so offsets are shared)
// and reports spans and texts of the original.

import {
  COMMON_SURNAMES,
  COMPOUND_SURNAMES,
  COMPOUND_SURNAMES_FOR_DETECTION,
  NOT_NAME_WORDS,
  ORG_TYPE_WORDS,
  PERSON_ROLE_WORDS,
  PLATE_PROVINCES,
} from "./surnames";

export type FindingKind =
  "ID_NUMBER" | "MOBILE" | "LANDLINE" | "BANK_CARD" | "PLATE" | "EMAIL" | "ADDRESS" | "PARTY_NAME" | "PERSON_NAME";

export const FINDING_LABELS: Record<FindingKind, string> = {
  ID_NUMBER: "身份证号码",
  MOBILE: "手机号码",
  LANDLINE: "固定电话",
  BANK_CARD: "银行卡号",
  PLATE: "车牌号",
  EMAIL: "电子邮箱",
  ADDRESS: "详细地址",
  PARTY_NAME: "当事人姓名/名称",
  PERSON_NAME: "疑似姓名",
};

export interface Finding {
  kind: FindingKind;
  /** The text as it appears in the input (text.slice(start, end)). */
  text: string;
  start: number;
  end: number;
  /** What the span becomes after redaction: "张某", "某有限公司", "示例市甲县某处", "浙A×××××", "×××" … */
  replacement: string;
}

export interface DetectOptions {
  /** The private 当事人 list: people's names and company names. */
  parties: readonly string[];
  /** Birth dates after this day are not ID numbers; defaults to now. */
  today?: Date;
}

/** Tie-break when two overlapping findings have the same length: the more specific kind wins. */
const PRIORITY: Record<FindingKind, number> = {
  PARTY_NAME: 0,
  ID_NUMBER: 1,
  BANK_CARD: 2,
  MOBILE: 3,
  LANDLINE: 4,
  EMAIL: 5,
  PLATE: 6,
  ADDRESS: 7,
  PERSON_NAME: 8,
};

/**
 * Finds personal information: sorted by start, non-overlapping (the longer, then the more specific finding wins;
 * a guessed PERSON_NAME never displaces another kind).
 */
export function detectPii(text: string, options: DetectOptions): Finding[] {
  const norm = normalizeWidth(text);
  const today = options.today ?? new Date();
  const candidates = [
    ...detectPartyNames(text, norm, options.parties),
    ...detectIdNumbers(text, norm, today),
    ...detectBankCards(text, norm, today),
    ...detectMobiles(text, norm),
    ...detectLandlines(text, norm),
    ...detectEmails(text, norm),
    ...detectPlates(text, norm),
    ...detectAddresses(text, norm),
    ...detectPersonNames(text, norm),
  ];
  return resolveOverlaps(candidates, text.length);
}

/**
 * Replaces every finding by its replacement, in any input order. Findings that no longer match the text (stale)
 * or overlap an earlier one are skipped.
 */
export function applyFixes(text: string, findings: readonly Finding[]): string {
  const usable = findings
    .filter((f) => f.start >= 0 && f.end <= text.length && f.start < f.end && text.slice(f.start, f.end) === f.text)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let out = "";
  let pos = 0;
  for (const f of usable) {
    if (f.start < pos) continue;
    out += text.slice(pos, f.start) + f.replacement;
    pos = f.end;
  }
  return out + text.slice(pos);
}

/** Stable id of a finding for overrides: kind + normalized text, e.g. "MOBILE:13812345678". */
export function findingKey(f: Pick<Finding, "kind" | "text">): string {
  const t = normalizeWidth(f.text).replace(/\s+/g, "");
  switch (f.kind) {
    case "ID_NUMBER":
    case "BANK_CARD":
      return `${f.kind}:${t.replace(/[^0-9Xx]/g, "").toUpperCase()}`;
    case "MOBILE": {
      const digits = t.replace(/\D/g, "");
      return `${f.kind}:${digits.length > 11 ? digits.slice(-11) : digits}`;
    }
    case "LANDLINE":
      return `${f.kind}:${t.replace(/[^0-9转]/g, "")}`;
    case "PLATE":
      return `${f.kind}:${t.replace(/[·•・.\- ]/g, "").toUpperCase()}`;
    case "EMAIL":
      return `${f.kind}:${t.toLowerCase()}`;
    default:
      return `${f.kind}:${t}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Full-width ASCII (！…～) → ASCII and the ideographic space → " ". Keeps the length, so offsets stay valid. */
function normalizeWidth(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += " ";
    else out += s[i];
  }
  return out;
}

function isHan(ch: string | undefined): boolean {
  if (!ch) return false;
  const c = ch.charCodeAt(0);
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
}

function finding(kind: FindingKind, text: string, start: number, end: number, replacement: string): Finding {
  return { kind, text: text.slice(start, end), start, end, replacement };
}

/** Replacement of a removed identifier (法释〔2016〕19号 art. 10: 删除). */
const REMOVED = "×××";

/** Every match of a global regex (from a fresh lastIndex). */
function matchesOf(re: RegExp, s: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/**
 * Keeps the longest findings (ties: the more specific kind, then the earlier one) and drops what overlaps them.
 * Guessed names (PERSON_NAME) come last whatever their length: "当事人夏侯敏通过…" is the listed 夏侯敏.
 */
function resolveOverlaps(candidates: readonly Finding[], length: number): Finding[] {
  const guessed = (f: Finding) => (f.kind === "PERSON_NAME" ? 1 : 0);
  const order = [...candidates].sort(
    (a, b) =>
      guessed(a) - guessed(b) ||
      b.end - b.start - (a.end - a.start) ||
      PRIORITY[a.kind] - PRIORITY[b.kind] ||
      a.start - b.start,
  );
  const taken = new Uint8Array(length);
  const kept: Finding[] = [];
  for (const c of order) {
    let free = true;
    for (let i = c.start; i < c.end && free; i++) if (taken[i]) free = false;
    if (!free) continue;
    taken.fill(1, c.start, c.end);
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. 身份证号码

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = "10X98765432";
/** First two digits of a 行政区划代码 (incl. 71/81/82/83 for 港澳台 residence permits). */
const ID_PROVINCES = new Set([
  "11",
  "12",
  "13",
  "14",
  "15",
  "21",
  "22",
  "23",
  "31",
  "32",
  "33",
  "34",
  "35",
  "36",
  "37",
  "41",
  "42",
  "43",
  "44",
  "45",
  "46",
  "50",
  "51",
  "52",
  "53",
  "54",
  "61",
  "62",
  "63",
  "64",
  "65",
  "71",
  "81",
  "82",
  "83",
]);

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

/** A real calendar date between 1900-01-01 and today. */
function isPlausibleBirthDate(year: number, month: number, day: number, today: Date): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return date.getTime() <= Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
}

/** 18-digit 居民身份证号码: known province, plausible birth date, MOD 11-2 check character. */
export function isValidIdNumber(id: string, today: Date = new Date()): boolean {
  if (!/^\d{17}[\dXx]$/.test(id) || !ID_PROVINCES.has(id.slice(0, 2))) return false;
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  return isPlausibleBirthDate(y, m, d, today) && idCheckChar(id.slice(0, 17)) === id[17].toUpperCase();
}

const ID18_RE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
const ID15_RE = /(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g;

/**
 * 18-digit ID numbers with a valid checksum and birth date, not inside longer digit runs. 15-digit (first
 * generation, no checksum) only right after "身份证…", where the context is clear.
 */
function detectIdNumbers(text: string, norm: string, today: Date): Finding[] {
  const out: Finding[] = [];
  for (const m of matchesOf(ID18_RE, norm)) {
    if (isValidIdNumber(m[0], today)) out.push(finding("ID_NUMBER", text, m.index, m.index + 18, REMOVED));
  }
  for (const m of matchesOf(ID15_RE, norm)) {
    const s = m[0];
    const plausible =
      ID_PROVINCES.has(s.slice(0, 2)) &&
      isPlausibleBirthDate(1900 + Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12)), today);
    if (plausible && /身份证[^0-9]{0,8}$/.test(norm.slice(Math.max(0, m.index - 14), m.index))) {
      out.push(finding("ID_NUMBER", text, m.index, m.index + 15, REMOVED));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 2. 手机号码

const MOBILE_RE = /(?<![0-9A-Za-z+])(?:(?:\+|00)86[ -]?|\(\+?86\)[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z]|-\d)/g;

/** Mobile numbers 1[3-9]x xxxx xxxx, with optional +86 and space/hyphen groups, not inside longer digit runs. */
function detectMobiles(text: string, norm: string): Finding[] {
  return matchesOf(MOBILE_RE, norm).map((m) => finding("MOBILE", text, m.index, m.index + m[0].length, REMOVED));
}

// ---------------------------------------------------------------------------------------------------------------
// 3. 固定电话

const AREA_CODE = "0(?:10|2\\d|[3-9]\\d{2})";
const LANDLINE_RE = new RegExp(
  `(?<![0-9A-Za-z])(?:\\(${AREA_CODE}\\)[ -]?|${AREA_CODE}[ \\-—–]?)[1-9]\\d{6,7}(?:(?:-|转)\\d{1,5})?(?![0-9A-Za-z])`,
  "g",
);
const BARE_LANDLINE_RE =
  /(?:电话|座机|固话|传真|Tel\.?|TEL\.?|tel\.?|Fax\.?|FAX\.?)(?:号码|号)?\s*(?:[:为是]\s*)?([2-9]\d{6,7})(?![0-9A-Za-z])/g;

/**
 * Landlines with an area code (0571-87654321, (010)12345678, 057187654321); a bare 7–8-digit number only right
 * after 电话/联系电话/座机/Tel.
 */
function detectLandlines(text: string, norm: string): Finding[] {
  const out = matchesOf(LANDLINE_RE, norm).map((m) =>
    finding("LANDLINE", text, m.index, m.index + m[0].length, REMOVED),
  );
  for (const m of matchesOf(BARE_LANDLINE_RE, norm)) {
    const end = m.index + m[0].length;
    out.push(finding("LANDLINE", text, end - m[1].length, end, REMOVED));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 4. 银行卡号

/** Luhn (mod 10) checksum over a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const CARD_PLAIN_RE = /(?<![0-9A-Za-z])\d{12,25}(?![0-9A-Za-z])/g;
const CARD_GROUPED_RE = /(?<![0-9A-Za-z])\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?(?![0-9A-Za-z]|[ -]\d)/g;
const ACCOUNT_CONTEXT_RE = /(?:卡号|账号|帐号|账户|帐户|银行卡|开户行|收款账|付款账)[^0-9\n]{0,8}$/;

/**
 * Bank cards: 16–19 digits (also in groups of 4) passing Luhn and not a valid ID number. Right after
 * 卡号/账号/账户 any 12–25-digit number counts: corporate accounts do not follow Luhn.
 */
function detectBankCards(text: string, norm: string, today: Date): Finding[] {
  const out: Finding[] = [];
  const consider = (start: number, raw: string) => {
    const digits = raw.replace(/\D/g, "");
    if (digits.length < 12 || digits.length > 25) return;
    if (digits.length === 18 && isValidIdNumber(digits, today)) return;
    const luhnCard = digits.length >= 16 && digits.length <= 19 && luhnValid(digits);
    const inContext = ACCOUNT_CONTEXT_RE.test(norm.slice(Math.max(0, start - 16), start));
    if (luhnCard || inContext) out.push(finding("BANK_CARD", text, start, start + raw.length, REMOVED));
  };
  for (const m of matchesOf(CARD_PLAIN_RE, norm)) consider(m.index, m[0]);
  for (const m of matchesOf(CARD_GROUPED_RE, norm)) consider(m.index, m[0]);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 5. 车牌号

const PLATE_RE = new RegExp(
  `[${PLATE_PROVINCES}][A-Za-z][·•・. -]?(?:[A-Za-z0-9]{5,6}[警学挂领试超]?|[A-Za-z0-9]{4}[警学挂领港澳试超])(?![A-Za-z0-9])`,
  "gu",
);

/**
 * Vehicle plates: province abbreviation + letter + 5 characters (6 for new-energy, 4 + 警/学/挂 …), at least
 * three digits after the issuing-authority letter. The replacement keeps the (non-identifying) "浙A".
 */
function detectPlates(text: string, norm: string): Finding[] {
  return matchesOf(PLATE_RE, norm)
    .filter((m) => (m[0].slice(2).match(/\d/g) ?? []).length >= 3)
    .map((m) => finding("PLATE", text, m.index, m.index + m[0].length, `${text.slice(m.index, m.index + 2)}×××××`));
}

// ---------------------------------------------------------------------------------------------------------------
// 6. 电子邮箱

const EMAIL_RE =
  /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![A-Za-z0-9-])/g;

/** E-mail addresses. */
function detectEmails(text: string, norm: string): Finding[] {
  return matchesOf(EMAIL_RE, norm).map((m) => finding("EMAIL", text, m.index, m.index + m[0].length, REMOVED));
}

// ---------------------------------------------------------------------------------------------------------------
// 7. 详细地址

const ADDR_UNIT = "(?:号楼|号院|号|栋|幢|单元|室|楼|层|座)";
const ADDR_TOKEN = `(?:(?:\\d{1,5}(?:-\\d{1,5})?|[A-Za-z])${ADDR_UNIT}|\\d{1,4}(?:-\\d{1,4})+(?!\\d))`;
const ROAD_CORE = `(?:大街|大道|路|街|巷|弄|胡同)(?:\\d{1,4}[弄巷])?\\d{1,5}(?:-\\d{1,5})?号${ADDR_TOKEN}*`;
const VILLAGE_CORE =
  `村(?:\\d{1,3}|[一二三四五六七八九十]{1,3})组${ADDR_TOKEN}*` +
  `|(?:新村|村|社区|小区|花园|公寓|大厦|家园|苑|大楼|广场|山庄|工业区|工业园|产业园|科技园|园区)${ADDR_TOKEN}+`;
const ADDRESS_CORE_RE = new RegExp(`${ROAD_CORE}|${VILLAGE_CORE}`, "g");

/** Administrative unit suffixes, longest first. */
const ADMIN_SUFFIXES = [
  "特别行政区",
  "自治区",
  "自治州",
  "自治县",
  "自治旗",
  "开发区",
  "高新区",
  "街道",
  "地区",
  "新区",
  "省",
  "市",
  "县",
  "区",
  "旗",
  "盟",
  "镇",
  "乡",
];
/** Units at or above county level: the replacement keeps the address up to the last of these. */
const KEPT_SUFFIXES = new Set(ADMIN_SUFFIXES.filter((s) => !["街道", "镇", "乡"].includes(s)));
/** Characters that never belong to a place name but often stand right before one ("住", "位于", "地址为"). */
const PLACE_STOP = new Set([..."在于住址为是系的与及或到至从往被把了所地处号即其该"]);

function adminSuffixEndingAt(norm: string, p: number): string | undefined {
  return ADMIN_SUFFIXES.find((s) => p >= s.length && norm.startsWith(s, p - s.length));
}

/** Walks back from `end` over the Han characters of a place name, up to maxLen, stopping at a unit suffix. */
function placeNameStart(norm: string, end: number, maxLen: number): number {
  let p = end;
  while (end - p < maxLen && p > 0) {
    const ch = norm[p - 1];
    if (!isHan(ch) || PLACE_STOP.has(ch)) break;
    if (end - p >= 1 && adminSuffixEndingAt(norm, p)) break;
    p--;
  }
  return p;
}

interface AddressSpan {
  start: number;
  end: number;
  /** End of the last county-level (or higher) unit, or -1. */
  keepEnd: number;
}

/** The street- or village-level core at `core`, extended back over its name and the 省/市/县/镇 units before it. */
function addressSpan(norm: string, core: number, coreEnd: number): AddressSpan | undefined {
  const nameStart = placeNameStart(norm, core, 6);
  if (nameStart === core) return undefined;
  let start = nameStart;
  let keepEnd = -1;
  for (let units = 0; units < 6; units++) {
    const suffix = adminSuffixEndingAt(norm, start);
    if (!suffix) break;
    const unitNameEnd = start - suffix.length;
    const unitStart = placeNameStart(norm, unitNameEnd, suffix.startsWith("自治") ? 7 : 4);
    if (unitStart === unitNameEnd) break;
    if (keepEnd < 0 && KEPT_SUFFIXES.has(suffix)) keepEnd = start;
    start = unitStart;
  }
  return { start, end: coreEnd, keepEnd };
}

/**
 * Addresses below county level: a 路/街/大道/巷/弄/胡同 + 号 or 村/组/社区/小区 + 号/栋/幢/单元/室/楼 core, with the
 * place names before it. The replacement keeps the part up to the county-level unit: "示例市甲县某处".
 */
function detectAddresses(text: string, norm: string): Finding[] {
  const spans: AddressSpan[] = [];
  for (const m of matchesOf(ADDRESS_CORE_RE, norm)) {
    const span = addressSpan(norm, m.index, m.index + m[0].length);
    if (!span) continue;
    const last = spans[spans.length - 1];
    // "幸福路12号阳光小区5幢501室": two cores, one address.
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else spans.push(span);
  }
  return spans.map((s) =>
    finding("ADDRESS", text, s.start, s.end, `${s.keepEnd > s.start ? text.slice(s.start, s.keepEnd) : ""}某处`),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// 8. 当事人姓名/名称 (listed)

/** "欧阳明华" → "欧阳某"; "张三" → "张某". */
function surnameOf(name: string): string {
  return COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > s.length) ?? name.slice(0, 1);
}

/** A listed party is an organization when it names an organization type or is too long for a personal name. */
function orgTypeOf(name: string): string | undefined {
  const trailing = ORG_TYPE_WORDS.filter((w) => name.endsWith(w)).sort((a, b) => b.length - a.length)[0];
  if (trailing) return trailing;
  if (ORG_TYPE_WORDS.some((w) => name.includes(w))) return "单位";
  return undefined;
}

/** Redacted form of a listed party: people → surname + 某, organizations → 某 + organization type. */
export function partyReplacement(name: string): string {
  const n = normalizeWidth(name).trim();
  const org = orgTypeOf(n);
  if (org) return `某${org}`;
  if (n.length > 4 && !/[·•・]/.test(n)) return "某单位";
  return `${surnameOf(n)}某`;
}

/** Every occurrence of a listed party name. Already-redacted forms (张某) are not findings. */
function detectPartyNames(text: string, norm: string, parties: readonly string[]): Finding[] {
  const out: Finding[] = [];
  const names = new Set(
    parties.map((p) => normalizeWidth(p).replace(/\s+/g, "")).filter((p) => p.length >= 2 && !p.includes("某")),
  );
  for (const name of names) {
    const replacement = partyReplacement(name);
    for (let i = norm.indexOf(name); i >= 0; i = norm.indexOf(name, i + name.length)) {
      out.push(finding("PARTY_NAME", text, i, i + name.length, replacement));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 9. 疑似姓名 (unlisted)

const SINGLE_SURNAMES = new Set(COMMON_SURNAMES);
const NOT_NAMES = new Set(NOT_NAME_WORDS);
const ROLE_WORDS = PERSON_ROLE_WORDS.map(normalizeWidth);
/** Characters that do not occur in given names (or are already a redaction: 某). */
const NON_GIVEN = new Set([
  ..."某村镇县市区省路街店厂司局委会队站院部号年月日时分秒吨件个辆次条款项类的了是这那其此该们之所及等人者处罚法案证照据表书函令费额率量性型式面内外后间段期地场房车船",
  ..."于在被对向因系称将把与并未已无不没也都就但而或又再曾即仍却还则让使给从到过着",
]);
/** Possible given-name characters that, in second place, are more likely the next word: "张三住…" is 张三. */
const SECOND_CHAR_BREAKS = new Set([..."均拒持住现说"]);
/** Words that may follow a name: they mark where it ends. */
const NAME_END_WORDS = [
  ..."因系于称在将把被向对与和及等的未已并从为所也又均曾拒持无住现是说即仍就则自家男女",
  "驾驶",
  "经营",
  "承包",
  "涉嫌",
  "擅自",
  "私自",
  "明知",
  "多次",
  "先后",
  "表示",
  "承认",
  "同意",
  "签订",
  "利用",
  "从事",
  "负责",
  "担任",
  "夫妇",
  "父子",
  "母子",
  "兄弟",
  "一家",
  "本人",
  "名下",
  "个人",
  "户籍",
  "出生",
  "身份",
  "年满",
  "拒不",
  "租用",
  "雇佣",
  "雇用",
  "购买",
  "销售",
  "出售",
  "使用",
  "提供",
  "非法",
  "违法",
  "违规",
  "酒后",
  "无证",
  "通过",
  "未经",
  "以及",
];
/** After the name, these make a party-like context on their own: "王小明（男，…）", "李四等人". */
const STRONG_RIGHT_RE = /^(?:[(,]\s*[男女]|等(?:\d+|[二三四五六七八九十两]+)?人|\(化名\))/;
/** After the name, these make a party-like context together with a list/punctuation boundary before it. */
const MEDIUM_RIGHT = [
  "因",
  "系",
  "于",
  "称",
  "驾驶",
  "经营",
  "承包",
  "涉嫌",
  "擅自",
  "私自",
  "明知",
  "多次",
  "酒后",
  "无证",
];
/**
 * Surnames that are far more often a preposition or adverb right after a role ("被告向原告…", "当事人于当日…",
 * "当事人曾因…"): accepted only with a strong right context.
 */
const WEAK_SURNAMES = new Set(["于", "向", "曾"]);
/** Separators that continue a list of names after an accepted one: "张三、李四". */
const LIST_SEPARATORS = new Set(["、", "和", "及", "与", ","]);

function surnameAt(norm: string, i: number): string | undefined {
  const two = norm.slice(i, i + 2);
  if (COMPOUND_SURNAMES_FOR_DETECTION.includes(two)) return two;
  return SINGLE_SURNAMES.has(norm[i]) ? norm[i] : undefined;
}

function isGivenChar(ch: string | undefined): boolean {
  return isHan(ch) && !NON_GIVEN.has(ch ?? "");
}

function endsName(norm: string, p: number): boolean {
  return p >= norm.length || !isHan(norm[p]) || NAME_END_WORDS.some((w) => norm.startsWith(w, p));
}

/** A role word right before i, allowing "：", a space or "为/是" in between: "法定代表人：", "负责人为". */
function hasRoleBefore(norm: string, i: number): boolean {
  let p = i;
  while (p > 0 && (norm[p - 1] === ":" || norm[p - 1] === " ")) p--;
  if (p > 0 && (norm[p - 1] === "为" || norm[p - 1] === "是")) p--;
  return ROLE_WORDS.some((r) => norm.endsWith(r, p));
}

/** Government bodies and their units: "负责人龙门分局副局长…" is not a name. */
const PUBLIC_BODY_WORDS = [
  "局",
  "委员会",
  "政府",
  "法院",
  "检察院",
  "办事处",
  "派出所",
  "大队",
  "支队",
  "中队",
  "管委会",
  "办公室",
];

/** The Han run from p (up to 16 characters) names an organization: "王记餐馆" is a shop, not 王记餐. */
function runsIntoOrganization(norm: string, p: number): boolean {
  let q = p;
  while (q < norm.length && q - p < 16 && isHan(norm[q])) q++;
  const run = norm.slice(p, q);
  return ORG_TYPE_WORDS.some((w) => run.includes(w)) || PUBLIC_BODY_WORDS.some((w) => run.includes(w));
}

/**
 * Unlisted names: a common surname + 1–2 given-name characters, only in party-like contexts — after a role
 * word (当事人, 驾驶员, 法定代表人 …) or in a list continuing such a name, before "（男"/"等人", or between a
 * punctuation boundary and 因/系/于/称/驾驶/经营/承包. A stop list removes words such as 高度, 周边, 方面, 万元.
 */
function detectPersonNames(text: string, norm: string): Finding[] {
  const out: Finding[] = [];
  let lastEnd = -1;
  for (let i = 0; i < norm.length; i++) {
    const surname = surnameAt(norm, i);
    if (!surname) continue;
    const g = i + surname.length;
    if (!isGivenChar(norm[g])) continue;
    const stop = [norm.slice(i, g + 1), norm.slice(i, g + 2), norm.slice(i, g + 3)].some((w) => NOT_NAMES.has(w));
    if (stop) continue;

    const two = isGivenChar(norm[g + 1]) && !SECOND_CHAR_BREAKS.has(norm[g + 1]);
    let len = 0;
    if (two && endsName(norm, g + 2)) len = 2;
    else if (endsName(norm, g + 1)) len = 1;
    const end = g + (len || (two ? 2 : 1));

    const listContinues = lastEnd >= 0 && i - lastEnd === 1 && LIST_SEPARATORS.has(norm[lastEnd]);
    const strongLeft = hasRoleBefore(norm, i) || listContinues;
    const weakLeft = i === 0 || !isHan(norm[i - 1]);
    const after = norm.slice(end, end + 8);
    const strongRight = len > 0 && STRONG_RIGHT_RE.test(after);
    const mediumRight = len > 0 && MEDIUM_RIGHT.some((w) => after.startsWith(w));

    let accept = strongRight || (weakLeft && mediumRight);
    if (strongLeft && !accept) accept = len > 0 || !runsIntoOrganization(norm, i);
    if (WEAK_SURNAMES.has(surname)) accept = strongRight;
    if (!accept) continue;

    out.push(finding("PERSON_NAME", text, i, end, `${surname}某`));
    lastEnd = end;
    i = end - 1;
  }
  return out;
}
