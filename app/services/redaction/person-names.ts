// Names of natural persons found without the party list (PERSON_NAME), for the 脱敏检查.
//
// Every surname (single, rarer or compound) followed by one or two given-name characters is a candidate. A
// candidate is scored on:
//  - how much it looks like a name: given-name characters (伟, 丽, 建国 … but not 度, 边, 务, 贴), the surname's
//    tier, and jieba's dictionary: a common word (高度 6119, 周边 1722, 白天 1456) is probably not a name, a word
//    cut in two ("孔繁|荣") is a wrong boundary;
//  - the words before it: a role (当事人, 申请人, 证人, 驾驶人, 法定代表人, 其妻 …) or an occupation noun (操作工,
//    保洁员), a verb taking a person (雇佣, 约谈), a preposition (与, 向, 对, 据) or the start of a sentence or
//    clause ("杨文博在其…", "经查，王建国于…");
//  - the words after it: "（男，", "等人", "二人", "先生/女士", "，身份证号…" (strong), or a verb, preposition or
//    adverb (jieba's tags and a word list: 因/系/于/称/在/驾驶/经营/表示 …), or punctuation; a place or
//    organization word (市, 路, 公司, 等地) counts against it.
// Scores add up; from THRESHOLD on a candidate is a name. Accepted names then pass acceptance on to the names
// listed with them ("吴海涛、周建平、郑春花等人") and to their other mentions in the text. "刘女士", "李师傅"
// (surname + 先生/女士/师傅 …) are findings as a whole; names with a middle dot ("阿依古丽·买买提") need a role
// word or a clause start and a verb. Already-redacted forms (王某, 张某某, 李某甲) and job titles (张科长) are
// never candidates. The weights were set on the development corpus (corpus.ts) and on sentences written
// separately to check that they generalize.

import { isHan, makeFinding, type Finding, type Source } from "./finding";
import type { DictEntry, Segmentation } from "./segmenter";
import {
  ADDRESS_TITLES,
  AFTER_NAME_WORDS,
  COMMON_SURNAMES,
  COMPOUND_SURNAMES_FOR_DETECTION,
  EXTENDED_SURNAMES,
  GIVEN_NAME_CHARS,
  JOB_TITLES,
  NOT_NAME_WORDS,
  PERSON_OBJECT_VERBS,
  PERSON_ROLE_WORDS,
  WEAK_SURNAMES,
} from "./surnames";

/** Score from which a candidate is a name. */
const THRESHOLD = 3;
/** Cost of a surname that is mostly another word (于, 向, 明 …); after a role word it costs less. */
const WEAK_TIER = -2.5;
const WEAK_TIER_AFTER_ROLE = -1.5;
/** Bonus for a candidate listed right next to an accepted name ("张三、李四"). */
const LIST_BONUS = 2.5;

const COMMON = new Set(COMMON_SURNAMES);
const EXTENDED = new Set(EXTENDED_SURNAMES);
const WEAK = new Set(WEAK_SURNAMES);
const COMPOUND = new Set(COMPOUND_SURNAMES_FOR_DETECTION);
/** Per UTF-16 code unit: which kinds of surname the character can start (a table is faster than sets). */
const SURNAME_KIND = new Uint8Array(0x10000);
const [COMMON_BIT, EXTENDED_BIT, WEAK_BIT, COMPOUND_FIRST_BIT] = [1, 2, 4, 8];
for (const c of COMMON) SURNAME_KIND[c.charCodeAt(0)] |= COMMON_BIT;
for (const c of EXTENDED) SURNAME_KIND[c.charCodeAt(0)] |= EXTENDED_BIT;
for (const c of WEAK) SURNAME_KIND[c.charCodeAt(0)] |= WEAK_BIT;
for (const s of COMPOUND) SURNAME_KIND[s.charCodeAt(0)] |= COMPOUND_FIRST_BIT;
const GIVEN = new Set([...GIVEN_NAME_CHARS]);
const NOT_NAMES = new Set(NOT_NAME_WORDS);
const ROLES = new Set(PERSON_ROLE_WORDS);
const OBJECT_VERBS = new Set(PERSON_OBJECT_VERBS);
const AFTER_WORDS = new Set(AFTER_NAME_WORDS);
const TITLES = new Set(ADDRESS_TITLES);
const JOBS = new Set(JOB_TITLES);
const maxLength = (words: Iterable<string>) => Math.max(...[...words].map((w) => w.length));
const ROLE_MAX = maxLength(ROLES);
const VERB_MAX = maxLength(OBJECT_VERBS);
const JOB_MAX = maxLength(JOBS);

