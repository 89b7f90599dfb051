// The index side of global search's tokens (ADR 028): jieba's search-mode words plus the CJK bigrams the queries
// ask for (app/domain/search.ts). jieba is the process's one instance, shared with the 脱敏检查
// (app/services/redaction/segmenter.ts), with the domain terms and the organisations' names added to its
// dictionary so that 行政执法监督 or 示例市司法局 is also one word.
import { indexBigrams, isHanPiece, normalizeSearchText, textPieces } from "~/domain/search";
import { addUserWords, loadSegmenter, sharedJieba } from "~/services/redaction/segmenter";

/** Terms of the work that jieba's general dictionary splits. */
export const DOMAIN_TERMS = [
  "行政执法监督",
  "府院联动",
  "挂牌督办",
  "联合挂牌督办",
  "议定事项",
  "检察建议书",
  "检察建议",
  "司法建议书",
  "纪检监察建议书",
  "行政复议意见书",
  "行政执法监督意见书",
  "整改方案",
  "整改措施",
  "书面回复",
  "会商纪要",
  "会议纪要",
  "督办事项",
  "线索移送",
  "典型案例",
  "专题报告",
  "专家咨询意见",
  "个案咨询",
  "败诉率",
  "出庭应诉率",
  "上级监督下级",
  "依法治理办",
  "司法所",
  "销号",
  "会签",
  "抄送",
];

let domainLoaded = false;

/**
 * Loads the segmenter (jieba, once per process) and adds the domain terms (once) and the given organisation names
 * (new ones) to its dictionary: awaited before anything below segments.
 */
export async function loadSearchDictionary(orgNames: Iterable<string> = []): Promise<number> {
  await loadSegmenter();
  let added = 0;
  if (!domainLoaded) {
    added += addUserWords(DOMAIN_TERMS);
    domainLoaded = true;
  }
  return added + addUserWords(orgNames);
}

/** jieba's search-mode words of a text, lower-cased, each cut to its letter/digit pieces (punctuation dropped). */
export function searchWords(text: string): string[] {
  const out: string[] = [];
  for (const word of sharedJieba().cutForSearch(normalizeSearchText(text), false)) {
    for (const piece of textPieces(word)) {
      // One Han character alone is already covered by the bigrams and run-end characters.
      if (isHanPiece(piece) && [...piece].length < 2) continue;
      out.push(piece);
    }
  }
  return out;
}

/** The tokens of a record: jieba words and CJK bigrams (with each run's last character), in text order. */
export function indexTokens(text: string): string[] {
  return [...searchWords(text), ...indexBigrams(text)];
}

/**
 * The space-joined tokens of an entry: the title's twice (a title match ranks above a body match) and the
 * body's once.
 */
export function entryTokens(title: string, body: string): string {
  const t = indexTokens(title).join(" ");
  return [t, t, indexTokens(body).join(" ")].filter(Boolean).join(" ");
}
