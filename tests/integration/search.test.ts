import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import {
  buildConsultation,
  buildDocument,
  buildDocumentText,
  buildOrg,
  buildRegion,
  buildSessionCookie,
  buildUser,
} from "../factories";
import { connectClient, waitFor } from "../collab/client";
import { startServer, type RunningServer } from "./helpers";
import { findAs, marked, rare, resultIds, searchIndexed } from "./search-helpers";

/**
 * Global search (ADR 028) against the real server with its background index job: words of a body find the
 * document first with the words marked, a one-character query, region boundaries, re-indexing after an edit
 * through the collab server, and hostile queries. Every word searched for is this run's own (random CJK
 * characters), so a shared PostgreSQL database holds no other match.
 */

let app: RunningServer;

const W1 = rare(3);
const W2 = rare(3);
const ONLY_B = rare(4);
const AGENDA = rare(3);
const SURNAME = rare(1);

let agencyADrafter: string;
let sfjACoord: string;
let courtLiaison: string;
let agencyBDrafter: string;
let sfjBCoord: string;
let docA: string;
let docAWeak: string;
let docB: string;
let consultation: string;
let writable: { id: string };

const find = (cookie: string, q: string, extra = "") => findAs(app, cookie, q, extra);
const ids = resultIds;

/** Until this file's records are indexed (other files' marks are not waited for). */
const indexed = (...more: string[]) =>
  searchIndexed([docA, docAWeak, docB, consultation, writable?.id, ...more].filter(Boolean));

beforeAll(async () => {
  app = await startServer({ search: { intervalMs: 100 } });
  const province = await buildRegion({ level: "PROVINCE" });
  const cityA = await buildRegion({ level: "CITY", parent: province });
  const countyA = await buildRegion({ level: "COUNTY", parent: cityA });
  const cityB = await buildRegion({ level: "CITY", parent: province });
  const sfjA = await buildOrg({ kind: "JUSTICE_BUREAU", region: cityA });
  const agencyA = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: countyA });
  const courtA = await buildOrg({ kind: "COURT", region: cityA });
  const sfjB = await buildOrg({ kind: "JUSTICE_BUREAU", region: cityB });
  const agencyB = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: cityB });
  const drafterA = await buildUser({ org: agencyA, role: "DRAFTER" });
  agencyADrafter = await buildSessionCookie(drafterA.id);
  const coordA = await buildUser({ org: sfjA, role: "COORDINATOR" });
  sfjACoord = await buildSessionCookie(coordA.id);
  courtLiaison = await buildSessionCookie((await buildUser({ org: courtA, role: "LIAISON" })).id);
  const drafterB = await buildUser({ org: agencyB, role: "DRAFTER" });
  agencyBDrafter = await buildSessionCookie(drafterB.id);
  sfjBCoord = await buildSessionCookie((await buildUser({ org: sfjB, role: "COORDINATOR" })).id);

  docA = (await buildDocument({ ownerOrg: agencyA, createdById: drafterA.id, title: `关于${W1}的整改方案` })).id;
  await buildDocumentText(
    docA,
    `一、基本情况\n今年以来，县局围绕${W1}开展专项检查，发现${W2}问题十二个。\n二、整改措施\n由${SURNAME}某某牵头落实。`,
  );
  // Holds both words too, far apart and once each, and not in its title: found, ranked below docA.
  docAWeak = (await buildDocument({ ownerOrg: agencyA, createdById: drafterA.id, title: "其他材料" })).id;
  await buildDocumentText(docAWeak, `${W1}。${"其他内容。".repeat(80)}${W2}。`);
  docB = (await buildDocument({ ownerOrg: agencyB, createdById: drafterB.id, title: `${W1}工作报告` })).id;
  await buildDocumentText(docB, `乙市同样开展${W1}和${W2}工作，另有${ONLY_B}事项。`);
  consultation = (
    await buildConsultation({
      org: sfjA,
      createdById: coordA.id,
      title: "专项会商",
      agenda: [`研究${AGENDA}问题`, "通报进展"],
      place: "市司法局第一会议室",
      invited: [{ orgId: courtA.id }],
    })
  ).id;
  writable = await buildDocument({
    ownerOrg: agencyA,
    createdById: drafterA.id,
    title: "起草中的纪要",
  });
  await indexed();
});

afterAll(async () => {
  await app?.close();
});

