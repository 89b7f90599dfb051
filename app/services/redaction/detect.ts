// 脱敏检查: finds personal information in a typical case (典型案例) before it is published, modelled on 最高人民法院
// 《关于人民法院在互联网公布裁判文书的规定》(法释〔2016〕19号) arts. 8–10: natural persons' names become surname + 某;
// the names of businesses (and 个体工商户 shops that carry the owner's name) become 某 + industry + type; ID,
// passport and 港澳通行证 numbers, phone numbers, bank accounts, plates, e-mail, QQ and WeChat ids, 个体工商户
// credit codes and addresses below county level are removed.
//
// It finds what it is told (the private 当事人 list) and what it is not: names from their context and jieba's
// segmentation (person-names.ts), businesses from their type words (organizations.ts), identifiers however they
// are written (identifiers.ts) and addresses to their last unit (addresses.ts).
//
// Server-only: the segmentation uses jieba (@node-rs/jieba, a native addon; segmenter.ts), loaded lazily once
// per process. Import it from *.server.ts modules and scripts, never from browser code. Every detector works
// on a width-normalized copy of the text (full-width ＡＢＣ１２３（）：， → ASCII, same length, so offsets are
// shared) and reports spans and texts of the original.

import { detectAddresses } from "./addresses";
import {
  FINDING_KINDS,
  FINDING_LABELS,
  SUSPECT_ID_LABEL,
  findingLabel,
  isHan,
  makeFinding,
  normalizeWidth,
  type Finding,
  type FindingKind,
  type Source,
} from "./finding";
import {
  detectBankCards,
  detectCreditCodes,
  detectEmails,
  detectHkmoPermits,
  detectIdNumbers,
  detectLandlines,
  detectMobiles,
  detectPassports,
  detectPlates,
  detectQq,
  detectWechat,
} from "./identifiers";
import { businessKind, detectBusinesses, isPublicBody, orgReplacement, parseOrgName } from "./organizations";
import { detectPersonNames } from "./person-names";
import { dictionaryEntry, loadSegmenter, segment } from "./segmenter";
import { COMPOUND_SURNAMES } from "./surnames";
import { INDUSTRY_WORDS, ORG_TYPE_WORDS } from "./org-words";

export { FINDING_KINDS, FINDING_LABELS, SUSPECT_ID_LABEL, findingLabel, loadSegmenter };
export type { Finding, FindingKind };
export { idCheckChar, isValidIdNumber, luhnValid } from "./identifiers";

export interface DetectOptions {
  /** The private 当事人 list: people's names, company and shop names. */
  parties: readonly string[];
  /** Birth dates after this day are not ID numbers; defaults to now. */
  today?: Date;
}

/** Tie-break when two overlapping findings have the same length: the more specific kind wins. */
const PRIORITY: Record<FindingKind, number> = {
  ID_NUMBER: 0,
  CREDIT_CODE: 1,
  BANK_CARD: 2,
  PASSPORT: 3,
  HKMO_PERMIT: 4,
  WECHAT: 5,
  QQ: 6,
  MOBILE: 7,
  LANDLINE: 8,
  EMAIL: 9,
  PLATE: 10,
  ADDRESS: 11,
  SHOP_NAME: 12,
  COMPANY_NAME: 13,
  PERSON_NAME: 14,
};

/**
 * Finds personal information: sorted by start, non-overlapping (the longer, then the listed, then the more
 * specific finding wins; a guessed PERSON_NAME never displaces another kind). Await `loadSegmenter()` once first.
 */
export function detectPii(text: string, options: DetectOptions): Finding[] {
  const src: Source = { text, norm: normalizeWidth(text) };
  const today = options.today ?? new Date();
  const seg = segment(src.norm);
  const candidates = [
    ...detectPartyNames(src, options.parties),
    ...detectIdNumbers(src, today),
    ...detectPassports(src),
    ...detectHkmoPermits(src),
    ...detectBankCards(src, today),
    ...detectMobiles(src),
    ...detectLandlines(src),
    ...detectEmails(src),
    ...detectQq(src),
    ...detectWechat(src),
    ...detectCreditCodes(src),
    ...detectPlates(src),
    ...detectAddresses(src),
    ...detectBusinesses(src, seg, dictionaryEntry),
    ...detectPersonNames(src, seg, dictionaryEntry),
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
    case "PASSPORT":
    case "HKMO_PERMIT":
    case "CREDIT_CODE":
      return `${f.kind}:${t.replace(/[^0-9A-Za-z]/g, "").toUpperCase()}`;
    case "EMAIL":
    case "WECHAT":
      return `${f.kind}:${t.toLowerCase()}`;
    default:
      return `${f.kind}:${t}`;
  }
}

/**
 * The key an override of this finding had before PERSON_NAME / COMPANY_NAME / SHOP_NAME replaced PARTY_NAME
 * (listed parties only), so that overrides stored then still apply.
 */