/** Characters that never stand in a given name (function words, units, 某 …). */
const NON_GIVEN = new Set([
  ..."某村镇县市区省路街店厂司局委会队站院部号年日时分秒吨件个辆次条款项类的了是这那其此该们之所及等人者处罚法案",
  ..."证照据表书函令费额率量性型式面内外后间段期地场房车船于在被对向因系称将把与并未已无不没也都就但而或又再曾即仍却",
  ..."还则让使给从到过着和记氏",
]);
/** Right after the name, evidence of a person on its own: "（男，", "等人", "，身份证号…", "（化名）". */
const STRONG_RIGHT_RE = new RegExp(
  "^(?:[(,，]\\s*[男女](?:[,，)）性]|$)" +
    "|[,，]\\s*(?:男|女)[,，。；]" +
    "|等(?:\\d+|[二三四五六七八九十两几多]+)?(?:人|名)" +
    "|[二两三四五六七八九十]人" +
    "|夫妇|夫妻|父子|母子|母女|父女|兄弟|姐妹|兄妹|姐弟" +
    "|[(（](?:化名|曾用名|系|男|女|\\d{4}年|身份证|公民身份)" +
    "|[,，]\\s*(?:公民)?身份(?:证|号码)" +
    "|[,，]\\s*\\d{4}年\\d{1,2}月(?:\\d{1,2}日)?(?:出生|生)" +
    "|[,，]\\s*(?:现年|年龄)?\\d{1,3}岁" +
    "|[,，]\\s*[男女]?[,，]?\\s*(?:汉族|回族|满族|壮族|苗族|土家族|蒙古族|藏族|维吾尔族|彝族|侗族|瑶族|白族|畲族)" +
    ")",
);
/** Place and organization words after a name-like span make it a place or an organization. */
const PLACE_OR_ORG_RIGHT_RE =
  /^(?:[省市县区镇乡村路街巷弄州湖河山江桥港湾屯寨庄坊里]|公司|集团|大道|街道|社区|小区|等(?:地|处|省|市|县|区|国|单位|部门|企业|城市|方面|行业))/;
