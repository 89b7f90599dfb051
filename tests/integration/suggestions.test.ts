import type { Node as PMNode } from "@tiptap/pm/model";
import { EditorState, type Transaction } from "@tiptap/pm/state";
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { suggestTransaction } from "~/editor/schema/suggest-mode";
import { listSuggestions } from "~/editor/schema/suggestions";
import { TRACKED_ITEM } from "~/editor/schema/tracked-item";
import { readStoredContent } from "~/services/document-content.server";
import { newId } from "~/utils/ids";
import { connectClient, waitFor, type TestClient } from "../collab/client";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * 修订 decided through the real server (issue 20, ADR 019): the drafting unit accepts or rejects, in
 * one transaction every editor sees, audited; nobody else may; countersign waits until none is open;
 * what was proposed and rejected leaves the version hash as it was; a proposed 议定事项 reaches the
 * ledger only once accepted; bad ids change nothing.
 */
let app: RunningServer;
const clients: TestClient[] = [];
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

async function world() {
  const region = await buildRegion();
  const bureau = await buildOrg({ kind: "JUSTICE_BUREAU", region, name: `市司法局${Date.now()}` });
  const court = await buildOrg({ kind: "COURT", region, name: `市中级人民法院${Date.now()}` });
  const drafter = await buildUser({ org: bureau, role: "DRAFTER", displayName: "王磊" });
  const liaison = await buildUser({ org: court, role: "LIAISON", displayName: "陈静" });
  const doc = await buildDocument({
    ownerOrg: bureau,
    createdById: drafter.id,
    members: [{ orgId: court.id, access: "SUGGEST" }],
  });
  const other = await buildDocument({ ownerOrg: bureau, createdById: drafter.id });
  return {
    bureau,
    court,
    liaison,
    doc,
    other,
    cookies: { drafter: await buildSessionCookie(drafter.id), liaison: await buildSessionCookie(liaison.id) },
  };
}

const pmOf = (c: TestClient) => yXmlFragmentToProseMirrorRootNode(c.doc.getXmlFragment(YJS_FRAGMENT), schema);
const write = (c: TestClient, doc: PMNode) =>
  updateYFragment(c.doc, c.doc.getXmlFragment(YJS_FRAGMENT), doc, { mapping: new Map(), isOMark: new Map() });
const lines = (d: PMNode) => d.textBetween(0, d.content.size, "|").replaceAll("\u200B", "");

async function hashOf(documentId: string): Promise<string> {
  await app.server.collab.storeDocument(documentId);
  return (await readStoredContent(getDb(), documentId)).sha256;
}

