// Structured identifiers for the 脱敏检查: ID numbers, passports, 港澳通行证, phone numbers, bank cards, plates,
// e-mail, QQ and WeChat ids, and the 统一社会信用代码 of 个体工商户. Pure: regular expressions over the
// width-normalized text (full-width digits and letters are ASCII there), offsets shared with the original.

import { REMOVED, makeFinding, matchesOf, type Finding, type Source } from "./finding";
import { PLATE_PROVINCES } from "./surnames";

// ---------------------------------------------------------------------------------------------------------------
// 身份证号码

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

/** 18 characters with a known province and a plausible birth date: the shape of an ID, whatever its check. */
function hasIdStructure(id: string, today: Date): boolean {
  if (!/^\d{17}[\dXx]$/.test(id) || !ID_PROVINCES.has(id.slice(0, 2))) return false;
  return isPlausibleBirthDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)), today);
}

/** 18-digit 居民身份证号码: known province, plausible birth date, MOD 11-2 check character. */
export function isValidIdNumber(id: string, today: Date = new Date()): boolean {
  return hasIdStructure(id, today) && idCheckChar(id.slice(0, 17)) === id[17].toUpperCase();
}

/** Digit groups separated by single spaces or hyphens ("330102 19870315 4024"), optionally ending in X. */
const DIGIT_CHAIN_RE = /(?<![0-9A-Za-z])\d+(?:[ -]\d+)*(?:[ -]?[Xx])?(?![0-9A-Za-z])/g;
const ID15_RE = /(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])/g;
const ACCOUNT_CONTEXT_RE =
  /(?:卡号|账号|帐号|账户|帐户|银行卡|信用卡|储蓄卡|开户行|收款账|付款账|转账至|转账到|转入|汇入|汇款至|存入|打款至)[^0-9\n]{0,8}$/;
const ID_CONTEXT_RE = /(?:身份证|身份号码|证件号|公民身份)[^0-9\n]{0,10}$/;

interface Piece {
  start: number;
  end: number;
  /** Digits (and a final X) without separators. */
  chars: string;
}

/**
 * Every run of consecutive groups in a digit chain that holds exactly `length` characters: "身份证号
 * 330102198703154024 13812345678" yields the ID although the chain goes on with a phone number.
 */
function piecesOf(norm: string, chainStart: number, chain: string, length: number): Piece[] {
  const groups: Piece[] = [];
  const re = /\d+|[Xx]/g;
  for (const m of matchesOf(re, chain)) {
    groups.push({ start: chainStart + m.index, end: chainStart + m.index + m[0].length, chars: m[0] });
  }
  const out: Piece[] = [];
  for (let a = 0; a < groups.length; a++) {
    let chars = "";
    for (let b = a; b < groups.length && chars.length < length; b++) {
      chars += groups[b].chars;
      if (chars.length === length) out.push({ start: groups[a].start, end: groups[b].end, chars });
    }
  }
  return out.filter((p) => p.start === chainStart || !/[Xx]/.test(norm[p.start]));
}

/** Is the span led by an account label ("卡号", "账户" …) within a few characters? */
function inAccountContext(norm: string, start: number): boolean {
  return ACCOUNT_CONTEXT_RE.test(norm.slice(Math.max(0, start - 16), start));
}

/**
 * 18-character ID numbers, also grouped ("330102 19870315 4024", "330102-19870315-4024"), in full-width digits
 * or with a lowercase x. A wrong check character with a known region and a plausible birth date is still an ID
 * (suspect: a typo or a made-up number), unless an account label makes it a bank card. 15-digit (first
 * generation, no checksum) only right after "身份证…".
 */
