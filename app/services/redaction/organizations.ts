// Business names for the 脱敏检查: companies (COMPANY_NAME) and 个体工商户 shops whose name carries the owner's
// name (SHOP_NAME), found from their type word ("…有限公司", "…建材厂", "…牛肉面馆") back to the trade name and
// the region before it. Replacements keep what a reader needs: "示例市鑫源食品有限公司" → "某食品有限公司",
// "何晓东牛肉面馆" → "何某牛肉面馆". Public bodies (…局, …院, 人民政府 …) and redacted names (某公司) are no findings.

import { isHan, makeFinding, matchesOf, type Finding, type FindingKind, type Source } from "./finding";
import {
  BUSINESS_TYPE_WORDS,
  INDUSTRY_WORDS,
  NAME_LEFT_STOP_CHARS,
  NOT_TRADE_NAME_STARTS,
  ORG_LEFT_STOP_WORDS,
  ORG_TYPE_WORDS,
  PROVINCE_NAMES,
  PUBLIC_BODY_WORDS,
  PUBLIC_UTILITY_RE,
  SHOP_TYPE_WORDS,
  SHORT_TYPE_WORDS,
  STRONG_PUBLIC_BODY_WORDS,
} from "./org-words";
import type { DictEntry, Segmentation } from "./segmenter";

type WordLookup = (word: string) => DictEntry | undefined;
import { COMMON_SURNAMES, COMPOUND_SURNAMES, EXTENDED_SURNAMES, GIVEN_NAME_CHARS } from "./surnames";

const byLength = (words: readonly string[]) => [...new Set(words)].sort((a, b) => b.length - a.length);
const INDUSTRY = byLength(INDUSTRY_WORDS);
const TYPES = byLength([...ORG_TYPE_WORDS, ...BUSINESS_TYPE_WORDS, ...SHORT_TYPE_WORDS]);
const SHORT_TYPES = new Set(SHORT_TYPE_WORDS);
/** Type words that may stand inside a name, before industry words and another type: "…大药房连锁有限公司". */
const MIDDLE_TYPES = byLength(BUSINESS_TYPE_WORDS.filter((t) => t.length >= 2 && !/公司|集团/.test(t)));
const SHOP_TYPES = new Set(SHOP_TYPE_WORDS);
const LEFT_STOP_CHARS = new Set([...NAME_LEFT_STOP_CHARS]);
const PROVINCES = byLength(PROVINCE_NAMES);
const SINGLE_SURNAMES = new Set([...COMMON_SURNAMES, ...EXTENDED_SURNAMES]);
const GIVEN = new Set([...GIVEN_NAME_CHARS]);
/** The most frequent given-name characters: a two-character trade name "张伟" reads as a person's name. */
const TOP_GIVEN = new Set([...GIVEN_NAME_CHARS.slice(0, 120)]);
/** Characters of trade names that are no given names: "韦记", "王氏", "老王家". */
const NOT_GIVEN_IN_TRADE = /[记氏家号牌坊堂斋轩阁楼庄园]/;
/** A region unit at the start; 超市, 门市, 小区, 园区 … end in 市/区 but are no regions. */
const REGION_UNIT_RE = new RegExp(
  "^[\\u4e00-\\u9fff]{1,7}?(?:特别行政区|自治区|自治州|自治县|自治旗|开发区|高新区|街道|地区|新区|省|" +
    "(?<![超门菜夜集股])市|县|(?<![园景小社城辖片厂矿营])区|旗|盟|镇|乡)",
);

export interface OrgParts {
  /** "示例市", "浙江", "示例市（甲县）". */
  region: string;
  /** 字号: "鑫源", "何晓东". */
  trade: string;
  /** 行业: "食品", "牛肉面". */
  industry: string;
  /** 组织形式: "有限公司", "集团有限公司", "馆". */
  type: string;
  /** "…有限公司甲县分公司": the head company's parts and the branch ("甲县分公司"). */
  branch?: { head: OrgParts; tail: string };
}

/** Words grouped by their last character, longest first: a suffix test looks at a handful of words only. */
function byLastChar(words: readonly string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const w of byLength(words)) {
    const list = map.get(w[w.length - 1]) ?? [];
    list.push(w);
    map.set(w[w.length - 1], list);
  }
  return map;
}

/** The longest word of `index` ending at `end` of s and starting at or after `min`. */
function wordEndingAt(index: Map<string, string[]>, s: string, end: number, min: number): string | undefined {
  const list = end > 0 ? index.get(s[end - 1]) : undefined;
  return list?.find((w) => end - w.length >= min && s.startsWith(w, end - w.length));
}

