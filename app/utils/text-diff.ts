export type DiffKind = "same" | "ins" | "del";
export interface DiffPart {
  kind: DiffKind;
  text: string;
}

/** Above this many changed characters in one run of paragraphs, the run is shown as replaced whole. */
const MAX_CHAR_EDIT = 4000;

function push(out: DiffPart[], kind: DiffKind, text: string) {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

/**
 * Character-level diff of two texts whose paragraphs are separated by "\n" (Chinese has no word
 * boundaries, so characters are the unit). Paragraphs are aligned first, then changed runs are
 * compared character by character, which keeps long documents fast. The diff library loads with the
 * first comparison, not at start (ADR 030).
 */
export async function diffText(before: string, after: string): Promise<DiffPart[]> {
  const { diffArrays, diffChars } = await import("diff");
  const lines = (t: string) => (t === "" ? [] : t.split("\n").map((l) => `${l}\n`));
  const blocks = diffArrays(lines(before), lines(after));
  const out: DiffPart[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const text = block.value.join("");
    const next = blocks[i + 1];
    if (block.removed && next?.added) {
      const added = next.value.join("");
      const chars = diffChars(text, added, { maxEditLength: MAX_CHAR_EDIT });
      if (chars) for (const c of chars) push(out, c.added ? "ins" : c.removed ? "del" : "same", c.value);
      else {
        push(out, "del", text);
        push(out, "ins", added);
      }
      i++;
    } else push(out, block.added ? "ins" : block.removed ? "del" : "same", text);
  }
  return out;
}

export function diffStats(parts: DiffPart[]): { inserted: number; deleted: number } {
  let inserted = 0;
  let deleted = 0;
  for (const p of parts) {
    const n = [...p.text.replace(/\n/g, "")].length;
    if (p.kind === "ins") inserted += n;
    else if (p.kind === "del") deleted += n;
  }
  return { inserted, deleted };
}

/** The parts split into display paragraphs (a paragraph mark belongs to the paragraph it ends). */
export function diffParagraphs(parts: DiffPart[]): DiffPart[][] {
  const paragraphs: DiffPart[][] = [];
  let current: DiffPart[] = [];
  for (const part of parts) {
    const pieces = part.text.split("\n");
    pieces.forEach((piece, index) => {
      if (piece) current.push({ kind: part.kind, text: piece });
      if (index < pieces.length - 1) {
        // A deleted or inserted paragraph mark is worth showing when the paragraph has no other change.
        if (part.kind !== "same" && current.every((c) => c.kind === "same"))
          current.push({ kind: part.kind, text: "¶" });
        paragraphs.push(current);
        current = [];
      }
    });
  }
  if (current.length) paragraphs.push(current);
  return paragraphs;
}
