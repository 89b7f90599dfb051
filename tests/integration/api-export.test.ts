import { createHash } from "node:crypto";
import SwaggerParser from "@apidevtools/swagger-parser";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import type { Actor } from "~/domain/actor";
import { createToken } from "~/services/api-tokens.server";
import { newId } from "~/utils/ids";
import { buildDocument, buildOrg, buildRegion, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * The data-exchange API's bulk export (GET /api/v1/export, ADR 027) against the real server: one
 * streamed .zip of JSON Lines with a manifest written last, in the token's scope, narrowed by
 * region, refused with typed Chinese errors, audited, and described in the OpenAPI document.
 */

let app: RunningServer;
const DAY = 86_400_000;
type Org = { id: string; name: string; regionId: string };
let city: { id: string; name: string; path: string };
let county: { id: string; name: string; path: string };
let sfj: Org;
let agency: Org;
let other: Org;
let countyBureau: Org;
let supervisor2: Org;
let agencyAdmin: { id: string; displayName: string; actor: Actor };
let creatorId: string;
const I: Record<string, string> = {};
const R: Record<string, string> = {};

type Line = Record<string, unknown> & { id: string };
interface Manifest {
  format: string;
  version: number;
  generatedAt: string;
  org: { id: string; name: string };
  region: { id: string; name: string } | null;
  files: Array<{ name: string; records: number; sha256: string }>;
}
interface Download {
  res: Response;
  raw: Buffer;
  names: string[];
  bytes: Record<string, Buffer>;
  lines: Record<string, Line[]>;
  manifest: Manifest;
}

const FILES = ["items.jsonl", "listings.jsonl", "recommendations.jsonl"];
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function buildItem(
  name: string,
  opts: {
    owner: { id: string };
    lead: { id: string };
    doc: { id: string };
    number: number;
    kind?: string;
    status?: string;
    supporting?: Array<{ id: string }>;
    supervising?: Array<{ id: string }>;
  },
) {
  const id = newId();
  await getDb().trackedItem.create({
    data: {
      id,
      kind: opts.kind ?? "AGREED_ITEM",
      sourceDocumentId: opts.doc.id,
      ownerOrgId: opts.owner.id,
      number: opts.number,
      wording: `导出测试事项${name}`,
      searchText: `导出测试事项${name}`,
      leadOrgId: opts.lead.id,
      dueDate: new Date(Date.now() + 10 * DAY),
      status: opts.status ?? "NOT_STARTED",
      activatedAt: new Date(Date.now() - DAY),
      orgs: {
        create: [
          { orgId: opts.lead.id, role: "LEAD" },
          ...(opts.supporting ?? []).map((o) => ({ orgId: o.id, role: "SUPPORTING" })),
          ...(opts.supervising ?? []).map((o) => ({ orgId: o.id, role: "SUPERVISING" })),
        ],
      },
    },
  });
  I[name] = id;
}

async function buildRecommendation(name: string, issuer: Org, recipient: Org, copies: Org[] = []) {
  const id = newId();
  await getDb().recommendation.create({
    data: {
      id,
      kind: "PROCURATORIAL",
      docNumber: `导出测试〔2026〕${name}号`,
      title: `关于导出测试${name}的检察建议`,
      issuerOrgId: issuer.id,
      recipientOrgId: recipient.id,
      issuedOn: new Date(Date.now() - 3 * DAY),
      receivedOn: new Date(Date.now() - 2 * DAY),
      replyDueDate: new Date(Date.now() + 60 * DAY),
      createdById: creatorId,
      copies: { create: copies.map((o) => ({ orgId: o.id })) },
    },
  });
  R[name] = id;
}

/** An ADMIN of the org (the caller createToken needs), with the membership built by hand. */
async function adminOf(org: Org, region: { id: string; path: string }) {
  const user = await buildUser({ org, role: "ADMIN", displayName: "导出测试管理员" });
  const actor: Actor = {
    userId: user.id,
    memberships: [
      {
        orgId: org.id,
        orgKind: "ENFORCEMENT_AGENCY",
        role: "ADMIN",
        regionId: region.id,
        regionPath: region.path,
        regionLevel: "CITY",
      },
    ],
  };
  return { id: user.id, displayName: user.displayName, actor };
}

async function tokenFor(caller: { id: string; displayName: string; actor: Actor }, orgId: string) {
  return createToken(
    caller,
    { orgId, name: `导出令牌${newId().slice(0, 4)}`, scope: "READ", days: 30 },
    { ip: null, now: new Date() },
  );
}

async function errorOf(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { id: string; message: string } };
  expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
  return body.error;
}