const INDUSTRY_INDEX = byLastChar(INDUSTRY);

/** The longest industry word ending at `end` of s, not reaching before `min`. */
function industryEndingAt(s: string, end: number, min: number): string | undefined {
  return wordEndingAt(INDUSTRY_INDEX, s, end, min);
}

/** The type words at the end of a name: "集团有限公司", "专业合作社", "建材厂" → "厂" (needs an industry word). */
function typeSuffix(name: string): string {
  let end = name.length;
  let type = "";
  for (let k = 0; k < 3; k++) {
    let w = TYPES.find((t) => name.startsWith(t, end - t.length) && end - t.length >= 0);
    if (!w) break;
    // "烟酒店" is 烟酒 + 店, not 烟 + 酒店: an industry word reaching into the type word wins.
    const short = w[w.length - 1];
    const industry = w.length > 1 && SHORT_TYPES.has(short) ? industryEndingAt(name, end - 1, 0) : undefined;
    if (industry && industry.length > w.length - 1) w = short;
    if (SHORT_TYPES.has(w) && !industryEndingAt(name, end - w.length, 1)) break;
    type = w + type;
    end -= w.length;
  }
  return type;
}

/** Length of the region prefix: provinces, "…市", "…县", "（甲县）", leaving at least `keep` characters. */
function regionLength(s: string, keep: number): number {
  let p = 0;
  for (let k = 0; k < 5; k++) {
    const rest = s.slice(p);
    const paren = /^[(（][\u4e00-\u9fff]{1,8}[)）]/.exec(rest);
    const province = PROVINCES.find((w) => rest.startsWith(w));
    const unit = REGION_UNIT_RE.exec(rest);
    let len = 0;
    if (paren) len = paren[0].length;
    else if (unit && (!province || unit[0].length <= province.length + 3)) len = unit[0].length;
    else if (province) len = province.length + (/^[省市]/.test(rest.slice(province.length)) ? 1 : 0);
    if (len === 0 || s.length - p - len < keep) break;
    p += len;
  }
  return p;
}

/** Splits a registered name into region, trade name, industry and type. */
export function parseOrgName(raw: string): OrgParts {
  const name = raw.replace(/\s+/g, "");
  const type = typeSuffix(name);
  let rest = name.slice(0, name.length - type.length);
  const branch = /^(.*(?:有限公司|有限责任公司|公司|集团))([\u4e00-\u9fff]{0,8})$/.exec(rest);
  if (branch && /^分(?:公司|店|厂)$|^店$/.test(type) && branch[1].length >= 4) {
    const head = parseOrgName(branch[1]);
    return { ...head, branch: { head, tail: branch[2] + type } };
  }
  const region = rest.slice(0, regionLength(rest, 2));
  rest = rest.slice(region.length);
  let industryStart = rest.length;
  for (let k = 0; k < 3; k++) {
    // Industry words, and type words in the middle ("瑞康|大药房连锁|有限公司").
    const w =
      industryEndingAt(rest, industryStart, 2) ??
      MIDDLE_TYPES.find((t) => industryStart - t.length >= 2 && rest.startsWith(t, industryStart - t.length));
    if (!w) break;
    industryStart -= w.length;
  }
  return { region, trade: rest.slice(0, industryStart), industry: rest.slice(industryStart), type };
}

/** Surname + given name when the whole trade name reads as a person's name ("何晓东", "张伟"), else undefined. */
export function ownerName(trade: string, known: (w: string) => boolean = () => false): { surname: string } | undefined {
  const compound = COMPOUND_SURNAMES.find((s) => trade.startsWith(s));
  const surname = compound ?? (SINGLE_SURNAMES.has(trade[0]) ? trade[0] : undefined);
  if (!surname) return undefined;
  const given = trade.slice(surname.length);
  if (given.length < 1 || given.length > 2) return undefined;
  // Three characters before an industry word read as a name when one given character is a common one
  // ("赵春来早餐店"); two need both and more (below).
  const inGiven = [...given].filter((c) => GIVEN.has(c)).length;
  if (inGiven === 0 || NOT_GIVEN_IN_TRADE.test(given)) return undefined;
  // Two characters read as a name only when they are no dictionary word ("张伟", not "康宁" or "通达").
  const weakTwo = !COMMON_SURNAMES.includes(surname) || !TOP_GIVEN.has(given) || known(trade);
  if (given.length === 1 && !compound && weakTwo) return undefined;
  return { surname };
}