describe("global search", () => {
  it("finds a document by two words of its body, first, with the words marked", async () => {
    const page = await find(agencyADrafter, `${W1} ${W2}`);
    expect(page.state).toBe("results");
    if (page.state !== "results") return;
    expect(ids(page)).toEqual([docA, docAWeak]);
    const [first] = page.results;
    expect(first.href).toBe(`/documents/${docA}`);
    expect(marked(first.title)).toEqual([W1]);
    expect(marked(first.passage)).toEqual([W1, W2]);
    expect(page.counts).toMatchObject({ document: 2, consultation: 0, item: 0 });
    // All words must occur: one of them with a word no document holds finds nothing.
    expect(ids(await find(agencyADrafter, `${W1} ${rare(3)}`))).toEqual([]);
  });

  it("finds a one-character query", async () => {
    const page = await find(agencyADrafter, SURNAME);
    expect(ids(page)).toContain(docA);
    if (page.state === "results") expect(marked(page.results[0].passage)).toContain(SURNAME);
  });

  it("never shows another region's records, in results, counts or passages", async () => {
    const own = await find(agencyBDrafter, `${W1} ${W2}`);
    expect(ids(own)).toEqual([docB]);
    // The city B justice bureau does not supervise city A's county; city A's does (上级监督下级).
    expect(ids(await find(sfjBCoord, `${W1} ${W2}`))).toEqual([]);
    expect(ids(await find(sfjACoord, `${W1} ${W2}`)).sort()).toEqual([docA, docAWeak].sort());
    const other = await find(agencyADrafter, ONLY_B);
    expect(other).toMatchObject({ state: "results", total: 0, counts: { document: 0, consultation: 0 } });
    const html = await (await app.request(`/search?q=${encodeURIComponent(ONLY_B)}`, { cookie: sfjACoord })).text();
    expect(html).not.toContain(`另有${ONLY_B}`);
  });

  it("finds a consultation by its agenda for the convener and the invited org only", async () => {
    for (const cookie of [sfjACoord, courtLiaison]) {
      const page = await find(cookie, AGENDA);
      expect(ids(page)).toEqual([consultation]);
      if (page.state === "results") expect(page.results[0].href).toBe(`/consultations/${consultation}`);
    }
    expect(ids(await find(agencyADrafter, AGENDA))).toEqual([]);
    expect(ids(await find(agencyBDrafter, AGENDA))).toEqual([]);
    // The kind filter: documents only leaves the consultation out of the results, not out of the counts.
    const docsOnly = await find(sfjACoord, AGENDA, "&kind=document");
    expect(docsOnly).toMatchObject({ results: [], counts: { consultation: 1 } });
  });

  it("re-indexes a document in the background after an edit in the co-editor", async () => {
    const word = rare(4);
    expect(ids(await find(agencyADrafter, word))).toEqual([]);
    const client = connectClient(app.origin, writable.id, agencyADrafter);
    try {
      await client.synced();
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText(`会议决定开展${word}专项行动。`)]);
      client.doc.getXmlFragment("default").push([p]);
      await waitFor(
        async () => (await getDb().documentUpdate.count({ where: { documentId: writable.id } })) > 0,
        5000,
        "stored",
      );
    } finally {
      client.destroy();
    }
    // The last editor left: the document is compacted and marked; the job indexes it — never the request.
    await waitFor(async () => ids(await find(agencyADrafter, word)).includes(writable.id), 20_000, "re-indexed");
    expect(ids(await find(agencyBDrafter, word))).toEqual([]);
  });

  it("answers hostile and odd queries without an error", async () => {
    const hostile = [
      '"',
      '""',
      "*",
      `${W1}*`,
      "NEAR(",
      `NEAR(${W1} ${W2})`,
      "OR",
      `${W1} OR ${W2}`,
      "-",
      `-${W1}`,
      "^",
      "{}",
      "a:b",
      '\'); DROP TABLE "SearchEntry"; --',
      "%",
      "_",
      "\\",
      "\u0000",
      "😀",
      "ａｂｃ",
      "　",
      `${W1}`.repeat(40),
    ];
    for (const q of hostile) {
      const page = await find(agencyADrafter, q);
      expect(["results", "empty", "tooLong"]).toContain(page.state);
    }
    const long = await find(agencyADrafter, "长".repeat(101));
    expect(long).toMatchObject({ state: "tooLong", message: expect.stringContaining("100") });
    const html = await (await app.request(`/search?q=${"长".repeat(1000)}`, { cookie: agencyADrafter })).text();
    expect(html).toContain("搜索内容过长");
    for (const extra of ["&kind=bogus", "&kind[]=document", "&limit=-1", "&limit=1e9", "&q=second"]) {
      const res = await app.request(`/search?q=${encodeURIComponent(W1)}${extra}`, { cookie: agencyADrafter });
      expect(res.status).toBe(200);
    }
    expect((await app.request(`/search?q=${encodeURIComponent(W1)}`)).status).toBe(302);
  });

  it("escapes what it shows: a title with markup is text, the marks are the only elements added", async () => {
    const drafter = await getDb().document.findUniqueOrThrow({ where: { id: docA }, select: { createdById: true } });
    const org = await getDb().document.findUniqueOrThrow({ where: { id: docA }, select: { ownerOrgId: true } });
    const word = rare(3);
    const doc = await buildDocument({
      ownerOrg: { id: org.ownerOrgId },
      createdById: drafter.createdById,
      title: `<img src=x onerror=alert(1)>${word}`,
    });
    await buildDocumentText(doc.id, `<script>alert("${word}")</script>`);
    await indexed(doc.id);
    const html = await (await app.request(`/search?q=${encodeURIComponent(word)}`, { cookie: agencyADrafter })).text();
    expect(html).toContain(`<mark class="rounded-sm bg-amber-200 px-0.5 text-slate-900">${word}</mark>`);
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain('<script>alert("');
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