export function detectIdNumbers(src: Source, today: Date): Finding[] {
  const { text, norm } = src;
  const out: Finding[] = [];
  for (const m of matchesOf(DIGIT_CHAIN_RE, norm)) {
    for (const p of piecesOf(norm, m.index, m[0], 18)) {
      if (!hasIdStructure(p.chars, today)) continue;
      const valid = idCheckChar(p.chars.slice(0, 17)) === p.chars[17].toUpperCase();
      if (valid) out.push(makeFinding("ID_NUMBER", text, p.start, p.end, REMOVED));
      else if (!inAccountContext(norm, p.start) || ID_CONTEXT_RE.test(norm.slice(Math.max(0, p.start - 16), p.start))) {
        out.push(makeFinding("ID_NUMBER", text, p.start, p.end, REMOVED, { suspect: true }));
      }
    }
  }
  for (const m of matchesOf(ID15_RE, norm)) {
    const s = m[0];
    const plausible =
      ID_PROVINCES.has(s.slice(0, 2)) &&
      isPlausibleBirthDate(1900 + Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12)), today);
    if (plausible && /身份证[^0-9]{0,8}$/.test(norm.slice(Math.max(0, m.index - 14), m.index))) {
      out.push(makeFinding("ID_NUMBER", text, m.index, m.index + 15, REMOVED));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 护照, 港澳通行证: after their label any plausible number, on their own only the Chinese formats

/** "护照号码：", "护照号为", "护照（号码：" … up to the number. */
const LABEL_TAIL = String.raw`\s*(?:号码|号)?\s*(?:[(（]\s*)?(?:号码|号|No\.?)?\s*(?:为|是)?\s*[:：]?\s*`;
const PASSPORT_LABELLED_RE = new RegExp(
  String.raw`(?:护照|passport|Passport|PASSPORT)${LABEL_TAIL}([A-Za-z]{1,2}\d{6,9}|\d{8,9})(?![0-9A-Za-z])`,
  "g",
);
/** 普通护照 E + 8 digits or E + letter + 7 digits; older G + 8 digits. */
const PASSPORT_BARE_RE = /(?<![0-9A-Za-z])(?:E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8})(?![0-9A-Za-z])/g;
const PERMIT_LABELLED_RE = new RegExp(
  String.raw`(?:港澳通行证|通行证|回乡证)${LABEL_TAIL}([CWHMcwhm][A-Za-z]?\d{7,10}(?:\(\d{2}\))?)(?![0-9A-Za-z])`,
  "g",
);
/** 往来港澳通行证: C + 8 digits or C + letter + 7 digits. */
const PERMIT_BARE_RE = /(?<![0-9A-Za-z])C(?:\d{8}|[A-HJ-NP-Z]\d{7})(?![0-9A-Za-z])/g;

function labelledValue(m: RegExpExecArray): { start: number; end: number } {
  const end = m.index + m[0].length;
  return { start: end - m[1].length, end };
}

export function detectPassports(src: Source): Finding[] {
  const out: Finding[] = [];
  for (const m of matchesOf(PASSPORT_LABELLED_RE, src.norm)) {
    const v = labelledValue(m);
    out.push(makeFinding("PASSPORT", src.text, v.start, v.end, REMOVED));
  }
  for (const m of matchesOf(PASSPORT_BARE_RE, src.norm)) {
    out.push(makeFinding("PASSPORT", src.text, m.index, m.index + m[0].length, REMOVED));
  }
  return out;
}