/** Redacted form of a business name: "某食品有限公司", "何某牛肉面馆", "某装饰工程有限公司甲县分公司". */
export function orgReplacement(parts: OrgParts, kind: FindingKind): string {
  if (parts.branch) return orgReplacement(parts.branch.head, "COMPANY_NAME") + parts.branch.tail;
  const owner = kind === "SHOP_NAME" ? ownerName(parts.trade, () => false) : undefined;
  return `${owner ? owner.surname : ""}某${parts.industry}${parts.type || "单位"}`;
}

/** COMPANY_NAME or SHOP_NAME of a parsed business name. */
export function businessKind(
  parts: OrgParts,
  known: (w: string) => boolean = () => false,
): "COMPANY_NAME" | "SHOP_NAME" {
  if (parts.branch) return "COMPANY_NAME";
  const lastType = SHOP_TYPE_WORDS.find((t) => parts.type.endsWith(t));
  return lastType && SHOP_TYPES.has(lastType) && ownerName(parts.trade, known) ? "SHOP_NAME" : "COMPANY_NAME";
}

/** Is this a public body (…局, 人民政府, 司法所 …) rather than a business? */
export function isPublicBody(name: string): boolean {
  if (STRONG_PUBLIC_BODY_WORDS.some((w) => name.includes(w)) || PUBLIC_UTILITY_RE.test(name)) return true;
  return !/(?:公司|集团|合作社)$/.test(name) && PUBLIC_BODY_WORDS.some((w) => name.includes(w));
}

// ---------------------------------------------------------------------------------------------------------------
// Detection without the party list

