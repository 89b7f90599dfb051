/**
 * Cost of holding a SUGGEST connection to proposals (修订, ADR 019) per typing update, on a document
 * of BENCH_SUGGEST_CHARS characters (30,000): the server applying one proposal update (one character
 * typed in 修订 mode) with the integrity guard alone — the reference, what every writer's update
 * costs — and with the suggestion review (the document read before and after, both rejected views
 * compared, the suggestions listed), in alternating rounds. The review keeps the document after an
 * accepted update, so a run of one sender's updates reads the document once per update.
 *
 *   BENCH_ONLY=suggestions npm run bench
 */
import { EditorState } from "@tiptap/pm/state";
import { prosemirrorJSONToYDoc, updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { editorSchema, YJS_FRAGMENT } from "../app/editor/schema/extensions";
import { suggestTransaction } from "../app/editor/schema/suggest-mode";
import { guardIntegrity } from "../collab/documents/integrity";
import { suggestionReview } from "../collab/documents/suggestion-review";
import { connectionOrigin } from "../collab/origin";
import type { DocumentConnection } from "../collab/documents/shared-document";

const schema = editorSchema();
const SENTENCE = "会议议定，各成员单位按照职责分工，于三个月内完成涉企行政检查专项清理并报送进展。";

function buildState(chars: number): Uint8Array {
  const paragraphs = Math.ceil(chars / SENTENCE.length);
  const json = {
    type: "doc",
    content: Array.from({ length: paragraphs }, (_, i) => ({
      type: "paragraph",
      content: [{ type: "text", text: `${i + 1}. ${SENTENCE}` }],
    })),
  };
  return Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(schema, json, YJS_FRAGMENT));
}

/** `count` proposal updates: one character typed in 修订 mode, in paragraphs spread over the document. */
function proposalUpdates(state: Uint8Array, count: number): Uint8Array[] {
  const client = new Y.Doc();
  Y.applyUpdate(client, state);
  const fragment = client.getXmlFragment(YJS_FRAGMENT);
  const updates: Uint8Array[] = [];
  client.on("update", (u: Uint8Array) => updates.push(u));
  let doc = yXmlFragmentToProseMirrorRootNode(fragment, schema);
  for (let i = 0; i < count; i++) {
    const target = (i * 7) % doc.childCount;
    let pos = 0;
    for (let k = 0; k < target; k++) pos += doc.child(k).nodeSize;
    const st = EditorState.create({ doc });
    const out = suggestTransaction(st.tr.insertText("拟", pos + 4), st, {
      author: { userId: "u-court", name: "陈静", orgId: "org-court", orgName: "示例市中级人民法院" },
      now: () => "2026-12-06T08:00:00.000Z",
      random: () => `r${i}`,
    });
    if ("refused" in out) throw new Error(`proposal ${i} refused: ${out.refused}`);
    doc = out.tr.doc;
    updateYFragment(client, fragment, doc, { mapping: new Map(), isOMark: new Map() });
  }
  return updates;
}

function fakeConnection(): DocumentConnection {
  return {
    info: {
      id: 1,
      documentId: "bench",
      ip: "127.0.0.1",
      identity: {
        userId: "u-court",
        sessionId: "s",
        displayName: "陈静",
        orgId: "org-court",
        orgName: "示例市中级人民法院",
        readOnly: false,
        suggestOnly: true,
      },
    },
    awarenessIds: new Set(),
    send: () => undefined,
    close: () => undefined,
    heartbeat: () => undefined,
  } as unknown as DocumentConnection;
}

/** Milliseconds per update to apply `updates` to the document, guarded, with or without the review. */
function measure(state: Uint8Array, updates: Uint8Array[], review: boolean): { perUpdate: number; refused: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  let refused = 0;
  const connection = fakeConnection();
  const origin = connectionOrigin(connection);
  guardIntegrity(doc, {
    checks: () => true,
    onRefused: () => refused++,
    ...(review ? { review: suggestionReview(doc) } : {}),
  });
  const start = performance.now();
  for (const u of updates) Y.applyUpdate(doc, u, origin);
  const perUpdate = (performance.now() - start) / updates.length;
  doc.destroy();
  return { perUpdate, refused };
}

export async function benchSuggestions(opts: { chars: number; updates: number; rounds: number }) {
  const state = buildState(opts.chars);
  const updates = proposalUpdates(state, opts.updates);
  const guard: number[] = [];
  const reviewed: number[] = [];
  let refused = 0;
  for (let r = 0; r < opts.rounds; r++) {
    guard.push(measure(state, updates, false).perUpdate);
    const out = measure(state, updates, true);
    reviewed.push(out.perUpdate);
    refused += out.refused;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const g = median(guard);
  const s = median(reviewed);
  console.log(
    `\n== 修订 review per proposal update (${opts.chars} characters, ${opts.updates} updates, ${opts.rounds} rounds)`,
  );
  console.log(`  reference (integrity guard alone):   ${g.toFixed(3)} ms/update`);
  console.log(
    `  with the suggestion review:          ${s.toFixed(3)} ms/update  (${(s / g).toFixed(1)}× the reference)`,
  );
  console.log(`  refused (must be 0):                 ${refused}`);
  // Target (ADR 019): a proposal costs the server at most 10 ms at 30,000 characters.
  const ok = refused === 0 && s <= 10;
  console.log(`  target ≤ 10 ms/update: ${ok ? "met" : "NOT met"}`);
  return { name: "suggestions", ok, referenceMs: g, reviewedMs: s, ratio: s / g };
}
