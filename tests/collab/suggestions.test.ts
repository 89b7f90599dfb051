import type { Node as PMNode } from "@tiptap/pm/model";
import { EditorState, type Transaction } from "@tiptap/pm/state";
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { suggestTransaction } from "~/editor/schema/suggest-mode";
import { listSuggestions, rejectSuggestions } from "~/editor/schema/suggestions";
import { CloseCode } from "../../app/protocol/collab";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { connectClient, waitFor, type TestClient } from "./client";

/**
 * SUGGEST connections (修订, ADR 019): the collab server takes their proposals and refuses, with
 * 4422 and without storing it, every other change — whatever client sends it.
 */
let app: RunningServer;
const clients: TestClient[] = [];
const track = (c: TestClient) => (clients.push(c), c);
const schema = editorSchema();

beforeAll(async () => {
  app = await startServer();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await app.close();
});

async function setup() {
  // Names unique per run: the PostgreSQL check runs beside the demo data, whose units have these names.
  const suffix = Math.random().toString(36).slice(2, 8);
  const owner = await buildOrg({ kind: "JUSTICE_BUREAU", name: `示例市司法局${suffix}` });
  const court = await buildOrg({ kind: "COURT", name: `示例市中级人民法院${suffix}` });
  const drafter = await buildUser({ org: owner, role: "DRAFTER", displayName: "王磊" });
  const liaison = await buildUser({ org: court, role: "LIAISON", displayName: "陈静" });
  const doc = await buildDocument({
    ownerOrg: owner,
    createdById: drafter.id,
    members: [{ orgId: court.id, access: "SUGGEST" }],
  });
  return {
    doc,
    court,
    liaisonId: liaison.id,
    drafter: await buildSessionCookie(drafter.id),
    liaison: await buildSessionCookie(liaison.id),
  };
}

const pmOf = (c: TestClient) => yXmlFragmentToProseMirrorRootNode(c.doc.getXmlFragment(YJS_FRAGMENT), schema);
const write = (c: TestClient, doc: PMNode) =>
  updateYFragment(c.doc, c.doc.getXmlFragment(YJS_FRAGMENT), doc, { mapping: new Map(), isOMark: new Map() });
const plainText = (d: PMNode) => d.textBetween(0, d.content.size, "|");

async function storedText(documentId: string): Promise<string> {
  await app.server.collab.storeDocument(documentId);
  const ydoc = new Y.Doc();
  const snap = await getDb().documentSnapshot.findUnique({ where: { documentId } });
  if (snap) Y.applyUpdate(ydoc, new Uint8Array(snap.state));
  const rows = await getDb().documentUpdate.findMany({ where: { documentId }, orderBy: { seq: "asc" } });
  for (const r of rows) Y.applyUpdate(ydoc, new Uint8Array(r.data));
  return plainText(yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(YJS_FRAGMENT), schema));
}

describe("collab server: a SUGGEST connection only proposes", () => {
  it("takes the court's proposal, refuses its plain deletion and a proposal in someone else's name", async () => {
    const s = await setup();
    const drafter = track(connectClient(app.origin, s.doc.id, s.drafter));
    await drafter.synced();
    write(
      drafter,
      schema.nodeFromJSON({
        type: "doc",
        content: [
          { type: "paragraph", content: [{ type: "text", text: "整改期限为三个月。" }] },
          { type: "paragraph", content: [{ type: "text", text: "逐项销号。" }] },
        ],
      }),
    );
    const liaison = track(connectClient(app.origin, s.doc.id, s.liaison));
    await liaison.synced();
    await waitFor(() => plainText(pmOf(liaison)) === "整改期限为三个月。|逐项销号。", 5000, "liaison has the text");

    // 三 → 两, made the way the editor makes it, in the liaison's name.
    const propose = (authorId: string, make: (s: EditorState) => Transaction) => {
      const state = EditorState.create({ doc: pmOf(liaison) });
      const out = suggestTransaction(make(state), state, {
        author: { userId: authorId, name: "陈静", orgId: s.court.id, orgName: s.court.name },
        now: () => new Date().toISOString(),
        random: () => Math.random().toString(36).slice(2, 10),
      });
      if ("refused" in out) throw new Error(out.refused);
      write(liaison, out.tr.doc);
    };
    propose(s.liaisonId, (st) => st.tr.insertText("两", 6, 7));
    await waitFor(() => listSuggestions(pmOf(drafter)).length === 2, 5000, "the drafter sees the proposal");
    expect(listSuggestions(pmOf(drafter)).map((x) => [x.kind, x.orgName, x.text])).toEqual([
      ["deletion", s.court.name, "三"],
      ["insertion", s.court.name, "两"],
    ]);
    expect(liaison.closes).toEqual([]);
    const proposed = plainText(pmOf(drafter));

    // A plain deletion straight through Yjs (not the editor): closed with 4422, never stored nor sent.
    const paragraph = liaison.doc.getXmlFragment(YJS_FRAGMENT).get(1) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).delete(0, 2);
    await waitFor(() => liaison.closes.length > 0, 5000, "the liaison is closed");
    expect(liaison.closes[0]!.code).toBe(CloseCode.NOT_A_SUGGESTION);
    await new Promise((r) => setTimeout(r, 200));
    expect(plainText(pmOf(drafter))).toBe(proposed);
    expect(await storedText(s.doc.id)).toBe(proposed);
    expect(drafter.closes).toEqual([]);

    // A fresh connection proposing in the drafter's name: refused the same way.
    liaison.destroy();
    const again = track(connectClient(app.origin, s.doc.id, s.liaison));
    await again.synced();
    await waitFor(() => plainText(pmOf(again)) === proposed, 5000, "the new connection has the document");
    const state = EditorState.create({ doc: pmOf(again) });
    const out = suggestTransaction(state.tr.insertText("（含）", 8), state, {
      author: { userId: "someone-else", name: "王磊", orgId: null, orgName: "示例市司法局" },
      now: () => new Date().toISOString(),
      random: () => "x1",
    });
    if ("refused" in out) throw new Error(out.refused);
    write(again, out.tr.doc);
    await waitFor(() => again.closes.length > 0, 5000, "closed");
    expect(again.closes[0]!.code).toBe(CloseCode.NOT_A_SUGGESTION);
    expect(await storedText(s.doc.id)).toBe(proposed);
    // What counts is still the drafter's text.
    expect(plainText(rejectSuggestions(pmOf(drafter)))).toBe("整改期限为三个月。|逐项销号。");
  });
});