/** Landforms and settlements after 家 in place names: 杨家岭, 王家坝, 张家湾, 李家庄. */
const PLACE_AFTER_JIA = new Set([..."岭湾坝沟庄村屯寨坡坪岗堡河桥口营集埠墩垄塘湖山峪洼圩"]);
/** Last characters of occupation nouns: 操作工, 保洁员, 厨师, 记者, 店长, 摊主, 农户, 商贩, 歌手. */
const OCCUPATION_END = new Set([..."工员师者长主户贩手匠"]);
const CLAUSE_START_CHARS = new Set([..."。！？；：，、\n（(“\"'【《〈「『,;:!?"]);
const PREPOSITIONS = new Set([..."与和及同跟向对由被将把给据让叫令替帮经请带陪使"]);
/** Two-character prepositions: "根据许文博的陈述", "经过王某同意". */
const LONG_PREPOSITIONS = new Set([
  "根据",
  "按照",
  "依据",
  "经过",
  "通过",
  "对于",
  "关于",
  "针对",
  "鉴于",
  "除了",
  "作为",
]);
/** After "的", what belongs to a person: "许文博的陈述", "孙丽的电动车", "王芳的妻子". */
const PERSONAL_AFTER_DE_RE = new RegExp(
  "^的(?:陈述|供述|证言|说法|口供|证词|签名|签字|笔录|身份证|户籍|手机|电话|微信|银行卡|账户|车辆|汽车|电动车|" +
    "电动三轮车|摩托车|妻子|丈夫|儿子|女儿|父亲|母亲|家属|亲属|家人|邻居|朋友|同事|住所|住处|家中|名下|店铺|网店)",
);
const LIST_SEPARATORS = ["以及", "、", "，", ",", "和", "及", "与", "或"];
/** jieba tags of the word after a name that make the name a subject: verbs, prepositions, adverbs. */
const VERB_TAGS = /^(?:v|vn|vd|vg|p|d|ad|c)$/;
/** Dictionary tags of words that are never names: time, direction, adverb, pronoun, numeral, verb … */
const NEVER_NAME_TAGS = /^(?:t|tg|f|d|ad|p|c|r|m|q|u|v|vd|vg|a|an|i|l)$/;

export type WordLookup = (word: string) => DictEntry | undefined;

interface Candidate {
  start: number;
  end: number;
  surname: string;
  /** Name-likeness and right context, without the left context. */
  base: number;
  /** Role word, object verb, clause start, preposition. */
  left: number;
  strongLeft: boolean;
}

const score = (c: Candidate) => c.base + c.left;

class NameScanner {
  private readonly norm: string;

  constructor(
    src: Source,
    private readonly seg: Segmentation,
    readonly words: WordLookup,
  ) {
    this.norm = src.norm;
  }

  surnameAt(i: number): { surname: string; tier: number } | undefined {
    const kind = SURNAME_KIND[this.norm.charCodeAt(i)];
    if (!kind) return undefined;
    const ch = this.norm[i];
    if (kind & COMPOUND_FIRST_BIT) {
      const two = this.norm.slice(i, i + 2);
      if (COMPOUND.has(two)) return { surname: two, tier: 0 };
    }
    if (kind & WEAK_BIT) return { surname: ch, tier: WEAK_TIER };
    if (kind & COMMON_BIT) return { surname: ch, tier: 0 };
    if (kind & EXTENDED_BIT) return { surname: ch, tier: -0.5 };
    return undefined;
  }

  /** A word of `set` (at most `max` characters) ends at r. */
  private setWordEndsAt(r: number, set: ReadonlySet<string>, max: number): boolean {
    for (let len = 1; len <= max && len <= r; len++) if (set.has(this.norm.slice(r - len, r))) return true;
    return false;
  }

  /**
   * A word of `set` ends at p, after skipping "：", spaces and a short parenthesis ("申请人（原告）") — and, with
   * copula, 为/是/系 — before p.
   */
  private wordEndingAt(p: number, set: ReadonlySet<string>, max: number, copula: boolean): boolean {
    let q = p;
    while (q > 0 && (this.norm[q - 1] === ":" || this.norm[q - 1] === " ")) q--;
    if (q > 0 && this.norm[q - 1] === ")") {
      const open = this.norm.lastIndexOf("(", q - 1);
      if (open >= 0 && q - open <= 8 && this.setWordEndsAt(open, set, max)) return true;
    }
    if (this.setWordEndsAt(q, set, max)) return true;
    return copula && q > 0 && "为是系".includes(this.norm[q - 1]) && this.setWordEndsAt(q - 1, set, max);
  }

  /** An occupation noun of jieba's right before i: "操作工", "保洁员", "记者", "厨师" (not a whole list). */
  private occupationBefore(i: number): boolean {
    if (i === 0) return false;
    const t = this.seg.tokens[this.seg.tokenAt[i - 1]];
    if (!t || t.end !== i || t.word.length < 2) return false;
    return OCCUPATION_END.has(t.word[t.word.length - 1]) && /^(?:n|x)/.test(t.tag);
  }