export function legacyFindingKey(f: Pick<Finding, "kind" | "text" | "fromPartyList">): string | undefined {
  if (!f.fromPartyList) return undefined;
  return `PARTY_NAME:${normalizeWidth(f.text).replace(/\s+/g, "")}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/**
 * Keeps the longest findings (ties: a listed party's, then the more specific kind, then the earlier one) and
 * drops what overlaps them. Guessed names (PERSON_NAME not from the list) come last whatever their length:
 * "当事人夏侯敏通过…" is the listed 夏侯敏, "示例市钟离铸造厂" a business.
 */
function resolveOverlaps(candidates: readonly Finding[], length: number): Finding[] {
  const guessed = (f: Finding) => (f.kind === "PERSON_NAME" && !f.fromPartyList ? 1 : 0);
  const listed = (f: Finding) => (f.fromPartyList ? 0 : 1);
  const order = [...candidates].sort(
    (a, b) =>
      guessed(a) - guessed(b) ||
      b.end - b.start - (a.end - a.start) ||
      listed(a) - listed(b) ||
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
// 当事人 (listed)

/** "欧阳明华" → "欧阳"; "张三" → "张". */
function surnameOf(name: string): string {
  return COMPOUND_SURNAMES.find((s) => name.startsWith(s) && name.length > s.length) ?? name.slice(0, 1);
}

/** What a listed party is: a business (with a type word, or too long for a person's name) or a person. */
export function partyKind(name: string): FindingKind {
  const n = normalizeWidth(name).replace(/\s+/g, "");
  const parts = parseOrgName(n);
  if (parts.type || ORG_TYPE_WORDS.some((w) => n.includes(w))) return businessKind(parts, (w) => !!dictionaryEntry(w));
  if (n.length > 4 && !/[·•・]/.test(n)) return "COMPANY_NAME";
  return "PERSON_NAME";
}

/** Redacted form of a listed party: people → surname + 某, businesses → 某 + industry + type ("某食品有限公司"). */
export function partyReplacement(name: string): string {
  const n = normalizeWidth(name).replace(/\s+/g, "");
  const kind = partyKind(n);
  if (kind === "PERSON_NAME") return `${surnameOf(n)}某`;
  const parts = parseOrgName(n);
  if (!parts.type && !ORG_TYPE_WORDS.some((w) => n.includes(w))) return "某单位";
  return orgReplacement(parts, kind);
}

const INDUSTRY_RE = `(?:${[...INDUSTRY_WORDS].sort((a, b) => b.length - a.length).join("|")})`;
const ALIAS_TYPES_RE = `(?:${[...ORG_TYPE_WORDS].sort((a, b) => b.length - a.length).join("|")})`;

/** "鑫源公司", "鑫源食品", "鑫源": a listed business's trade name with or without its industry and type. */
function aliasFindings(src: Source, name: string, kind: FindingKind): Finding[] {
  const parts = parseOrgName(name);
  if (parts.branch || parts.trade.length < 2 || isPublicBody(name)) return [];
  const escaped = parts.trade.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const re = new RegExp(`${escaped}(?:${INDUSTRY_RE}){0,3}${ALIAS_TYPES_RE}?`, "g");
  const out: Finding[] = [];
  for (let m = re.exec(src.norm); m; m = re.exec(src.norm)) {
    const alias = m[0];
    const end = m.index + alias.length;
    const bare = alias === parts.trade;
    if (isHan(src.norm[end]) && bare) continue;
    if (bare && (dictionaryEntry(alias)?.freq ?? 0) >= 500) continue;
    // The trade name becomes 某 and what follows it stays: "鑫源公司" → "某公司", "鑫源食品" → "某食品".
    const replacement = bare ? orgReplacement(parts, kind) : `某${alias.slice(parts.trade.length)}`;
    out.push(makeFinding(kind, src.text, m.index, end, replacement, { fromPartyList: true }));
  }
  return out;
}

/** Every occurrence of a listed party name (and of a listed business's trade name). Redacted forms are skipped. */
function detectPartyNames(src: Source, parties: readonly string[]): Finding[] {
  const out: Finding[] = [];
  const names = new Set(
    parties.map((p) => normalizeWidth(p).replace(/\s+/g, "")).filter((p) => p.length >= 2 && !p.includes("某")),
  );
  for (const name of names) {
    const kind = partyKind(name);
    const replacement = partyReplacement(name);
    for (let i = src.norm.indexOf(name); i >= 0; i = src.norm.indexOf(name, i + name.length)) {
      out.push(makeFinding(kind, src.text, i, i + name.length, replacement, { fromPartyList: true }));
    }
    if (kind !== "PERSON_NAME") out.push(...aliasFindings(src, name, kind));
  }
  return out;
}
