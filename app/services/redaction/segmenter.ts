// Word segmentation and part-of-speech tags for the 脱敏检查, from jieba (@node-rs/jieba, a native addon):
// server-only. Loaded once per process by `loadSegmenter` (≈ 0.3 s), which the check and the search index await
// before they segment: never at start (ADR 030); the tag lookup (≈ 0.5 s) only on the first check (ADR 032). Segmenting 20 000 characters takes ≈ 5 ms.
//
// Tags are the dictionary's first tag of each word, as jieba's own tagger without HMM gives them (cutting and
// looking the tag up here is about twice as fast as jieba.tag, which builds an object per word). They are a
// signal, not an answer: "杨文博" comes out as 杨/nr 文/n 博/nr, "许可" and "张贴" as nr. The dictionary's
// frequencies tell a common word such as 高度 (6119) or 周边 (1722) from a rare one.

import type { Jieba } from "@node-rs/jieba";

/** A word of the segmentation; its tag is looked up on first use (most tags are never read). */
export class Token {
  private cachedTag: string | undefined;

  constructor(
    readonly word: string,
    readonly start: number,
    readonly end: number,
  ) {}

  get tag(): string {
    this.cachedTag ??= tagOf(this.word);
    return this.cachedTag;
  }
}

export interface DictEntry {
  freq: number;
  tag: string;
}

export interface Segmentation {
  tokens: readonly Token[];
  /** Index into tokens of the token covering each character position. */
  tokenAt: Int32Array;
}

interface Segmenter {
  jieba: Jieba;
  /** jieba's dictionary file ("word frequency tag" lines). */
  dict: Uint8Array;
  /** Built from `dict` on the first tag or frequency asked for (the 脱敏检查's; the search index never asks). */
  lookup?: WordLookup;
}

interface WordLookup {
  /** Word → frequency × 64 + index into `tags`. */
  words: Map<string, number>;
  tags: string[];
}

/** Words of two or more characters rarer than this are left out of the lookup dictionary (70 000 remain). */
const MIN_FREQUENCY = 20;

let segmenter: Segmenter | undefined;
let loading: Promise<void> | undefined;

/** Dictionary words of 1 character, and of 2–4 characters with frequency ≥ MIN_FREQUENCY. */
function loadWords(dict: Uint8Array): WordLookup {
  const words = new Map<string, number>();
  const tags: string[] = [];
  const tagIndex = new Map<string, number>();
  const text = new TextDecoder().decode(dict);
  for (let pos = 0; pos < text.length;) {
    let nl = text.indexOf("\n", pos);
    if (nl < 0) nl = text.length;
    const sp1 = text.indexOf(" ", pos);
    if (sp1 > pos && sp1 <= pos + 4 && sp1 < nl) {
      const sp2 = text.indexOf(" ", sp1 + 1);
      const freq = Number(text.slice(sp1 + 1, sp2));
      if (freq >= MIN_FREQUENCY || sp1 === pos + 1) {
        const tag = text.slice(sp2 + 1, nl).trim();
        let t = tagIndex.get(tag);
        if (t === undefined) {
          t = tags.length;
          tags.push(tag);
          tagIndex.set(tag, t);
        }
        words.set(text.slice(pos, sp1), freq * 64 + t);
      }
    }
    pos = nl + 1;
  }
  return { words, tags };
}

/**
 * Loads jieba and its dictionary (5 MB read from disk) once; every later call returns at once. Everything below
 * segments synchronously and needs it loaded.
 */
export function loadSegmenter(): Promise<void> {
  loading ??= (async () => {
    const [{ Jieba }, { dict }] = await Promise.all([
      import("@node-rs/jieba"),
      // The file name with its extension: Node's ESM resolver (the built server) does not add it, the package
      // has no "exports" map.
      import("@node-rs/jieba/dict.js"),
    ]);
    segmenter = { jieba: Jieba.withDict(dict), dict };
  })().catch((error: unknown) => {
    // A failed load (a missing native addon) is tried again by the next caller.
    loading = undefined;
    throw error;
  });
  return loading;
}

function load(): Segmenter {
  if (!segmenter) throw new Error("jieba is not loaded yet: await loadSegmenter() before segmenting");
  return segmenter;
}

function lookup(): WordLookup {
  const s = load();
  s.lookup ??= loadWords(s.dict);
  return s.lookup;
}

/** The process's one jieba instance with its dictionary (the search index segments with it too, ADR 028). */
export function sharedJieba(): Jieba {
  return load().jieba;
}

const userWords = new Set<string>();

/**
 * Adds words to the shared instance's dictionary (jieba's `loadDict`: "word frequency" lines), once each: the
 * search index's domain terms and organisation names. The frequency makes a listed word win over its parts.
 */
export function addUserWords(words: Iterable<string>, frequency = 2000): number {
  const fresh = [...new Set(words)]
    .map((w) => w.trim())
    .filter((w) => w.length > 1 && !/\s/.test(w) && !userWords.has(w));
  if (fresh.length === 0) return 0;
  load().jieba.loadDict(new TextEncoder().encode(fresh.map((w) => `${w} ${frequency}`).join("\n")));
  for (const w of fresh) userWords.add(w);
  return fresh.length;
}

/** Frequency and tag of a dictionary word (1 character, or 2–4 with frequency ≥ 20), or undefined. */
export function dictionaryEntry(word: string): DictEntry | undefined {
  const s = lookup();
  const v = s.words.get(word);
  return v === undefined ? undefined : { freq: Math.floor(v / 64), tag: s.tags[v % 64] };
}

/** The dictionary's tag of a word, or jieba's tag for a word outside the kept dictionary. */
function tagOf(word: string): string {
  const s = lookup();
  const v = s.words.get(word);
  if (v !== undefined) return s.tags[v % 64];
  if (/^[A-Za-z]+$/.test(word)) return "eng";
  if (/^[0-9.]+$/.test(word)) return "m";
  return "x";
}

/** Tokens with offsets into `norm` (jieba's words concatenate to its input) and their tags. */
export function segment(norm: string): Segmentation {
  const words = load().jieba.cut(norm, false);
  const tokens: Token[] = [];
  const tokenAt = new Int32Array(norm.length);
  let pos = 0;
  for (const word of words) {
    let start = pos;
    if (!norm.startsWith(word, pos)) {
      // Should not happen; stay aligned if jieba ever drops or rewrites characters.
      const found = norm.indexOf(word, pos);
      if (found < 0) continue;
      start = found;
    }
    const end = start + word.length;
    tokenAt.fill(tokens.length, pos, end);
    tokens.push(new Token(word, start, end));
    pos = end;
  }
  tokenAt.fill(Math.max(0, tokens.length - 1), pos);
  return { tokens, tokenAt };
}