export function detectHkmoPermits(src: Source): Finding[] {
  const out: Finding[] = [];
  for (const m of matchesOf(PERMIT_LABELLED_RE, src.norm)) {
    const v = labelledValue(m);
    out.push(makeFinding("HKMO_PERMIT", src.text, v.start, v.end, REMOVED));
  }
  for (const m of matchesOf(PERMIT_BARE_RE, src.norm)) {
    out.push(makeFinding("HKMO_PERMIT", src.text, m.index, m.index + m[0].length, REMOVED));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 手机号码

const MOBILE_RE = /(?<![0-9A-Za-z+])(?:(?:\+|00)?86[ -]?|\(\+?86\)[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z]|-\d)/g;

/** Mobile numbers 1[3-9]x xxxx xxxx, with +86 / 0086 / 86- / (+86) and space or hyphen groups. */
export function detectMobiles(src: Source): Finding[] {
  return matchesOf(MOBILE_RE, src.norm).map((m) =>
    makeFinding("MOBILE", src.text, m.index, m.index + m[0].length, REMOVED),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// 固定电话

const AREA = "(?:10|2\\d|[3-9]\\d{2})";
const LOCAL = "[1-9]\\d{2,3}[ -]?\\d{4}";
const EXTENSION = "(?:(?:-|转|分机|ext\\.?|EXT\\.?)\\s?\\d{1,5})?";
const LANDLINE_RE = new RegExp(
  "(?<![0-9A-Za-z+])(?:" +
    `(?:\\+?86|0086)[ -]?(?:\\(0?${AREA}\\)|0?${AREA})` +
    `|\\(0${AREA}\\)|0${AREA}` +
    `)[ \\-—–]?${LOCAL}${EXTENSION}(?![0-9A-Za-z])`,
  "g",
);
const BARE_LANDLINE_RE =
  /(?:电话|座机|固话|传真|Tel\.?|TEL\.?|tel\.?|Fax\.?|FAX\.?)(?:号码|号)?\s*(?:[:为是]\s*)?([2-9]\d{2,3}[ -]?\d{4})(?![0-9A-Za-z])/g;

/**
 * Landlines with an area code (0571-87654321, (010)1234-5678, 057187654321, +86 571 8765 4321) and an
 * extension (转8021, -8021); a bare 7–8-digit number only right after 电话/联系电话/座机/传真/Tel.
 */
export function detectLandlines(src: Source): Finding[] {
  const { text, norm } = src;
  const out = matchesOf(LANDLINE_RE, norm).map((m) =>
    makeFinding("LANDLINE", text, m.index, m.index + m[0].length, REMOVED),
  );
  for (const m of matchesOf(BARE_LANDLINE_RE, norm)) {
    const end = m.index + m[0].length;
    out.push(makeFinding("LANDLINE", text, end - m[1].length, end, REMOVED));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 银行卡号

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
/** Labels of numbers that are not cards: "流水号6222…" is a transaction. */
const NOT_CARD_CONTEXT_RE =
  /(?:流水号|订单号|编号|单号|批号|交易号|序列号|运单号|发票|条码|批次|合同号|文号|案号|登记号|注册号|证号|代码|码)[^0-9\n]{0,4}$/;

/** A government collection account (罚没款, 非税收入 …) is published on purpose. */
const PUBLIC_ACCOUNT_RE = /财政|国库|非税|汇缴|罚没|执收|代收罚款/;

/**
 * Bank cards: 16–19 digits (also in groups of 4) passing Luhn, or a UnionPay 62… number of that length, and not
 * an ID number. Right after 卡号/账号/账户 any 12–25-digit number counts: corporate accounts do not follow Luhn.
 */
export function detectBankCards(src: Source, today: Date): Finding[] {
  const { text, norm } = src;
  const out: Finding[] = [];
  const consider = (start: number, raw: string) => {
    const digits = raw.replace(/\D/g, "");
    if (digits.length < 12 || digits.length > 25) return;
    const before = norm.slice(Math.max(0, start - 16), start);
    // "罚款缴至…财政局非税收入汇缴结算户，账号…": a public account, not personal data.
    const publicAccount = PUBLIC_ACCOUNT_RE.test(norm.slice(Math.max(0, start - 40), start));
    const inContext = ACCOUNT_CONTEXT_RE.test(before) && !publicAccount;
    // An ID's shape is an ID (detectIdNumbers), unless an account label makes a wrong check digit a card.
    if (digits.length === 18 && hasIdStructure(digits, today) && !(inContext && !isValidIdNumber(digits, today))) {
      return;
    }
    const cardLength = digits.length >= 16 && digits.length <= 19;
    const luhnCard = cardLength && luhnValid(digits);
    const unionPay = cardLength && digits.startsWith("62") && !NOT_CARD_CONTEXT_RE.test(before);
    if (luhnCard || unionPay || inContext) out.push(makeFinding("BANK_CARD", text, start, start + raw.length, REMOVED));
  };
  for (const m of matchesOf(CARD_PLAIN_RE, norm)) consider(m.index, m[0]);
  for (const m of matchesOf(CARD_GROUPED_RE, norm)) consider(m.index, m[0]);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 车牌号

const PLATE_RE = new RegExp(
  `[${PLATE_PROVINCES}] ?[A-Za-z]` +
    "(?:[·•・. -]?[A-Za-z0-9]{5,6}[警学挂领试超]?|[·•・. -]?[A-Za-z0-9]{4}[警学挂领港澳试超]" +
    "|[A-Za-z][·•・. -][A-Za-z0-9]{5})(?![A-Za-z0-9])",
  "gu",
);

/**
 * Vehicle plates: province abbreviation + letter + 5 characters (6 for new-energy, 4 + 警/学/挂 …), at least
 * three digits after the issuing-authority letter. The replacement keeps the (non-identifying) "浙A".
 */
export function detectPlates(src: Source): Finding[] {
  const { text, norm } = src;
  return matchesOf(PLATE_RE, norm)
    .filter((m) => (m[0].slice(2).match(/\d/g) ?? []).length >= 3)
    .map((m) => {
      const head = text
        .slice(m.index, m.index + 3)
        .replace(/\s/g, "")
        .slice(0, 2);
      return makeFinding("PLATE", text, m.index, m.index + m[0].length, `${head}×××××`);
    });
}

// ---------------------------------------------------------------------------------------------------------------
// 电子邮箱

const DOMAIN_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const EMAIL_RE = new RegExp(
  `(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*\\.[A-Za-z]{2,}` +
    "(?![A-Za-z0-9-])",
  "g",
);

export function detectEmails(src: Source): Finding[] {
  return matchesOf(EMAIL_RE, src.norm).map((m) =>
    makeFinding("EMAIL", src.text, m.index, m.index + m[0].length, REMOVED),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// QQ, 微信

const ACCOUNT_TAIL = String.raw`\s*(?:号码|号|账号|帐号|ID|id|Id)?\s*(?:[(（]\s*)?(?:号码|号|ID|id)?\s*(?:为|是)?\s*[:：]?\s*[“"‘'「『【]?`;
const QQ_RE = new RegExp(String.raw`(?:QQ|qq|Qq|扣扣)(?!群|邮箱)${ACCOUNT_TAIL}([1-9]\d{4,11})(?![0-9A-Za-z@])`, "g");
const WECHAT_ID = String.raw`wxid_[A-Za-z0-9]{4,24}|[A-Za-z][-_A-Za-z0-9]{5,19}|\+?\d{5,13}`;
const WECHAT_RE = new RegExp(
  String.raw`(?:微信|VX|vx|Vx|V信|v信|WeChat|wechat|Wechat)(?!群|公众号|支付|转账|红包|小程序)${ACCOUNT_TAIL}` +
    String.raw`(${WECHAT_ID})(?![0-9A-Za-z@_-])`,
  "g",
);
const WXID_RE = /(?<![0-9A-Za-z_])wxid_[A-Za-z0-9]{4,24}(?![0-9A-Za-z_])/g;
/** "QQ：12345678、87654321": more accounts of the same kind after 、/和/或/，. */
const MORE_ACCOUNTS_RE = /^\s*(?:、|和|或|及|,|\/)\s*/;

function withFollowers(src: Source, kind: "QQ" | "WECHAT", start: number, end: number, valueRe: RegExp): Finding[] {
  const out = [makeFinding(kind, src.text, start, end, REMOVED)];
  let pos = end;
  for (;;) {
    const sep = MORE_ACCOUNTS_RE.exec(src.norm.slice(pos, pos + 4));
    if (!sep) break;
    const v = valueRe.exec(src.norm.slice(pos + sep[0].length, pos + sep[0].length + 30));
    if (!v) break;
    const s = pos + sep[0].length;
    out.push(makeFinding(kind, src.text, s, s + v[0].length, REMOVED));
    pos = s + v[0].length;
  }
  return out;
}

/** QQ numbers right after "QQ"/"QQ号"/"QQ号码：" (not QQ群), and the ones listed after them. */
export function detectQq(src: Source): Finding[] {
  return matchesOf(QQ_RE, src.norm).flatMap((m) => {
    const v = labelledValue(m);
    return withFollowers(src, "QQ", v.start, v.end, /^[1-9]\d{4,11}(?![0-9A-Za-z@])/);
  });
}

/** WeChat ids right after "微信"/"微信号："/"VX" (not 微信群/公众号/支付), and wxid_… anywhere. */
export function detectWechat(src: Source): Finding[] {
  const out = matchesOf(WECHAT_RE, src.norm).flatMap((m) => {
    const v = labelledValue(m);
    return withFollowers(src, "WECHAT", v.start, v.end, new RegExp(`^(?:${WECHAT_ID})(?![0-9A-Za-z@_-])`));
  });
  for (const m of matchesOf(WXID_RE, src.norm)) {
    out.push(makeFinding("WECHAT", src.text, m.index, m.index + m[0].length, REMOVED));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// 统一社会信用代码 of 个体工商户

const CREDIT_CODE_RE = /(?<![0-9A-Za-z])92\d{6}[0-9A-Za-z]{10}(?![0-9A-Za-z])/g;

/**
 * 统一社会信用代码 starting with 92 (登记管理部门 9 = 市场监管, 机构类别 2 = 个体工商户): they identify a natural
 * person's business. Company (91), public-institution (12) and government (11) codes are public.
 */
export function detectCreditCodes(src: Source): Finding[] {
  return matchesOf(CREDIT_CODE_RE, src.norm).map((m) =>
    makeFinding("CREDIT_CODE", src.text, m.index, m.index + m[0].length, REMOVED),
  );
}