const TYPE_ALTERNATION = [...byLength(BUSINESS_TYPE_WORDS), ...SHORT_TYPE_WORDS].join("|");
const TYPE_RE = new RegExp(`(?:${TYPE_ALTERNATION})`, "g");
const TYPE_AT_RE = new RegExp(`(?:${TYPE_ALTERNATION})`, "y");
const BRANCH_TAIL_RE = /^[\u4e00-\u9fff]{1,6}?(?:分公司|分店|分厂|(?:区|县|市|路|街|镇)店)/;
const ADMIN_SUFFIXES = [
  "自治区",
  "自治州",
  "自治县",
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
/** jieba tags that never belong to a trade name: prepositions, conjunctions, particles, pronouns, numerals … */
const NOT_TRADE_TAGS = /^(?:p|c|u|uj|ul|uz|ud|ug|uv|r|m|mq|q|d|f|t|tg|y|e|o|x)$/;
/** Latin trade names ("ABC", "3M", "A&B") count as name-like whatever jieba's tag. */
const LATIN_TRADE = /^[A-Za-z0-9&]*[A-Za-z][A-Za-z0-9&]*$/;
/** Verbs and places: after two characters of trade name they are the sentence, not the name. */
const GENERIC_TRADE_TAGS = /^(?:v|vn|vd|s|l)$/;
/** A region at the start of a name: a province, or a place of at most four characters and its unit. */
const REGION_AT_START_RE = new RegExp(
  `^(?:${PROVINCE_NAMES.join("|")}|(?!当地|本|该|外|此|其|各|全)[\\u4e00-\\u9fff]{1,4}?(?:自治州|自治县|省|市|县|区|旗))`,
);
/** A short type word followed by these characters is another word: 场所, 行为, 厂房 … */
const NOT_SHORT_TYPE_RE = /^(?:场[所地景合面次馆]|行[为政业驶动使程人车李走销情]|店[铺面]|馆[藏]|厂[房商址])/;
/** Dictionary tags of words that are places, directions, times or pronouns: never a trade name. */
const PLACE_WORD_TAGS = /^(?:f|s|t|r|m|q)$/;
/** A trade name that is this common a word needs a region before it: "小区物业公司" is no name. */
const COMMON_TRADE_WORD = 3000;

const LEFT_STOP_INDEX = byLastChar(ORG_LEFT_STOP_WORDS);
const BUSINESS_TYPE_INDEX = byLastChar(BUSINESS_TYPE_WORDS);
const STRONG_PUBLIC_INDEX = byLastChar(STRONG_PUBLIC_BODY_WORDS);

function leftStopWordEndingAt(norm: string, p: number): boolean {
  return wordEndingAt(LEFT_STOP_INDEX, norm, p, 0) !== undefined;
}

function adminSuffixEndingAt(norm: string, p: number): string | undefined {
  return ADMIN_SUFFIXES.find((s) => p >= s.length && norm.startsWith(s, p - s.length));
}

/** How far left a business name may reach from `typeStart`: stop characters, role words and verbs end it. */
function leftLimit(norm: string, typeStart: number): number {
  let p = typeStart;
  while (p > 0 && typeStart - p < 18) {
    const ch = norm[p - 1];
    if (ch === ")" || ch === "）") {
      const open = Math.max(norm.lastIndexOf("(", p - 1), norm.lastIndexOf("（", p - 1));
      if (open >= 0 && p - open <= 10 && /^[(（][\u4e00-\u9fff]+[)）]$/.test(norm.slice(open, p))) {
        p = open;
        continue;
      }
      break;
    }
    // Latin letters and digits belong to trade names ("示例市3M贸易有限公司"); jieba's tags sort out "2025年".
    if (!(isHan(ch) || /[A-Za-z0-9&]/.test(ch)) || LEFT_STOP_CHARS.has(ch) || leftStopWordEndingAt(norm, p)) break;
    // "…市场监管局立案查办宏达建材厂": a public body ends the name before it.
    if (wordEndingAt(STRONG_PUBLIC_INDEX, norm, p, 0)) break;
    // "鑫源公司和宏达公司": the other business's type word ends this one.
    if (p < typeStart && wordEndingAt(BUSINESS_TYPE_INDEX, norm, p, 0)) break;
    p--;
  }
  return p;
}

/**
 * The start of the trade name ending at `tradeEnd`, not before `limit`: jieba tokens from the right, at least
 * two characters of anything name-like, then nouns and adjectives up to six characters; a region ends it.
 */
function tradeStart(norm: string, seg: Segmentation, limit: number, tradeEnd: number): number {
  let p = tradeEnd;
  while (p > limit) {
    const t = seg.tokens[seg.tokenAt[p - 1]];
    if (!t) break;
    const start = Math.max(t.start, limit);
    const have = tradeEnd - p;
    // Below two characters any tag goes: jieba reads rare trade names as anything ("顺/p 安/v", "何/r 晓东").
    if (have >= 2 && NOT_TRADE_TAGS.test(t.tag) && !LATIN_TRADE.test(t.word)) {
      // "何/r 晓东牛肉面馆": a surname that makes the trade name a person's name.
      const owner = norm.slice(p - 1, tradeEnd);
      if (p - start === 1 && ownerName(owner) && SINGLE_SURNAMES.has(owner[0])) p--;
      break;
    }
    // A place word of jieba's before the trade name is its region: "宁波/ns 天马机械制造有限公司".
    if (have >= 2 && t.tag === "ns" && t.word.length >= 2) {
      p = start;
      break;
    }
    if (have >= 2 && (GENERIC_TRADE_TAGS.test(t.tag) || have + p - start > 6)) break;
    if (have + p - start > 8) break;
    if (have >= 1 && (adminSuffixEndingAt(norm, p) || PROVINCES.some((w) => norm.startsWith(w, p - w.length)))) break;
    p = start;
  }
  return p;
}

/** Region units directly before `p` and not before `limit`: "示例市甲区", "浙江", "示例市（甲县）". */
function regionStart(norm: string, seg: Segmentation, p: number, limit: number): number {
  for (let k = 0; k < 5 && p > limit; k++) {
    const paren = /[(（][\u4e00-\u9fff]{1,8}[)）]$/.exec(norm.slice(Math.max(limit, p - 10), p));
    if (paren) {
      p -= paren[0].length;
      continue;
    }
    const suffix = adminSuffixEndingAt(norm, p);
    if (suffix) {
      const nameEnd = p - suffix.length;
      let q = nameEnd;
      while (nameEnd - q < 4 && q > limit && isHan(norm[q - 1]) && !LEFT_STOP_CHARS.has(norm[q - 1])) {
        if (nameEnd - q >= 1 && adminSuffixEndingAt(norm, q)) break;
        const t = seg.tokens[seg.tokenAt[q - 1]];
        if (t && t.end <= nameEnd && (NOT_TRADE_TAGS.test(t.tag) || GENERIC_TRADE_TAGS.test(t.tag))) break;
        q--;
      }
      if (q === nameEnd) break;
      p = q;
      continue;
    }
    const province = PROVINCES.find((w) => p - w.length >= limit && norm.startsWith(w, p - w.length));
    if (!province) break;
    p -= province.length;
  }
  return p;
}

interface BusinessSpan {
  start: number;
  end: number;
  parts: OrgParts;
  kind: "COMPANY_NAME" | "SHOP_NAME";
}

/** The type words from `typeStart` on: "集团有限公司", then a branch ("甲县分公司"). Returns the end. */
function typeEnd(norm: string, typeStart: number, first: string): number {
  let end = typeStart + first.length;
  let type = first;
  if (!SHORT_TYPES.has(first)) {
    for (;;) {
      // "…大药房连锁有限公司": industry words between two type words belong to the name.
      let p = end;
      for (let k = 0; k < 2; k++) {
        const w = INDUSTRY.find((x) => norm.startsWith(x, p));
        if (!w) break;
        p += w.length;
      }
      TYPE_AT_RE.lastIndex = p;
      const more = TYPE_AT_RE.exec(norm);
      if (!more || SHORT_TYPES.has(more[0])) break;
      type += norm.slice(end, p) + more[0];
      end = p + more[0].length;
    }
  }
  const branch = /公司|集团/.test(type) ? BRANCH_TAIL_RE.exec(norm.slice(end, end + 9)) : null;
  return branch ? end + branch[0].length : end;
}

/** A business name whose (first) type word starts at typeStart, or undefined. */
function businessAt(
  norm: string,
  seg: Segmentation,
  typeStart: number,
  first: string,
  words: WordLookup,
): BusinessSpan | undefined {
  const last = first[first.length - 1];
  if (first.length > 1 && SHORT_TYPES.has(last)) {
    // "黄志勇烟酒店": 烟酒 + 店 rather than 烟 + 酒店.
    const industry = industryEndingAt(norm, typeStart + first.length - 1, 0);
    if (industry && industry.length > first.length - 1) {
      return businessAt(norm, seg, typeStart + first.length - 1, last, words);
    }
  }
  const end = typeEnd(norm, typeStart, first);
  const limit = leftLimit(norm, typeStart);
  let industryStart = typeStart;
  for (let k = 0; k < 3; k++) {
    const w = industryEndingAt(norm, industryStart, limit);
    if (!w) break;
    industryStart -= w.length;
  }
  if (SHORT_TYPES.has(first) && industryStart === typeStart) return undefined;
  // "物业公司", "对建材厂": an industry word and a type word make a description, not a name.
  if (industryStart - limit < 2) return undefined;
  // A region right at the left limit starts the name, whatever the words in between: "示例市顺风驾驶员培训学校…".
  const before = norm.slice(limit, industryStart);
  const regionLen = REGION_AT_START_RE.test(before) ? regionLength(before, 2) : 0;
  const trade = regionLen > 0 ? limit + regionLen : tradeStart(norm, seg, limit, industryStart);
  const tradeName = norm.slice(trade, industryStart);
  if (tradeName.length < 2) return undefined;
  if (NOT_TRADE_NAME_STARTS.some((w) => tradeName.startsWith(w)) || /[家个些类种批]$/.test(tradeName)) return undefined;
  const start = regionStart(norm, seg, trade, limit);
  const entry = words(tradeName);
  // "楼下餐馆", "对面超市", "本地商行": a place, direction or pronoun is no trade name.
  if (entry && PLACE_WORD_TAGS.test(entry.tag)) return undefined;
  if (start === trade && (entry?.freq ?? 0) >= COMMON_TRADE_WORD) return undefined;
  const name = norm.slice(start, end);
  if (name.includes("某") || isPublicBody(name)) return undefined;
  const parts = parseOrgName(name);
  return { start, end, parts, kind: businessKind(parts, (w) => words(w) !== undefined) };
}

/**
 * Businesses named in the text: a type word (有限公司, 合作社, 经营部, 超市 …, or 厂/店/馆 after an industry word),
 * an optional industry, a trade name of its own (not 该/某/涉案/物业 …) and the region before it.
 * `words` looks a word up in jieba's dictionary.
 */
export function detectBusinesses(src: Source, seg: Segmentation, words: WordLookup): Finding[] {
  const { text, norm } = src;
  const out: Finding[] = [];
  let lastEnd = -1;
  for (const m of matchesOf(TYPE_RE, norm)) {
    if (m.index < lastEnd) continue;
    // "厂区", "店内" still end a name; "行为", "场所", "厂房" are other words; 厂/店/馆 … need an industry word.
    if (SHORT_TYPES.has(m[0])) {
      if (NOT_SHORT_TYPE_RE.test(norm.slice(m.index, m.index + 2)) || !industryEndingAt(norm, m.index, 0)) continue;
    }
    const b = businessAt(norm, seg, m.index, m[0], words);
    if (!b) continue;
    out.push(makeFinding(b.kind, text, b.start, b.end, orgReplacement(b.parts, b.kind)));
    lastEnd = b.end;
  }
  return out;
}