  /** A noun of three or more characters ending in 人 right before i: "被侵权人", "纳税人", "经办人". */
  private agentNounBefore(i: number): boolean {
    if (i < 3 || this.norm[i - 1] !== "人") return false;
    const t = this.seg.tokens[this.seg.tokenAt[i - 1]];
    if (t && t.end === i && t.word.length >= 3) return /^(?:n|x)/.test(t.tag);
    // jieba: 侵权/v 人.
    const v = this.seg.tokens[this.seg.tokenAt[i - 2]];
    return !!v && v.end === i - 1 && v.word.length >= 2 && /^(?:v|vn|n)$/.test(v.tag);
  }

  isClauseStart(i: number): boolean {
    let p = i;
    while (p > 0 && this.norm[p - 1] === " ") p--;
    return p === 0 || CLAUSE_START_CHARS.has(this.norm[p - 1]);
  }

  /** Position i is inside a word of jieba's that starts before it (and is no name): "各位", "对方". */
  insideWord(i: number): boolean {
    const t = this.seg.tokens[this.seg.tokenAt[i]];
    return !!t && t.start < i && !t.tag.startsWith("nr");
  }

  /** A role word ends right before s ("当事人", "法定代表人：", "负责人为"). */
  hasRoleBefore(s: number): boolean {
    return this.wordEndingAt(s, ROLES, ROLE_MAX, true);
  }

  afterWordAt(p: number): boolean {
    return AFTER_WORDS.has(this.norm.slice(p, p + 2)) || AFTER_WORDS.has(this.norm[p] ?? "");
  }

  /** Right-context score at e. */
  private rightScore(e: number): number {
    const after = this.norm.slice(e, e + 16);
    if (STRONG_RIGHT_RE.test(after)) return 3;
    if (TITLES.has(after.slice(0, 2))) return 3;
    if (PLACE_OR_ORG_RIGHT_RE.test(after)) return -3;
    if (PERSONAL_AFTER_DE_RE.test(after)) return 2;
    if (after.startsWith("的")) return 0.5;
    const t = this.seg.tokens[this.seg.tokenAt[e]];
    if (this.afterWordAt(e) || (t && t.start === e && VERB_TAGS.test(t.tag))) return 1;
    if (e >= this.norm.length || !isHan(this.norm[e])) return 0.5;
    return 0;
  }

  /** Dictionary evidence about the span as a word. */
  private wordScore(i: number, e: number, surname: string): number {
    const span = this.norm.slice(i, e);
    let s = 0;
    const entry = this.words(span);
    if (entry) {
      if (entry.tag.startsWith("nr")) s += entry.freq >= 1000 ? -2.5 : entry.freq >= 300 ? -1.5 : 0.5;
      else {
        s += entry.freq >= 2000 ? -3 : entry.freq >= 500 ? -2.5 : entry.freq >= 100 ? -2 : -1;
        if (NEVER_NAME_TAGS.test(entry.tag)) s -= 1.5;
      }
    }
    if (e - i === surname.length + 2 && surname.length === 1) {
      const head = this.norm.slice(i, e - 1);
      const prefix = this.words(head);
      if (NOT_NAMES.has(head)) s -= 2;
      else if (prefix && !prefix.tag.startsWith("nr") && prefix.freq >= 500) s -= 1.5;
    }
    // jieba's segmentation: a word that starts at i and runs past e.
    const first = this.seg.tokens[this.seg.tokenAt[i]];
    if (first && first.start === i && first.end > e && !first.tag.startsWith("nr")) s -= 2;
    return s;
  }