describe("修订 decided by the drafting unit", () => {
  it("accept and reject reach every editor and are audited; only the drafting unit decides; countersign waits", async () => {
    const w = await world();
    const drafter = connectClient(app.origin, w.doc.id, w.cookies.drafter);
    clients.push(drafter);
    await drafter.synced();
    write(
      drafter,
      schema.nodeFromJSON({
        type: "doc",
        content: [
          { type: "paragraph", content: [{ type: "text", text: "整改期限为三个月。" }] },
          { type: "paragraph", content: [{ type: "text", text: "逐项销号，按月报送进展。" }] },
        ],
      }),
    );
    const liaison = connectClient(app.origin, w.doc.id, w.cookies.liaison);
    clients.push(liaison);
    await liaison.synced();
    await waitFor(() => lines(pmOf(liaison)).startsWith("整改期限"), 5000, "the liaison has the text");
    const before = await hashOf(w.doc.id);

    const propose = (make: (s: EditorState) => Transaction) => {
      const state = EditorState.create({ doc: pmOf(liaison) });
      const out = suggestTransaction(make(state), state, {
        author: { userId: w.liaison.id, name: "陈静", orgId: w.court.id, orgName: w.court.name },
        now: () => new Date().toISOString(),
        random: () => Math.random().toString(36).slice(2, 10),
      });
      if ("refused" in out) throw new Error(out.refused);
      write(liaison, out.tr.doc);
    };
    // 三 → 两; the sentence 按月报送进展 struck; a new 议定事项 proposed.
    propose((s) => s.tr.insertText("两", 6, 7));
    propose((s) => {
      const text = lines(s.doc);
      const at = s.doc.content.size - 1 - "按月报送进展。".length;
      expect(text).toContain("按月报送进展");
      return s.tr.delete(at, s.doc.content.size - 1);
    });
    propose((s) =>
      s.tr.insert(
        s.doc.content.size,
        schema.nodes[TRACKED_ITEM]!.create({ itemId: newId() }, schema.text("市中院两个月内反馈。")),
      ),
    );
    await waitFor(() => listSuggestions(pmOf(drafter)).length === 4, 5000, "the drafter sees the proposals");
    const ids = [...new Set(listSuggestions(pmOf(drafter)).map((s) => s.id))];
    expect(ids).toHaveLength(3);
    const [replace, strike, item] = ids as [string, string, string];

    // What counts did not change: the hash is the one before the proposals.
    expect(await hashOf(w.doc.id)).toBe(before);
    // Nor did the ledger: the proposed 议定事项 is not a row.
    expect(await getDb().trackedItem.count({ where: { sourceDocumentId: w.doc.id } })).toBe(0);

    // The liaison may not decide; countersign is refused while one is open, naming them.
    const post = (cookie: string, form: Record<string, string>) =>
      app.request(`/documents/${w.doc.id}/suggestions`, { cookie, form });
    const refused = await post(w.cookies.liaison, { intent: "accept", id: replace });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("只有牵头单位");
    const countersign = await app.request(`/documents/${w.doc.id}`, {
      cookie: w.cookies.drafter,
      form: { intent: "requestCountersign", confirmOpenThreads: "on" },
    });
    expect(countersign.status).toBe(409);
    const why = await countersign.text();
    expect(why).toContain("条修订未处理");
    expect(why).toContain(w.court.name);

    // An id of nothing in this document, or malformed: 404 / 400, nothing changes.
    expect((await post(w.cookies.drafter, { intent: "accept", id: "someone.else1" })).status).toBe(404);
    expect((await post(w.cookies.drafter, { intent: "accept", id: "<script>" })).status).toBe(400);
    expect(listSuggestions(pmOf(drafter))).toHaveLength(4);

    // Accept the replacement, reject the deletion: both editors show the same text at once.
    expect((await post(w.cookies.drafter, { intent: "accept", id: replace })).status).toBe(200);
    expect((await post(w.cookies.drafter, { intent: "reject", id: strike })).status).toBe(200);
    const expected = "整改期限为两个月。|逐项销号，按月报送进展。|市中院两个月内反馈。";
    await waitFor(() => lines(pmOf(liaison)) === expected, 5000, "the liaison's editor");
    expect(lines(pmOf(drafter))).toBe(expected);
    expect(listSuggestions(pmOf(drafter)).map((s) => s.id)).toEqual([item]);

    // The 议定事项 becomes a ledger row once accepted, not before.
    expect(await getDb().trackedItem.count({ where: { sourceDocumentId: w.doc.id } })).toBe(0);
    expect((await post(w.cookies.drafter, { intent: "accept", all: "on" })).status).toBe(200);
    await app.server.collab.storeDocument(w.doc.id);
    await waitFor(
      async () => (await getDb().trackedItem.count({ where: { sourceDocumentId: w.doc.id } })) === 1,
      8000,
      "the accepted item in the ledger",
    );
    const audits = await getDb().auditEvent.findMany({
      where: { targetId: w.doc.id, action: { startsWith: "suggestion." } },
      orderBy: { at: "asc" },
    });
    expect(audits.map((a) => a.action)).toEqual(["suggestion.accepted", "suggestion.rejected", "suggestion.accepted"]);
    expect(audits[0]!.summary).toContain(w.court.name);
  });

  it("a rejected proposal leaves the version hash exactly as if it had never been made; authors withdraw their own", async () => {
    const w = await world();
    const drafter = connectClient(app.origin, w.doc.id, w.cookies.drafter);
    clients.push(drafter);
    await drafter.synced();
    write(
      drafter,
      schema.nodeFromJSON({
        type: "doc",
        content: [{ type: "paragraph", content: [{ type: "text", text: "会议议定如下。" }] }],
      }),
    );
    const liaison = connectClient(app.origin, w.doc.id, w.cookies.liaison);
    clients.push(liaison);
    await liaison.synced();
    await waitFor(() => lines(pmOf(liaison)) === "会议议定如下。", 5000, "the liaison has the text");
    const before = await hashOf(w.doc.id);
    const state = EditorState.create({ doc: pmOf(liaison) });
    const out = suggestTransaction(state.tr.insertText("（第一次）", 5), state, {
      author: { userId: w.liaison.id, name: "陈静", orgId: w.court.id, orgName: w.court.name },
      now: () => new Date().toISOString(),
      random: () => "w1",
    });
    if ("refused" in out) throw new Error(out.refused);
    write(liaison, out.tr.doc);
    await waitFor(() => listSuggestions(pmOf(drafter)).length === 1, 5000, "proposed");
    const id = listSuggestions(pmOf(drafter))[0]!.id;
    // A version saved now: its hash leaves the proposal out, its page lists it as open then.
    await app.server.collab.storeDocument(w.doc.id);
    const named = await app.request(`/documents/${w.doc.id}/versions`, {
      cookie: w.cookies.drafter,
      form: { intent: "name", name: "征求意见稿" },
    });
    expect(named.status).toBeLessThan(400);
    const version = await getDb().documentVersion.findFirst({
      where: { documentId: w.doc.id },
      orderBy: { number: "desc" },
    });
    expect(version?.sha256).toBe(before);
    const page = await (
      await app.request(`/documents/${w.doc.id}/versions/${version!.number}`, { cookie: w.cookies.drafter })
    ).text();
    expect(page).toContain("本版时尚未处理的修订（1）");
    expect(page).toContain("插入「（第一次）」");
    // Another document's page cannot reach it.
    const elsewhere = await app.request(`/documents/${w.other.id}/suggestions`, {
      cookie: w.cookies.drafter,
      form: { intent: "reject", id },
    });
    expect(elsewhere.status).toBe(404);
    const withdrawn = await app.request(`/documents/${w.doc.id}/suggestions`, {
      cookie: w.cookies.liaison,
      form: { intent: "withdraw", id },
    });
    expect(withdrawn.status).toBe(200);
    await waitFor(() => listSuggestions(pmOf(drafter)).length === 0, 5000, "withdrawn everywhere");
    expect(await hashOf(w.doc.id)).toBe(before);
  });
});
