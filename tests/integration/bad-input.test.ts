import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { buildDocument, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../factories";
import { startServer, type RunningServer } from "./helpers";

/**
 * Every form gets hostile input: empty, over-long, wrong types, unknown ids, HTML/script, control
 * characters. Each must answer 4xx with a Chinese message, never 500, and change nothing saved.
 */
let app: RunningServer;
let adminCookie: string;
let drafterCookie: string;
let region: { id: string; path: string };
let org: { id: string };
let userId: string;
let documentId: string;

beforeAll(async () => {
  app = await startServer();
  region = await buildRegion({ name: "坏输入测试市" });
  org = await buildOrg({ region, kind: "JUSTICE_BUREAU", name: "坏输入测试市司法局" });
  const admin = await buildUser({ org, role: "ADMIN" });
  const drafter = await buildUser({ org, role: "DRAFTER", displayName: "原始姓名" });
  userId = drafter.id;
  adminCookie = await buildSessionCookie(admin.id);
  drafterCookie = await buildSessionCookie(drafter.id);
  documentId = (await buildDocument({ ownerOrg: org, createdById: drafter.id })).id;
});
afterAll(async () => {
  await app.close();
});

const long = "长".repeat(5000);
const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const control = "名\u0000称\u0007";

/** What these forms could change, scoped to this file's data (the PostgreSQL run shares one database). */
async function snapshot() {
  const db = getDb();
  const [orgs, users, regions, memberships, members, documents, user] = await Promise.all([
    db.organization.count({ where: { region: { path: { startsWith: region.path } } } }),
    db.user.count({
      where: { OR: [{ username: { startsWith: "bad.input" } }, { memberships: { some: { orgId: org.id } } }] },
    }),
    db.region.count({ where: { path: { startsWith: region.path } } }),
    db.membership.count({ where: { OR: [{ orgId: org.id }, { userId }] } }),
    db.documentMember.count({ where: { documentId } }),
    db.document.count({ where: { ownerOrgId: org.id } }),
    db.user.findUnique({ where: { id: userId }, select: { displayName: true, passwordHash: true, active: true } }),
  ]);
  return { orgs, users, regions, memberships, members, documents, user };
}

async function expectRefused(path: string, cookie: string, fields: Record<string, string | undefined>) {
  const form = Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await app.request(path, { cookie, form });
  const body = await res.text();
  expect(res.status, `${path} ${JSON.stringify(form).slice(0, 120)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${path} ${JSON.stringify(form).slice(0, 120)}`).toBeLessThan(500);
  expect(body).toMatch(/[\u4e00-\u9fff]/);
  expect(body).not.toContain('<script>alert("x")</script>');
  expect(body).not.toMatch(/at [A-Za-z]+ \(.*\.ts:\d+/); // no stack trace
}

describe("bad input never breaks a form", () => {
  it("admin: new organization", async () => {
    const before = await snapshot();
    const valid = { name: "坏输入测试单位", shortName: "", kind: "ENFORCEMENT_AGENCY", regionId: region.id };
    for (const form of [
      {},
      { ...valid, name: "" },
      { ...valid, name: long },
      { ...valid, name: script },
      { ...valid, name: control },
      { ...valid, kind: "SPACESHIP" },
      { ...valid, regionId: "no-such-region" },
      { ...valid, regionId: "../../etc/passwd" },
      { ...valid, name: "坏输入测试市司法局" }, // duplicate name
    ]) {
      await expectRefused("/admin/orgs/new", adminCookie, form);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("admin: new user", async () => {
    const before = await snapshot();
    const valid = {
      username: "bad.input.user",
      displayName: "新用户",
      password: "Valid2026pw",
      orgId: org.id,
      role: "DRAFTER",
    };
    for (const form of [
      {},
      { ...valid, username: "" },
      { ...valid, username: "<b>x</b>" },
      { ...valid, username: long },
      { ...valid, displayName: long },
      { ...valid, displayName: script },
      { ...valid, password: "short" },
      { ...valid, password: "x".repeat(500) + "1" },
      { ...valid, role: "GOD" },
      { ...valid, orgId: "no-such-org" },
    ]) {
      await expectRefused("/admin/users/new", adminCookie, form);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("admin: edit user, memberships and password reset", async () => {
    const before = await snapshot();
    for (const form of [
      { intent: "launchMissiles" },
      { intent: "profile", displayName: "" },
      { intent: "profile", displayName: long },
      { intent: "addMembership", orgId: "no-such-org", role: "DRAFTER" },
      { intent: "addMembership", orgId: org.id, role: "EMPEROR" },
      { intent: "removeMembership", membershipId: "no-such-membership" },
      { intent: "resetPassword", password: "12345678" },
    ]) {
      await expectRefused(`/admin/users/${userId}`, adminCookie, form);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("admin: new region", async () => {
    const before = await snapshot();
    for (const form of [
      { intent: "createRegion" },
      { intent: "createRegion", parentId: region.id, level: "PROVINCE", name: "错层级" },
      { intent: "createRegion", parentId: region.id, level: "COUNTY", name: long },
      { intent: "createRegion", parentId: "nope", level: "COUNTY", name: "某县" },
      { intent: "createRegion", parentId: region.id, level: "COUNTY", name: "某县", code: "abc" },
    ]) {
      await expectRefused("/admin/orgs", adminCookie, form);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("documents: new document and members", async () => {
    const before = await snapshot();
    for (const form of [
      {},
      { title: "", type: "MINUTES", ownerOrgId: org.id },
      { title: long, type: "MINUTES", ownerOrgId: org.id },
      { title: "标题", type: "NOVEL", ownerOrgId: org.id },
      { title: "标题", type: "MINUTES", ownerOrgId: "someone-else" },
      { title: "标题", type: "MINUTES", ownerOrgId: org.id, "access.no-such-org": "WRITE" },
      { title: "标题", type: "MINUTES", ownerOrgId: org.id, "access.x": "ADMIN" },
    ]) {
      await expectRefused("/documents/new", drafterCookie, form);
    }
    for (const form of [
      { "member.nope": "WRITE" },
      { addOrgId: "../x", addAccess: "WRITE" },
      { addOrgId: org.id, addAccess: "REMOVE" },
    ]) {
      await expectRefused(`/documents/${documentId}`, drafterCookie, form);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("account: password change", async () => {
    const before = await snapshot();
    for (const form of [
      {},
      { currentPassword: long, newPassword: long, confirmPassword: long },
      { currentPassword: "x", newPassword: "NewPass2026", confirmPassword: "Other2026" },
    ]) {
      await expectRefused("/account", drafterCookie, form);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("unknown ids in URLs give Chinese 404s", async () => {
    for (const path of ["/admin/orgs/nope", "/admin/users/nope", "/documents/nope", "/documents/..%2F..%2Fetc"]) {
      const res = await app.request(path, { cookie: adminCookie });
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("不存在");
    }
  });
});