  /** Boundaries that cut one of jieba's words: never halved, whatever the left context. */
  private cutScore(i: number, e: number): number {
    let s = 0;
    // A name word of jieba's that starts here: do not end inside it ("彭德怀", not "彭德").
    const first = this.seg.tokens[this.seg.tokenAt[i]];
    if (first && first.start === i && first.tag.startsWith("nr") && first.end > e) s -= 1.5;
    // A word cut at e ("孔繁|荣"), unless its rest follows names ("熊志|勇于": 于).
    const last = this.seg.tokens[this.seg.tokenAt[e - 1]];
    const cut = !!last && last.end > e && last.start > i && last.start < e;
    if (cut && !AFTER_WORDS.has(this.norm.slice(e, last.end))) s -= 1;
    return s;
  }

  /** Hard rejections: stop words, job titles, redactions, characters that are never in a given name. */
  private rejected(i: number, surname: string, k: number): boolean {
    const g = i + surname.length;
    for (let j = g; j < g + k; j++) if (!isHan(this.norm[j]) || NON_GIVEN.has(this.norm[j])) return true;
    // "杨家岭", "王家坝", "张家湾": 家 + a landform is a place.
    if (k === 2 && this.norm[g] === "家" && PLACE_AFTER_JIA.has(this.norm[g + 1])) return true;
    // A stop word covering the whole candidate rejects it ("高度", "周边"); a shorter one only costs ("夏天明").
    for (let len = k + surname.length; len <= surname.length + 3; len++) {
      if (NOT_NAMES.has(this.norm.slice(i, i + len))) return true;
    }
    for (let len = 1; len <= JOB_MAX; len++) if (JOBS.has(this.norm.slice(g, g + len))) return true;
    return false;
  }

  candidate(i: number): Candidate | undefined {
    const found = this.surnameAt(i);
    if (!found) return undefined;
    const { surname, tier } = found;
    const first = this.norm[i + surname.length];
    if (!isHan(first) || NON_GIVEN.has(first)) return undefined;
    // "人员" (执法人员, 工作人员 …) is mostly followed by a verb ("执法人员查明…"): a weaker role.
    const personnel = this.norm.startsWith("人员", i - 2);
    const strongLeft = !personnel && this.wordEndingAt(i, ROLES, ROLE_MAX, true);
    // Inside a word of jieba's ("对方正在": 对方|正在) the surname is no surname.
    const t = this.seg.tokens[this.seg.tokenAt[i]];
    const midWord = this.insideWord(i);
    let left = 0;
    if (strongLeft) left = 3.5;
    else if (personnel || this.occupationBefore(i) || this.agentNounBefore(i)) left = 2.5;
    else if (midWord) left = -1.5;
    else if (this.wordEndingAt(i, OBJECT_VERBS, VERB_MAX, false)) left = 1.5;
    else if (this.isClauseStart(i)) left = 1;
    else if (PREPOSITIONS.has(this.norm[i - 1] ?? "") || this.setWordEndsAt(i, LONG_PREPOSITIONS, 2)) left = 0.5;
    const afterPreposition = left === 0.5;
    let best: Candidate | undefined;
    for (const k of [2, 1]) {
      if (this.rejected(i, surname, k)) continue;
      const g = i + surname.length;
      const e = g + k;
      let inList = 0;
      for (let j = g; j < e; j++) if (GIVEN.has(this.norm[j])) inList++;
      // A weak surname costs less after a role word or when jieba reads the span as one name ("于海洋/nr").
      const nameWord = t?.start === i && t.end === e && t.tag.startsWith("nr");
      const surnameCost = (strongLeft || personnel || nameWord) && tier === WEAK_TIER ? WEAK_TIER_AFTER_ROLE : tier;
      const chars = inList === k ? (k === 2 ? 1.5 : 1.2) : inList === 0 ? -1.5 : 0.6;
      let base = surnameCost + chars + (k === 2 ? 0.2 : 0);
      // After a role word a common word costs half: "律师甘露", "店主高峰".
      const word = this.wordScore(i, e, surname);
      const right = this.rightScore(e);
      base += (strongLeft && word < 0 ? word / 2 : word) + this.cutScore(i, e) + right;
      // A preposition and a verb around it frame an object: "对王芳进行询问", "向李四送达", "与张三签订".
      if (afterPreposition && right === 1) base += 0.5;
      const c: Candidate = { start: i, end: e, surname, base, left, strongLeft };
      if (!best || score(c) > score(best)) best = c;
    }
    return best;
  }
}