/**
 * Downloads and unzips an export, checking what every export must hold: the four entries in order
 * (manifest last), each written streamed (data descriptor), each .jsonl file's line count and
 * SHA-256 as the manifest states, and X-Export-Records equal to the manifest's total.
 */
async function download(t: string, query = ""): Promise<Download> {
  const res = await app.request(`/api/v1/export${query}`, { headers: bearer(t) });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/zip");
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("content-disposition")).toMatch(
    /^attachment; filename="consult-export-\d{4}-\d{2}-\d{2}\.zip"; filename\*=UTF-8''consult-export-\d{4}-\d{2}-\d{2}\.zip$/,
  );
  // Streamed: no length known in advance.
  expect(res.headers.get("content-length")).toBeNull();
  const raw = Buffer.from(await res.arrayBuffer());
  const zip = await JSZip.loadAsync(raw);
  const names = Object.keys(zip.files);
  expect(names).toEqual([...FILES, "manifest.json"]);
  // Every local file header has general-purpose bit 3 (sizes in a data descriptor): written as a stream.
  let headers = 0;
  for (let at = raw.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04])); at >= 0;) {
    expect(raw.readUInt16LE(at + 6) & 0x0008).toBe(0x0008);
    headers++;
    at = raw.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]), at + 30);
  }
  expect(headers).toBeGreaterThanOrEqual(4);

  const manifest = JSON.parse(await zip.file("manifest.json")!.async("string")) as Manifest;
  expect(manifest.format).toBe("consult-export");
  expect(manifest.version).toBe(1);
  expect(Math.abs(Date.parse(manifest.generatedAt) - Date.now())).toBeLessThan(60_000);
  expect(manifest.files.map((f) => f.name)).toEqual(FILES);
  const bytes: Record<string, Buffer> = {};
  const lines: Record<string, Line[]> = {};
  for (const entry of manifest.files) {
    const content = await zip.file(entry.name)!.async("nodebuffer");
    bytes[entry.name] = content;
    const text = content.toString("utf8");
    const rows = text === "" ? [] : text.slice(0, -1).split("\n");
    if (text !== "") expect(text.endsWith("\n")).toBe(true);
    expect(rows.length).toBe(entry.records);
    expect(createHash("sha256").update(content).digest("hex")).toBe(entry.sha256);
    lines[entry.name] = rows.map((r) => JSON.parse(r) as Line);
    expect(new Set(lines[entry.name].map((l) => l.id)).size).toBe(rows.length);
  }
  const total = manifest.files.reduce((a, f) => a + f.records, 0);
  expect(res.headers.get("x-export-records")).toBe(String(total));
  return { res, raw, names, bytes, lines, manifest };
}

const ids = (lines: Line[]) => lines.map((l) => l.id).sort();

