/**
 * Global search (ADR 028), the parts without I/O: which kinds of record are searched, how a query becomes the
 * tokens the index is asked for, and the matched passage with the query's words marked.
 *
 * Index and query meet on CJK character bigrams: a document's tokens hold every overlapping bigram of each run
 * of Han characters (plus the run's last character alone) besides jieba's words, and a query asks for every
 * bigram of its Han runs — so any two or more characters that occur together in the text are found, however
 * jieba segmented the text. A one-character run of the query (张) asks for a token starting with it, which
 * the run-end unigram makes complete.
 */

import { THREAD_STATUS_LABELS } from "./comment";
import { CLUE_STATUS_LABELS } from "./clue";
import { CONSULTATION_STATUS_LABELS } from "./consultation";
import { DOCUMENT_STATUS_LABELS } from "./document";
import { RECOMMENDATION_STATUS_LABELS } from "./recommendation";
import { ITEM_STATUS_LABELS } from "./tracked-item";

/** The kinds of record searched, in the order results are grouped. */
export const SEARCH_KINDS = ["document", "consultation", "item", "recommendation", "clue", "comment", "case"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SEARCH_KIND_LABELS: Record<SearchKind, string> = {
  document: "文书",
  consultation: "会商",
  item: "督办事项",
  recommendation: "建议书",
  clue: "线索",
  comment: "批注",
  case: "典型案例",
};

export function isSearchKind(v: string): v is SearchKind {
  return (SEARCH_KINDS as readonly string[]).includes(v);
}

const { REMOVED: _removed, ...ITEM_SEARCH_STATUSES } = ITEM_STATUS_LABELS;

/** The statuses a kind's records are filtered by, in each kind's own words (a published case has none). */
export const SEARCH_STATUS_LABELS: Record<SearchKind, Readonly<Record<string, string>>> = {
  document: DOCUMENT_STATUS_LABELS,
  consultation: CONSULTATION_STATUS_LABELS,
  item: ITEM_SEARCH_STATUSES,
  recommendation: RECOMMENDATION_STATUS_LABELS,
  clue: CLUE_STATUS_LABELS,
  comment: THREAD_STATUS_LABELS,
  case: {},
};

export function searchStatusLabel(kind: SearchKind, status: string): string | null {
  return SEARCH_STATUS_LABELS[kind][status] ?? null;
}

/** What narrows a search besides its words: one kind, one unit, a status of that kind, a date range. */
export interface SearchFilters {
  kind: SearchKind | null;
  /** An organisation id: records it convened, owns, leads, supports, issued, received or was copied. */
  unit: string | null;
  /** Only with a kind: one of SEARCH_STATUS_LABELS[kind]. */
  status: string | null;
  /** Calendar days (YYYY-MM-DD, inclusive), on the record's own date. */
  from: string | null;
  to: string | null;
}

export const NO_SEARCH_FILTERS: SearchFilters = { kind: null, unit: null, status: null, from: null, to: null };

/** Longest query accepted (characters, after trimming). */
export const MAX_QUERY_LENGTH = 100;
/** Most tokens a query is turned into (a longer query asks for its first ones). */
const MAX_QUERY_TOKENS = 32;

const HAN = /\p{Script=Han}/u;
/** Runs of letters and digits: what is left of a text once punctuation, spaces and symbols are dropped. */
const WORD_RUN = /[\p{L}\p{N}]+/gu;
/** A run splits into Han and non-Han pieces (中文abc123 → 中文, abc123). */
const HAN_OR_OTHER = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;

export function normalizeSearchText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/** The pieces of a text: Han runs and other letter/digit runs, lower-cased, punctuation dropped. */
export function textPieces(text: string): string[] {
  const pieces: string[] = [];
  for (const run of normalizeSearchText(text).match(WORD_RUN) ?? []) {
    for (const piece of run.match(HAN_OR_OTHER) ?? []) pieces.push(piece);
  }
  return pieces;
}

export function isHanPiece(piece: string): boolean {
  return HAN.test(piece);
}

/** Overlapping character bigrams of a Han run (检察建议 → 检察, 察建, 建议); none for one character. */
export function hanBigrams(run: string): string[] {
  const chars = [...run];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** The index side's bigram tokens of a text: every Han run's bigrams and its last character. */
export function indexBigrams(text: string): string[] {
  const out: string[] = [];
  for (const piece of textPieces(text)) {
    if (!isHanPiece(piece)) continue;
    out.push(...hanBigrams(piece));
    const chars = [...piece];
    out.push(chars[chars.length - 1]);
  }
  return out;
}

export interface ParsedQuery {
  /** Tokens every hit must hold. */
  tokens: string[];
  /** Prefixes a token of every hit must start with (one-character Han runs, non-Han words). */
  prefixes: string[];
  /** The words to mark in the matched passage (the query's runs as typed, lower-cased). */
  words: string[];
}

export type QueryParse = { ok: true; query: ParsedQuery } | { ok: false; reason: "empty" | "tooLong" };

/**
 * A query as the index is asked it: Han runs of two or more characters as their bigrams, one-character Han
 * runs and other words as prefixes. Operators of any query language (quotes, *, NEAR(, OR, -) are punctuation
 * or plain words here: nothing the user types reaches the index's syntax.
 */
export function parseSearchQuery(raw: string): QueryParse {
  const q = raw.trim();
  if ([...q].length > MAX_QUERY_LENGTH) return { ok: false, reason: "tooLong" };
  const pieces = textPieces(q);
  if (!pieces.length) return { ok: false, reason: "empty" };
  const tokens = new Set<string>();
  const prefixes = new Set<string>();
  for (const piece of pieces) {
    if (isHanPiece(piece) && [...piece].length > 1) for (const b of hanBigrams(piece)) tokens.add(b);
    else prefixes.add(piece);
  }
  const all = [...tokens].slice(0, MAX_QUERY_TOKENS);
  const pre = [...prefixes].slice(0, Math.max(0, MAX_QUERY_TOKENS - all.length));
  return { ok: true, query: { tokens: all, prefixes: pre, words: [...new Set(pieces)] } };
}

export interface PassagePart {
  text: string;
  mark: boolean;
}

/** Marks every occurrence of `words` in `text` (case-insensitive), longest word first at each position. */
export function markWords(text: string, words: readonly string[]): PassagePart[] {
  const lower = text.toLowerCase();
  const sorted = [...new Set(words)].filter(Boolean).sort((a, b) => b.length - a.length);
  // toLowerCase keeps the length of the texts we hold (Chinese, ASCII); if it ever does not, mark nothing.
  if (lower.length !== text.length || !sorted.length) return text ? [{ text, mark: false }] : [];
  const parts: PassagePart[] = [];
  let plain = 0;
  for (let i = 0; i < text.length;) {
    const word = sorted.find((w) => lower.startsWith(w, i));
    if (!word) {
      i++;
      continue;
    }
    if (i > plain) parts.push({ text: text.slice(plain, i), mark: false });
    parts.push({ text: text.slice(i, i + word.length), mark: true });
    i += word.length;
    plain = i;
  }
  if (plain < text.length) parts.push({ text: text.slice(plain), mark: false });
  return parts;
}

/**
 * The passage of `body` to show for a hit: about `size` characters around the place where the most distinct
 * query words occur close together (else the start), with the words marked.
 */
export function matchedPassage(body: string, words: readonly string[], size = 120): PassagePart[] {
  const text = body.replace(/\s+/g, " ").trim();
  if (text.length <= size) return markWords(text, words);
  const lower = text.toLowerCase();
  let best = 0;
  let bestScore = 0;
  for (const w of words) {
    for (let at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + 1)) {
      const start = Math.max(0, at - Math.floor(size / 3));
      const window = lower.slice(start, start + size);
      const score = words.filter((x) => window.includes(x)).length;
      if (score > bestScore) {
        best = start;
        bestScore = score;
      }
      if (bestScore === words.length) break;
    }
    if (bestScore === words.length) break;
  }
  const slice = text.slice(best, best + size);
  const parts = markWords(slice, words);
  if (best > 0) parts.unshift({ text: "…", mark: false });
  if (best + size < text.length) parts.push({ text: "…", mark: false });
  return parts;
}

/** One hit as pages show it: its kind, where it opens, the title and the matched passage with marks. */
export interface SearchResult {
  kind: SearchKind;
  kindLabel: string;
  id: string;
  href: string;
  title: PassagePart[];
  passage: PassagePart[];
  /** The record's status in words, or null (a published case). */
  statusLabel: string | null;
  /** The record's own date (YYYY-MM-DD), or null. */
  date: string | null;
}

export type SearchOutcome =
  | { state: "empty" }
  | { state: "tooLong"; message: string }
  | {
      state: "results";
      results: SearchResult[];
      counts: Record<SearchKind, number>;
      total: number;
      words: string[];
    };