/** The candidate is separated by "、", "和", "以及" … from a name starting or ending at one of these positions. */
function separatedFrom(norm: string, c: Candidate, starts: ReadonlySet<number>, ends: ReadonlySet<number>): boolean {
  for (const sep of LIST_SEPARATORS) {
    for (const space of [0, 1]) {
      const before = c.start - sep.length - space;
      if (ends.has(before) && norm.startsWith(sep, before) && (!space || norm[c.start - 1] === " ")) return true;
      const after = c.end + sep.length + space;
      if (starts.has(after) && norm.startsWith(sep, c.end + space) && (!space || norm[c.end] === " ")) return true;
    }
  }
  return false;
}

/**
 * Unlisted names of natural persons. `taken` marks positions already inside other findings (addresses,
 * businesses): no name starts there.
 */
export function detectPersonNames(src: Source, seg: Segmentation, words: WordLookup): Finding[] {
  const { text, norm } = src;
  const scanner = new NameScanner(src, seg, words);
  const candidates: Candidate[] = [];
  /** Positions of every candidate, whatever its score. */
  const positions: number[] = [];
  for (let i = 0; i < norm.length; i++) {
    if (!SURNAME_KIND[norm.charCodeAt(i)]) continue;
    const c = scanner.candidate(i);
    if (!c) continue;
    positions.push(i);
    if (score(c) > -2) candidates.push(c);
  }

  // Non-overlapping accepted candidates, best first; names with a middle dot first of all.
  const accepted: Candidate[] = [];
  const taken = new Uint8Array(norm.length);
  const dotted = detectDottedNames(src, scanner, taken);
  const accept = (c: Candidate) => {
    for (let j = c.start; j < c.end; j++) if (taken[j]) return false;
    taken.fill(1, c.start, c.end);
    accepted.push(c);
    return true;
  };
  for (const c of [...candidates].sort((a, b) => score(b) - score(a))) if (score(c) >= THRESHOLD) accept(c);

  // Lists: a candidate separated by 、/和/及 from an accepted name gets a bonus, until nothing changes.
  const listable = candidates.filter((c) => score(c) < THRESHOLD && score(c) + LIST_BONUS >= THRESHOLD);
  const starts = new Set<number>();
  const ends = new Set<number>();
  for (const a of accepted) {
    starts.add(a.start);
    ends.add(a.end);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const c of listable) {
      if (taken[c.start] || taken[c.end - 1]) continue;
      if (!separatedFrom(norm, c, starts, ends) || !accept(c)) continue;
      starts.add(c.start);
      ends.add(c.end);
      changed = true;
    }
  }

  // Other mentions of an accepted name: "张建国称其不知情，张建国的妻子…". Names start at a surname, so only
  // the positions that had a candidate are looked at.
  const byFirst = new Map<string, Candidate[]>();
  for (const c of accepted) {
    const list = byFirst.get(norm[c.start]) ?? [];
    if (!list.some((o) => norm.slice(o.start, o.end) === norm.slice(c.start, c.end))) list.push(c);
    byFirst.set(norm[c.start], list);
  }
  for (const pos of positions) {
    for (const c of byFirst.get(norm[pos]) ?? []) {
      const len = c.end - c.start;
      const e = pos + len;
      if (taken[pos] || taken[e - 1] || !norm.startsWith(norm.slice(c.start, c.end), pos)) continue;
      if (GIVEN.has(norm[e] ?? "") && !AFTER_WORDS.has(norm[e]) && !AFTER_WORDS.has(norm.slice(e, e + 2))) continue;
      accept({ start: pos, end: e, surname: c.surname, base: 0, left: 0, strongLeft: false });
    }
  }

  const out = accepted.map((c) => makeFinding("PERSON_NAME", text, c.start, c.end, `${c.surname}某`));
  out.push(...detectAddressTitles(src, scanner, taken), ...dotted);
  return out;
}