beforeAll(async () => {
  app = await startServer();
  city = await buildRegion({ name: "导出测试市" });
  county = await buildRegion({ name: "导出测试县", level: "COUNTY", parent: city });
  sfj = await buildOrg({ region: city, kind: "JUSTICE_BUREAU", name: "导出测试市司法局" });
  agency = await buildOrg({ region: city, kind: "ENFORCEMENT_AGENCY", name: "导出测试市市场监管局" });
  other = await buildOrg({ region: city, kind: "ENFORCEMENT_AGENCY", name: "导出测试市生态环境局" });
  countyBureau = await buildOrg({ region: county, kind: "JUSTICE_BUREAU", name: "导出测试县司法局" });
  supervisor2 = await buildOrg({ region: city, kind: "PROCURATORATE", name: "导出测试市人民检察院" });
  const coord = await buildUser({ org: sfj, role: "COORDINATOR" });
  creatorId = coord.id;
  agencyAdmin = await adminOf(agency, city);

  const minutes = await buildDocument({
    ownerOrg: sfj,
    createdById: coord.id,
    status: "FINALIZED",
    title: "导出测试纪要",
  });
  const plan = await buildDocument({
    ownerOrg: sfj,
    createdById: coord.id,
    status: "FINALIZED",
    type: "RECTIFICATION_PLAN",
    title: "导出测试整改方案",
  });
  const countyMinutes = await buildDocument({
    ownerOrg: countyBureau,
    createdById: coord.id,
    status: "FINALIZED",
    title: "导出测试县纪要",
  });
  const listing = await buildDocument({
    ownerOrg: sfj,
    createdById: coord.id,
    status: "FINALIZED",
    type: "SUPERVISION_LISTING",
    title: "导出测试联合挂牌督办清单",
  });
  await buildItem("A1", { owner: sfj, lead: agency, doc: minutes, number: 1, supporting: [other] });
  await buildItem("M1", { owner: sfj, lead: agency, doc: plan, number: 1, kind: "RECTIFICATION_MEASURE" });
  await buildItem("C1", { owner: countyBureau, lead: agency, doc: countyMinutes, number: 1 });
  await buildItem("D1", { owner: sfj, lead: agency, doc: minutes, number: 2, status: "DRAFT" });
  await buildItem("O1", { owner: sfj, lead: other, doc: minutes, number: 3 });
  await buildItem("L1", {
    owner: sfj,
    lead: agency,
    doc: listing,
    number: 1,
    kind: "SUPERVISED_CASE",
    status: "DONE",
    supervising: [sfj, supervisor2],
  });
  await buildItem("L2", { owner: sfj, lead: agency, doc: listing, number: 2, kind: "SUPERVISED_CASE" });
  await buildItem("LO", {
    owner: sfj,
    lead: other,
    doc: listing,
    number: 3,
    kind: "SUPERVISED_CASE",
    supervising: [sfj],
  });

  await buildRecommendation("R1", supervisor2, agency); // to
  await buildRecommendation("R2", agency, other); // from
  await buildRecommendation("R3", supervisor2, other, [agency]); // copy
  await buildRecommendation("R4", supervisor2, agency, [agency, sfj]); // to and copy: once
  await buildRecommendation("RO", supervisor2, other, [sfj]); // not the agency's
});

afterAll(async () => {
  await app?.close();
});

