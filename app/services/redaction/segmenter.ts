// Word segmentation and part-of-speech tags for the 脱敏检查, from jieba (@node-rs/jieba, a native addon):
// server-only. Loaded lazily once per process (jieba ≈ 0.15 s, the tag lookup ≈ 0.5 s on first use). Segmenting 20 000 characters takes ≈ 5 ms.
//
// Tags are the dictionary's first tag of each word, as jieba's own tagger without HMM gives them (cutting and
// looking the tag up here is about twice as fast as jieba.tag, which builds an object per word). They are a
// signal, not an answer: "杨文博" comes out as 杨/nr 文/n 博/nr, "许可" and "张贴" as nr. The dictionary's
// frequencies tell a common word such as 高度 (6119) or 周边 (1722) from a rare one.

import { Jieba } from "@node-rs/jieba";
// The file name with its extension: Node's ESM resolver (the built server) does not add it, the package has no
// "exports" map.
import { dict } from "@node-rs/jieba/dict.js";

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

interface Lookup {
  /** Word → frequency × 64 + index into `tags`. */
  words: Map<string, number>;
  tags: string[];
}

/** Words of two or more characters rarer than this are left out of the lookup dictionary (70 000 remain). */
const MIN_FREQUENCY = 20;

let jieba: Jieba | undefined;
let lookup: Lookup | undefined;

/** Dictionary words of 1 character, and of 2–4 characters with frequency ≥ MIN_FREQUENCY. */
function loadWords(): Lookup {
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
 * The process's one jieba instance with its dictionary (the search index segments with it too, ADR 028):
 * ≈ 0.15 s of the event loop, once. The word lookup of the redaction check (≈ 0.5 s to build) is loaded
 * apart, on the first check: the search indexer never pays for it (ADR 032).
 */
export function sharedJieba(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

function words(): Lookup {
  lookup ??= loadWords();
  return lookup;
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
  sharedJieba().loadDict(new TextEncoder().encode(fresh.map((w) => `${w} ${frequency}`).join("\n")));
  for (const w of fresh) userWords.add(w);
  return fresh.length;
}

/** Loads jieba and its dictionary now (otherwise the first check pays for it). */
export function warmUpSegmenter(): void {
  sharedJieba();
  words();
}

/** Frequency and tag of a dictionary word (1 character, or 2–4 with frequency ≥ 20), or undefined. */
export function dictionaryEntry(word: string): DictEntry | undefined {
  const s = words();
  const v = s.words.get(word);
  return v === undefined ? undefined : { freq: Math.floor(v / 64), tag: s.tags[v % 64] };
}

/** The dictionary's tag of a word, or jieba's tag for a word outside the kept dictionary. */
function tagOf(word: string): string {
  const s = words();
  const v = s.words.get(word);
  if (v !== undefined) return s.tags[v % 64];
  if (/^[A-Za-z]+$/.test(word)) return "eng";
  if (/^[0-9.]+$/.test(word)) return "m";
  return "x";
}

/** Tokens with offsets into `norm` (jieba's words concatenate to its input) and their tags. */
export function segment(norm: string): Segmentation {
  const cut = sharedJieba().cut(norm, false);
  const tokens: Token[] = [];
  const tokenAt = new Int32Array(norm.length);
  let pos = 0;
  for (const word of cut) {
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
