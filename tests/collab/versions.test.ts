import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { createDeriver } from "../../app/editor/schema/derive";
import { buildDocument, buildOrg, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "../integration/helpers";
import { connectClient, waitFor, type TestClient } from "./client";

let app: RunningServer;
const clients: TestClient[] = [];
const derive = createDeriver();
const textOf = (doc: Y.Doc) => derive(doc).text;

/** Appends a paragraph to the editor's fragment, as the browser editor would. */
function addParagraph(client: TestClient, text: string) {
  client.doc.transact(() => {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(text)]);
    client.doc.getXmlFragment("default").push([p]);
  });
}
function paragraphText(client: TestClient, index: number): Y.XmlText {
  return (client.doc.getXmlFragment("default").get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

beforeAll(async () => {
  app = await startServer({ versions: { idleMs: 250, maxIntervalMs: 60_000 } });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await app.close();
});

async function versionsOf(documentId: string) {
  return getDb().documentVersion.findMany({
    where: { documentId },
    orderBy: { number: "asc" },
    select: { number: true, kind: true, name: true, authors: true, text: true, restoredFromNumber: true },
  });
}

describe("versions, diff, restore, export and verify", () => {
  it("takes automatic versions with their authors, names one, diffs by character, restores as a new audited version that open editors receive", async () => {
    const owner = await buildOrg({ kind: "JUSTICE_BUREAU" });
    const court = await buildOrg({ kind: "COURT" });
    const stranger = await buildOrg({ kind: "PROCURATORATE" });
    const drafter = await buildUser({ org: owner, role: "DRAFTER", displayName: "起草人甲" });
    const liaison = await buildUser({ org: court, role: "LIAISON", displayName: "联络员乙" });
    const outsider = await buildUser({ org: stranger, role: "COORDINATOR" });
    const reader = await buildUser({ org: stranger, role: "DRAFTER" });
    const doc = await buildDocument({
      ownerOrg: owner,
      createdById: drafter.id,
      members: [
        { orgId: court.id, access: "WRITE" },
        { userId: reader.id, access: "READ" },
      ],
    });
    const c = {
      drafter: await buildSessionCookie(drafter.id),
      liaison: await buildSessionCookie(liaison.id),
      outsider: await buildSessionCookie(outsider.id),
      reader: await buildSessionCookie(reader.id),
    };

    const a = connectClient(app.origin, doc.id, c.drafter);
    const b = connectClient(app.origin, doc.id, c.liaison);
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    addParagraph(a, "会议议定如下事项。");
    addParagraph(a, "由市司法局牵头负责。");
    // Idle → automatic version 1, by the drafter.
    await waitFor(async () => (await versionsOf(doc.id)).length === 1, 5000, "auto version 1");
    let versions = await versionsOf(doc.id);
    expect(versions[0]).toMatchObject({ number: 1, kind: "AUTO", text: "会议议定如下事项。\n由市司法局牵头负责。" });
    expect(JSON.parse(versions[0].authors)).toEqual([
      expect.objectContaining({ userId: drafter.id, name: "起草人甲" }),
    ]);

    // Naming the unchanged text takes the automatic version over instead of adding a twin.
    expect(
      (
        await app.request(`/documents/${doc.id}/versions`, {
          cookie: c.drafter,
          form: { intent: "name", name: "会前稿" },
        })
      ).status,
    ).toBe(302);
    versions = await versionsOf(doc.id);
    expect(versions.map((v) => [v.number, v.kind, v.name])).toEqual([[1, "NAMED", "会前稿"]]);
    // Bad input: empty and over-long names, a reader, an outsider.
    const bad = await app.request(`/documents/${doc.id}/versions`, {
      cookie: c.drafter,
      form: { intent: "name", name: "" },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("版本名称");
    expect(
      (
        await app.request(`/documents/${doc.id}/versions`, {
          cookie: c.drafter,
          form: { intent: "name", name: "名".repeat(41) },
        })
      ).status,
    ).toBe(400);
    expect(
      (await app.request(`/documents/${doc.id}/versions`, { cookie: c.reader, form: { intent: "name", name: "读者" } }))
        .status,
    ).toBe(403);
    expect(
      (
        await app.request(`/documents/${doc.id}/versions`, {
          cookie: c.outsider,
          form: { intent: "name", name: "外人" },
        })
      ).status,
    ).toBe(403);

    // The liaison edits: inserts 研究, deletes 牵头 → version 2 by the liaison.
    await waitFor(() => textOf(b.doc).includes("牵头"), 3000, "b synced");
    b.doc.transact(() => {
      paragraphText(b, 0).insert(2, "研究");
      paragraphText(b, 1).delete(5, 2);
    });
    await waitFor(async () => (await versionsOf(doc.id)).length === 2, 5000, "auto version 2");
    versions = await versionsOf(doc.id);
    expect(versions[1].text).toBe("会议研究议定如下事项。\n由市司法局负责。");
    expect(JSON.parse(versions[1].authors).map((x: { name: string }) => x.name)).toEqual(["联络员乙"]);

    const compare = await app.request(`/documents/${doc.id}/compare?from=1&to=2`, { cookie: c.liaison });
    expect(compare.status).toBe(200);
    const html = await compare.text();
    expect(html).toContain("<ins>研究</ins>");
    expect(html).toContain("<del>牵头</del>");
    expect(html).toMatch(/新增 (<!-- -->)?2(<!-- -->)? 字/);
    expect(html).toContain("联络员乙");
    expect((await app.request(`/documents/${doc.id}/compare?from=1&to=99`, { cookie: c.liaison })).status).toBe(404);
    expect((await app.request(`/documents/${doc.id}/compare?from=x&to=2`, { cookie: c.liaison })).status).toBe(404);
    const view = await app.request(`/documents/${doc.id}/versions/1`, { cookie: c.reader });
    expect(view.status).toBe(200);
    expect(await view.text()).toContain("由市司法局牵头负责。");

    // Restore version 1: both open editors get the old text; a new version and an audit record.
    const restored = await app.request(`/documents/${doc.id}/versions`, {
      cookie: c.drafter,
      form: { intent: "restore", number: "1" },
    });
    expect(restored.status).toBe(302);
    expect(restored.headers.get("location")).toBe(`/documents/${doc.id}/versions?restored=3`);
    await waitFor(
      () => textOf(a.doc) === "会议议定如下事项。\n由市司法局牵头负责。" && textOf(b.doc) === textOf(a.doc),
      5000,
      "restored text in editors",
    );
    versions = await versionsOf(doc.id);
    expect(versions.map((v) => [v.number, v.kind])).toEqual([
      [1, "NAMED"],
      [2, "AUTO"],
      [3, "RESTORE"],
    ]);
    expect(versions[2]).toMatchObject({ restoredFromNumber: 1, text: versions[0].text });
    const audit = await getDb().auditEvent.findFirst({
      where: { targetId: doc.id, action: "document.version_restored" },
      select: { actorId: true, summary: true },
    });
    expect(audit).toMatchObject({ actorId: drafter.id });
    expect(audit!.summary).toContain("恢复第1版");
    // Editing goes on from the restored text.
    addParagraph(b, "恢复后继续修改。");
    await waitFor(() => textOf(a.doc).endsWith("恢复后继续修改。"), 3000, "edit after restore");
    expect(
      (
        await app.request(`/documents/${doc.id}/versions`, {
          cookie: c.reader,
          form: { intent: "restore", number: "2" },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await app.request(`/documents/${doc.id}/versions`, {
          cookie: c.drafter,
          form: { intent: "restore", number: "77" },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await app.request(`/documents/${doc.id}/versions`, {
          cookie: c.drafter,
          form: { intent: "restore", number: "abc" },
        })
      ).status,
    ).toBe(400);

    // Outsiders see none of it.
    for (const path of ["versions", "versions/1", "compare?from=1&to=2", "verify", "export/docx", "export/pdf"]) {
      expect((await app.request(`/documents/${doc.id}/${path}`, { cookie: c.outsider })).status, path).toBe(403);
    }
  });

  it("exports a draft watermarked and the finalized version with its hash; the verify page recomputes it", async () => {
    const owner = await buildOrg({ kind: "JUSTICE_BUREAU" });
    const court = await buildOrg({ kind: "COURT" });
    const drafter = await buildUser({ org: owner, role: "DRAFTER" });
    const courtDrafter = await buildUser({ org: court, role: "DRAFTER" });
    const doc = await buildDocument({
      ownerOrg: owner,
      createdById: drafter.id,
      title: "导出测试纪要",
      members: [{ orgId: court.id, access: "WRITE" }],
    });
    const c = { drafter: await buildSessionCookie(drafter.id), court: await buildSessionCookie(courtDrafter.id) };
    const w = connectClient(app.origin, doc.id, c.drafter);
    clients.push(w);
    await w.synced();
    addParagraph(w, "会议议定：各单位按期报送进展。");
    await new Promise((r) => setTimeout(r, 300));

    const draft = await app.request(`/documents/${doc.id}/export/docx`, { cookie: c.court });
    expect(draft.status).toBe(200);
    expect(draft.headers.get("content-type")).toContain("wordprocessingml");
    expect(draft.headers.get("content-disposition")).toContain(encodeURIComponent("导出测试纪要（草稿）.docx"));
    const draftZip = await JSZip.loadAsync(Buffer.from(await draft.arrayBuffer()));
    const draftXml = (
      await Promise.all(
        Object.keys(draftZip.files)
          .filter((n) => n.startsWith("word/") && n.endsWith(".xml"))
          .map((n) => draftZip.file(n)!.async("string")),
      )
    ).join("");
    expect(draftXml).toContain("草稿");
    expect(draftXml).toContain("各单位按期报送进展");

    expect(
      (await app.request(`/documents/${doc.id}`, { cookie: c.drafter, form: { intent: "requestCountersign" } })).status,
    ).toBe(302);
    expect((await app.request(`/documents/${doc.id}`, { cookie: c.court, form: { intent: "approve" } })).status).toBe(
      302,
    );
    const final = await getDb().document.findUniqueOrThrow({
      where: { id: doc.id },
      select: { status: true, finalHash: true },
    });
    expect(final.status).toBe("FINALIZED");

    const docx = await app.request(`/documents/${doc.id}/export/docx`, { cookie: c.court });
    expect(docx.status).toBe(200);
    const zip = await JSZip.loadAsync(Buffer.from(await docx.arrayBuffer()));
    const body = await zip.file("word/document.xml")!.async("string");
    expect(body).toContain(final.finalHash!.slice(0, 32));
    expect(body).toContain("导出测试纪要");
    const pdf = await app.request(`/documents/${doc.id}/export/pdf`, { cookie: c.drafter });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect(await getDb().auditEvent.count({ where: { targetId: doc.id, action: "document.exported" } })).toBe(3);
    expect((await app.request(`/documents/${doc.id}/export/odt`, { cookie: c.drafter })).status).toBe(404);

    const verify = await app.request(`/documents/${doc.id}/verify?hash=${final.finalHash!.toUpperCase()}`, {
      cookie: c.court,
    });
    expect(verify.status).toBe(200);
    const page = await verify.text();
    expect(page).toContain("内容完整");
    expect(page).toContain("与定稿一致");
    expect(
      await (await app.request(`/documents/${doc.id}/verify?hash=${"0".repeat(64)}`, { cookie: c.court })).text(),
    ).toContain("不一致");
    expect(
      await (await app.request(`/documents/${doc.id}/verify?hash=%3Cscript%3E`, { cookie: c.court })).text(),
    ).toContain("格式不正确");
    // A finalized document's versions cannot be restored.
    expect(
      (
        await app.request(`/documents/${doc.id}/versions`, {
          cookie: c.drafter,
          form: { intent: "restore", number: "1" },
        })
      ).status,
    ).toBe(409);
  }, 90_000);
});