describe("GET /api/v1/export", () => {
  it("exports the token's ledger, listings and register, each file counted and hashed in the manifest", async () => {
    const { id: tokenId, token: t } = await tokenFor(agencyAdmin, agency.id);
    const out = await download(t);
    expect(out.manifest.org).toEqual({ id: agency.id, name: agency.name });
    expect(out.manifest.region).toBeNull();

    // Items: every kind the coordinator sees, no drafts, nothing of another org's.
    const items = out.lines["items.jsonl"];
    expect(ids(items)).toEqual([I.A1, I.M1, I.C1, I.L1, I.L2].sort());
    for (const hidden of [I.O1, I.LO, I.D1]) expect(ids(items)).not.toContain(hidden);
    expect(new Set(items.map((l) => l.kind))).toEqual(
      new Set(["AGREED_ITEM", "RECTIFICATION_MEASURE", "SUPERVISED_CASE"]),
    );
    // The same rows and fields as /api/v1/items answers.
    const api = (await (await app.request("/api/v1/items?pageSize=200", { headers: bearer(t) })).json()) as {
      items: Line[];
    };
    expect([...items].sort(byId)).toEqual([...api.items].sort(byId));
    expect(items.find((l) => l.id === I.A1)?.supportingOrgs).toEqual([other.name]);

    // Listings: the agency's supervised cases, with their 督办单位 and status.
    const listings = out.lines["listings.jsonl"];
    expect(ids(listings)).toEqual([I.L1, I.L2].sort());
    const l1 = listings.find((l) => l.id === I.L1)!;
    expect(new Set(l1.supervisingOrgs as string[])).toEqual(new Set([sfj.name, supervisor2.name]));
    expect(l1.status).toBe("DONE");
    expect(l1.statusLabel).toBe("已办结待解除挂牌");
    expect(l1.leadOrg).toBe(agency.name);
    expect(l1.sourceDocument).toEqual({ id: expect.any(String), title: "导出测试联合挂牌督办清单" });
    expect(l1.supportingOrgs).toEqual([]);
    // No 督办单位 named: the listing's owner supervises.
    expect(listings.find((l) => l.id === I.L2)?.supervisingOrgs).toEqual([sfj.name]);
    // GET /api/v1/listings answers the same lines, paged, with the ledger's filters.
    const paged = (await (await app.request("/api/v1/listings?pageSize=200", { headers: bearer(t) })).json()) as {
      total: number;
      items: Line[];
    };
    expect(paged.total).toBe(2);
    expect([...paged.items].sort(byId)).toEqual([...listings].sort(byId));
    const done = (await (await app.request("/api/v1/listings?status=DONE", { headers: bearer(t) })).json()) as {
      items: Line[];
    };
    expect(ids(done.items)).toEqual([I.L1]);
    const onePage = (await (
      await app.request("/api/v1/listings?pageSize=1&page=2", { headers: bearer(t) })
    ).json()) as {
      page: number;
      items: Line[];
    };
    expect(onePage.page).toBe(2);
    expect(onePage.items).toHaveLength(1);
    for (const q of ["pageSize=0", "page=x"])
      expect((await app.request(`/api/v1/listings?${q}`, { headers: bearer(t) })).status).toBe(400);

    // Recommendations: to, from and copy, each once, with the fields of /api/v1/recommendations.
    const recs = out.lines["recommendations.jsonl"];
    expect(ids(recs)).toEqual([R.R1, R.R2, R.R3, R.R4].sort());
    const views = await Promise.all(
      ["to", "from", "copy"].map(
        async (view) =>
          (
            (await (await app.request(`/api/v1/recommendations?view=${view}`, { headers: bearer(t) })).json()) as {
              items: Line[];
            }
          ).items,
      ),
    );
    const union = new Map(views.flat().map((r) => [r.id, r]));
    expect([...recs].sort(byId)).toEqual([...union.values()].sort(byId));

    // Audited with counts only; the call itself too.
    const audit = await getDb().auditEvent.findMany({
      where: { action: "api.export", targetId: tokenId },
      select: { orgId: true, summary: true, actorName: true },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0].orgId).toBe(agency.id);
    expect(audit[0].summary).toBe("批量导出：事项 5 条，挂牌督办 2 条，建议书 4 条，共 11 条");
    expect(audit[0].actorName).not.toContain(agencyAdmin.displayName);
    const call = await getDb().auditEvent.count({
      where: { action: "api.call", targetId: tokenId, summary: "GET /api/v1/export 200" },
    });
    expect(call).toBe(1);
  });

  it("narrows items and listings to a region (and below), not the recommendations", async () => {
    const { token: t } = await tokenFor(agencyAdmin, agency.id);
    const inCounty = await download(t, `?region=${county.id}`);
    expect(inCounty.manifest.region).toEqual({ id: county.id, name: county.name });
    expect(ids(inCounty.lines["items.jsonl"])).toEqual([I.C1]);
    expect(inCounty.lines["listings.jsonl"]).toEqual([]);
    expect(inCounty.bytes["listings.jsonl"].length).toBe(0);
    expect(inCounty.manifest.files.find((f) => f.name === "listings.jsonl")).toEqual({
      name: "listings.jsonl",
      records: 0,
      sha256: createHash("sha256").digest("hex"),
    });
    expect(ids(inCounty.lines["recommendations.jsonl"])).toEqual([R.R1, R.R2, R.R3, R.R4].sort());
    // The city includes its county.
    const inCity = await download(t, `?region=${city.id}`);
    expect(ids(inCity.lines["items.jsonl"])).toEqual([I.A1, I.M1, I.C1, I.L1, I.L2].sort());
    expect(ids(inCity.lines["listings.jsonl"])).toEqual([I.L1, I.L2].sort());
  });

  it("refuses a bad or unknown region, unknown parameters, other methods and missing tokens in the API's shape", async () => {
    const { token: t } = await tokenFor(agencyAdmin, agency.id);
    const unknown = await app.request(`/api/v1/export?region=${newId()}`, { headers: bearer(t) });
    expect(unknown.status).toBe(400);
    const e1 = await errorOf(unknown);
    expect(e1.id).toBe("VALIDATION");
    expect(e1.message).toContain("区划");
    for (const q of ["region=..%2F..%2Fx", "region=", "format=csv", `region=${city.id}&page=2`]) {
      const bad = await app.request(`/api/v1/export?${q}`, { headers: bearer(t) });
      expect(bad.status).toBe(400);
      expect((await errorOf(bad)).id).toBe("VALIDATION");
    }
    const extra = await app.request("/api/v1/export?format=csv", { headers: bearer(t) });
    expect((await errorOf(extra)).message).toContain("format");

    const anonymous = await app.request("/api/v1/export");
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).id).toBe("UNAUTHENTICATED");
    const post = await app.request("/api/v1/export", {
      method: "POST",
      headers: { ...bearer(t), "Content-Type": "application/json" },
      body: "{}",
    });
    expect(post.status).toBe(405);
    await errorOf(post);
    // Refusals are not exports.
    expect(await getDb().auditEvent.count({ where: { action: "api.export", orgId: agency.id } })).toBe(3);
  });

  it("streams 1,200 items across several database pages, none lost or repeated", async () => {
    const region = await buildRegion({ name: "导出批量市" });
    const owner = await buildOrg({ region, kind: "JUSTICE_BUREAU" });
    const bulk = await buildOrg({ region, kind: "ENFORCEMENT_AGENCY" });
    const user = await buildUser({ org: owner, role: "COORDINATOR" });
    const doc = await buildDocument({ ownerOrg: owner, createdById: user.id, status: "FINALIZED" });
    const created = Array.from({ length: 1200 }, () => newId());
    const activatedAt = new Date(Date.now() - DAY);
    await getDb().trackedItem.createMany({
      data: created.map((id, i) => ({
        id,
        kind: i % 3 === 0 ? "RECTIFICATION_MEASURE" : "AGREED_ITEM",
        sourceDocumentId: doc.id,
        ownerOrgId: owner.id,
        number: i + 1,
        wording: `批量导出事项${i + 1}：${"很长的事项表述".repeat(10)}`,
        searchText: `批量导出事项${i + 1}`,
        leadOrgId: bulk.id,
        dueDate: new Date(Date.now() + ((i % 40) + 1) * DAY),
        status: i % 4 === 0 ? "IN_PROGRESS" : "NOT_STARTED",
        activatedAt,
      })),
    });
    await getDb().trackedItemOrg.createMany({
      data: created.map((itemId) => ({ itemId, orgId: bulk.id, role: "LEAD" })),
    });
    const caller = await adminOf(bulk, region);
    const { token: t } = await tokenFor(caller, bulk.id);

    const out = await download(t);
    const items = out.lines["items.jsonl"];
    expect(items).toHaveLength(1200);
    expect(ids(items)).toEqual([...created].sort());
    expect(out.manifest.files.map((f) => f.records)).toEqual([1200, 0, 0]);
    expect(out.res.headers.get("x-export-records")).toBe("1200");
    // Written in id order (the keyset pages follow one another).
    expect(items.map((l) => l.id)).toEqual([...created].sort());
    expect(items.find((l) => l.id === created[7])).toMatchObject({
      number: 8,
      leadOrg: bulk.name,
      ownerOrg: owner.name,
      sourceDocument: { id: doc.id },
    });
    // Deflated: far smaller than the lines it holds.
    expect(out.raw.length).toBeLessThan(out.bytes["items.jsonl"].length / 3);

    // A client that goes away mid-download does not take the server with it.
    const aborter = new AbortController();
    const partial = await app.request("/api/v1/export", { headers: bearer(t), signal: aborter.signal });
    expect(partial.status).toBe(200);
    await partial.body!.getReader().read();
    aborter.abort();
    expect((await app.request("/api/v1/items?pageSize=1", { headers: bearer(t) })).status).toBe(200);
  });

  it("is described in the OpenAPI document and the reference page", async () => {
    const res = await app.request("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    const op = doc.paths["/api/v1/export"]?.get;
    expect(op).toBeTruthy();
    expect(Object.keys(op.responses["200"].content ?? {})).toEqual(["application/zip"]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "429"]));
    expect(JSON.stringify(op)).toContain("X-Export-Records");
    expect(doc.components.schemas.ExportManifest).toBeTruthy();
    expect(doc.components.schemas.ExportListing).toBeTruthy();
    await SwaggerParser.validate(structuredClone(doc) as never);

    const html = await (await app.request("/api/docs")).text();
    expect(html).toContain("GET /api/v1/export");
    expect(html).toContain("X-Export-Records");
  });
});