/**
 * Names with a middle dot (维吾尔族, 哈萨克族 … and transliterated names): "当事人阿依古丽·买买提称…". Accepted after
 * a role word or at the start of a clause; the replacement keeps the first character: "阿某".
 */
function detectDottedNames(src: Source, scanner: NameScanner, taken: Uint8Array): Finding[] {
  const { text, norm } = src;
  const out: Finding[] = [];
  for (let d = norm.search(/[·•・]/); d >= 0 && d < norm.length; d = nextDot(norm, d + 1)) {
    if (!isHan(norm[d - 1]) || !isHan(norm[d + 1])) continue;
    let start = -1;
    let role = false;
    for (let s = d - 2; s >= Math.max(0, d - 6) && isHan(norm[s]) && start < 0; s--) {
      role = scanner.hasRoleBefore(s);
      if (role || scanner.isClauseStart(s)) start = s;
    }
    if (start < 0) continue;
    let end = d + 1;
    while (end < norm.length && end - d <= 8 && isHan(norm[end]) && !(end - d > 2 && scanner.afterWordAt(end))) end++;
    if (end - d < 3 || taken[start] || taken[end - 1]) continue;
    // Without a role word: a verb must follow, and neither part may be an ordinary word ("中国·示例市").
    const plain = (w: string) => (scanner.words(w)?.freq ?? 0) >= 50 || /某|[市县区省]$/.test(w);
    if (!role && (!scanner.afterWordAt(end) || plain(norm.slice(start, d)) || plain(norm.slice(d + 1, end)))) continue;
    taken.fill(1, start, end);
    out.push(makeFinding("PERSON_NAME", text, start, end, `${norm[start]}某`));
  }
  return out;
}

function nextDot(norm: string, from: number): number {
  const i = norm.slice(from).search(/[·•・]/);
  return i < 0 ? -1 : from + i;
}

/** "刘女士", "王先生", "欧阳女士": surname + form of address, not part of a longer accepted name. */
function detectAddressTitles(src: Source, scanner: NameScanner, taken: Uint8Array): Finding[] {
  const { text, norm } = src;
  const out: Finding[] = [];
  for (const title of TITLES) {
    for (let t = norm.indexOf(title); t >= 0; t = norm.indexOf(title, t + 1)) {
      if (norm[t + title.length] === "们" || (t > 0 && taken[t - 1])) continue;
      const compound = t >= 2 ? scanner.surnameAt(t - 2) : undefined;
      const start = compound && compound.surname.length === 2 ? t - 2 : t - 1;
      const s = start >= 0 ? scanner.surnameAt(start) : undefined;
      // "各位师傅": the surname character ends a word of jieba's.
      if (!s || start + s.surname.length !== t || scanner.insideWord(start)) continue;
      out.push(makeFinding("PERSON_NAME", text, start, t + title.length, `${s.surname}某`));
    }
  }
  return out;
}

/** Every candidate with its scores (for tests and tuning). */
export function explainNameCandidates(
  src: Source,
  seg: Segmentation,
  words: WordLookup,
): { text: string; base: number; left: number; strongLeft: boolean }[] {
  const scanner = new NameScanner(src, seg, words);
  const out: { text: string; base: number; left: number; strongLeft: boolean }[] = [];
  for (let i = 0; i < src.norm.length; i++) {
    const c = isHan(src.norm[i]) ? scanner.candidate(i) : undefined;
    if (c) out.push({ text: src.norm.slice(c.start, c.end), base: c.base, left: c.left, strongLeft: c.strongLeft });
  }
  return out;
}
