// 详细地址 for the 脱敏检查: addresses below county level, to their last unit ("…114号院6号楼2单元301室"). The
// replacement keeps the part up to the county-level unit: "示例市甲县某处". Pure.

import { isHan, makeFinding, matchesOf, type Finding, type Source } from "./finding";

const NUM = "(?:\\d{1,5}(?:-\\d{1,5})?|[A-Za-z]\\d{0,4}|[一二三四五六七八九十百零〇]{1,4})";
const UNIT = "(?:号院|号楼|号|栋|幢|座|单元|室|楼|层|户|组|队|排|弄|巷|区|期)";
/** One unit after the core: "6号楼", "2单元", "301室", "B座", "2-301", "附3号". */
const TOKEN = `(?:(?:附|之)?${NUM}${UNIT}|\\d{1,4}(?:-\\d{1,4})+(?!\\d)|-\\d{1,5}(?:室|号)?)`;
/** A building after the house number: "588号西溪首座B2幢1楼", "380号城西银泰城1号楼". */
const BUILDING = `(?:[\\u4e00-\\u9fff]{2,8}?${TOKEN}+)?`;
/** A bare room number after 单元/楼/幢: "2号楼1单元101". */
const ROOM = "(?:(?<=单元|楼|幢|栋|座|层)\\d{2,4}(?![\\d号室]))?";
const ROAD_CORE = `(?:大街|大道|路|街|巷|弄|胡同)(?:${NUM}[弄巷])?\\d{1,5}(?:-\\d{1,5})?(?:号院|号楼|号)${TOKEN}*${BUILDING}${ROOM}`;
const VILLAGE_CORE =
  `村(?:\\d{1,3}|[一二三四五六七八九十]{1,3})(?:组|队|社)${TOKEN}*` +
  "|(?:新村|村|社区|小区|花园|公寓|大厦|家园|苑|大楼|广场|山庄|工业区|工业园|产业园|科技园|园区|庄园|新城|花苑|雅苑" +
  `|名苑|嘉园|佳园|府|城|湾|园|里)${TOKEN}+${ROOM}`;
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

/** Extends a span start back over the 省/市/县/镇 units before it; returns the new start and the keep end. */
function extendOverUnits(norm: string, from: number): { start: number; keepEnd: number } {
  let start = from;
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
  return { start, keepEnd };
}

/** The street- or village-level core at `core`, extended back over its name and the 省/市/县/镇 units before it. */
function addressSpan(norm: string, core: number, coreEnd: number): AddressSpan | undefined {
  const nameStart = placeNameStart(norm, core, 6);
  if (nameStart === core) return undefined;
  const { start, keepEnd } = extendOverUnits(norm, nameStart);
  return { start, end: coreEnd, keepEnd };
}

/** Words after which a place is where someone lives or is served: "住", "家住", "户籍地：", "送达地址为". */
const RESIDENCE_CUE_RE = new RegExp(
  "(?:家住|住址|住所地?|居住地?|居住于|居住在|现住|暂住|租住于?|租住在|户籍地|户籍所在地|经常居住地|" +
    "送达地址|联系地址|收货地址|收件地址|寄件地址|通讯地址|地址|住)(?:为|是|在|于)?\\s*[:：]?\\s*",
  "g",
);
/**
 * Words after which a place is where a business or an event is ("位于", "经营场所为"): an address only down to
 * a village, community or street ("位于甲县青石镇青石村，"), not a town ("位于青石镇的某企业").
 */
const LOCATION_CUE_RE = new RegExp(
  "(?:位于|坐落于|经营场所|经营地址|注册地址|营业地址|实际经营地|生产地址|厂址|发生地|案发地)" +
    "(?:为|是|在|于|位于)?\\s*[:：]?\\s*",
  "g",
);
const VILLAGE_LEVEL = /(?:村|组|社区|小区|新村|胡同|大街|大道|路|街|巷|弄)$/;
/** Units of a place chain after a residence cue, longest first. */
const CHAIN_UNIT_RE = new RegExp(
  "^[\\u4e00-\\u9fff]{1,8}?(?:特别行政区|自治区|自治州|自治县|开发区|高新区|街道|社区|小区|新村|胡同|大街|大道|" +
    "省|市|县|区|旗|镇|乡|村|组|路|街|巷|弄)",
);
const CHAIN_DETERMINERS = /^(?:该|本|此|其|某|同|邻|外|各|附近|当地|辖区|全|周边|一)/;

/**
 * A place chain after a residence cue that reaches below county level without a house number and ends the
 * phrase: "现住甲县青石镇青石村，", "户籍地：示例市甲区朝晖街道朝晖社区。".
 */
function residenceSpans(norm: string): AddressSpan[] {
  const out: AddressSpan[] = [];
  const cues = [
    ...matchesOf(RESIDENCE_CUE_RE, norm).map((m) => ({ m, village: false })),
    ...matchesOf(LOCATION_CUE_RE, norm).map((m) => ({ m, village: true })),
  ];
  for (const { m, village } of cues) {
    const from = m.index + m[0].length;
    let pos = from;
    let keepEnd = -1;
    let low = false;
    for (let units = 0; units < 8; units++) {
      const u = CHAIN_UNIT_RE.exec(norm.slice(pos, pos + 12));
      if (!u || u[0].includes("某") || (units === 0 && CHAIN_DETERMINERS.test(u[0]))) break;
      // "地址登记为示例市…", "租住的房屋位于…": a unit name holds no function word.
      if ([...u[0]].some((c) => PLACE_STOP.has(c))) break;
      const unit = ADMIN_SUFFIXES.find((s) => u[0].endsWith(s)) ?? "";
      if (KEPT_SUFFIXES.has(unit) && !low) keepEnd = pos + u[0].length;
      else low = true;
      pos += u[0].length;
    }
    // "住房和城乡建设局" is no address: the chain must end the phrase.
    if (!low || pos === from || isHan(norm[pos])) continue;
    if (village && !VILLAGE_LEVEL.test(norm.slice(from, pos))) continue;
    out.push({ start: from, end: pos, keepEnd });
  }
  return out;
}

/**
 * Addresses below county level: a 路/街/大道/巷/弄/胡同 + 号 or 村/组/社区/小区 + 号/栋/幢/单元/室/楼 core, with the
 * place names before it, or a place chain down to 村/社区/街道 after 住/住址/户籍地. The replacement keeps the
 * part up to the county-level unit: "示例市甲县某处".
 */
export function detectAddresses(src: Source): Finding[] {
  const { text, norm } = src;
  const spans: AddressSpan[] = [];
  for (const m of matchesOf(ADDRESS_CORE_RE, norm)) {
    const span = addressSpan(norm, m.index, m.index + m[0].length);
    if (span) spans.push(span);
  }
  spans.push(...residenceSpans(norm));
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: AddressSpan[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    // "幸福路12号阳光小区5幢501室": two cores, one address.
    if (last && span.start <= last.end) {
      if (span.end > last.end) last.end = span.end;
    } else merged.push({ ...span });
  }
  return merged.map((s) =>
    makeFinding("ADDRESS", text, s.start, s.end, `${s.keepEnd > s.start ? text.slice(s.start, s.keepEnd) : ""}某处`),
  );
}
