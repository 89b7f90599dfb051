import { describe, expect, it } from "vitest";
import type { OrgKind, Role } from "~/domain/organization";
import type { Actor } from "../domain/actor";
import { canCreateDocument, documentAccess } from "./document";
import { type Access, type DocumentFacts } from "../domain/document";

const CITY = "/p/c/";
const COUNTY = "/p/c/k/";
const OTHER_CITY = "/p/c2/";

function actor(
  role: Role,
  orgId: string,
  orgKind: OrgKind = "ENFORCEMENT_AGENCY",
  regionPath = CITY,
  userId = "u1",
): Actor {
  return { userId, memberships: [{ orgId, orgKind, role, regionId: regionPath, regionPath, regionLevel: "CITY" }] };
}

function doc(status: string, members: DocumentFacts["members"] = [], ownerRegionPath = CITY): DocumentFacts {
  return { ownerOrgId: "owner", ownerRegionPath, status, members };
}

describe("document access truth table", () => {
  const writeMember = [{ orgId: "court", userId: null, access: "WRITE" }];
  const readMember = [{ orgId: "observer", userId: null, access: "READ" }];
  const table: Array<[string, Actor, DocumentFacts, Access]> = [
    ["owner drafter, draft", actor("DRAFTER", "owner"), doc("DRAFT"), "write"],
    ["owner viewer, draft", actor("VIEWER", "owner"), doc("DRAFT"), "read"],
    ["owner coordinator, countersigning", actor("COORDINATOR", "owner"), doc("COUNTERSIGNING"), "read"],
    ["owner drafter, finalized", actor("DRAFTER", "owner"), doc("FINALIZED"), "read"],
    ["owner drafter, published", actor("DRAFTER", "owner"), doc("PUBLISHED"), "read"],
    ["member org liaison (WRITE), draft", actor("LIAISON", "court", "COURT"), doc("DRAFT", writeMember), "write"],
    ["member org viewer (WRITE), draft", actor("VIEWER", "court", "COURT"), doc("DRAFT", writeMember), "read"],
    [
      "member org liaison (WRITE), finalized",
      actor("LIAISON", "court", "COURT"),
      doc("FINALIZED", writeMember),
      "read",
    ],
    ["observer org drafter (READ), draft", actor("DRAFTER", "observer"), doc("DRAFT", readMember), "read"],
    ["unrelated org drafter", actor("DRAFTER", "stranger"), doc("DRAFT", writeMember), "none"],
    ["unrelated court liaison", actor("LIAISON", "other-court", "COURT"), doc("DRAFT", writeMember), "none"],
    [
      "user listed individually (WRITE)",
      actor("VIEWER", "stranger", "ENFORCEMENT_AGENCY", CITY, "u-x"),
      doc("DRAFT", [{ orgId: null, userId: "u-x", access: "WRITE" }]),
      "write",
    ],
    [
      "user listed individually (READ)",
      actor("DRAFTER", "stranger", "ENFORCEMENT_AGENCY", CITY, "u-x"),
      doc("DRAFT", [{ orgId: null, userId: "u-x", access: "READ" }]),
      "read",
    ],
    [
      "city justice bureau over a county doc",
      actor("COORDINATOR", "cjb", "JUSTICE_BUREAU", CITY),
      doc("DRAFT", [], COUNTY),
      "read",
    ],
    [
      "city justice bureau, same-level doc of another org",
      actor("COORDINATOR", "cjb", "JUSTICE_BUREAU", CITY),
      doc("DRAFT", [], CITY),
      "none",
    ],
    [
      "city justice bureau, other city's doc",
      actor("COORDINATOR", "cjb", "JUSTICE_BUREAU", CITY),
      doc("DRAFT", [], OTHER_CITY),
      "none",
    ],
    [
      "city procuratorate over a county doc",
      actor("COORDINATOR", "cp", "PROCURATORATE", CITY),
      doc("DRAFT", [], COUNTY),
      "none",
    ],
  ];
  for (const [name, who, facts, expected] of table) {
    it(`${name} → ${expected}`, () => expect(documentAccess(who, facts)).toBe(expected));
  }
});

describe("creating documents", () => {
  it("only ADMIN, COORDINATOR and DRAFTER members of the owner org", () => {
    expect(canCreateDocument(actor("DRAFTER", "o"), "o")).toBe(true);
    expect(canCreateDocument(actor("COORDINATOR", "o"), "o")).toBe(true);
    expect(canCreateDocument(actor("VIEWER", "o"), "o")).toBe(false);
    expect(canCreateDocument(actor("LIAISON", "o"), "o")).toBe(false);
    expect(canCreateDocument(actor("DRAFTER", "o"), "other")).toBe(false);
  });
});

describe("managing a document's members", () => {
  it("owner drafters/coordinators of a draft only", async () => {
    const { canManageDocumentMembers } = await import("./document");
    const facts = (status: string): DocumentFacts => ({
      ownerOrgId: "o",
      ownerRegionPath: CITY,
      status,
      members: [{ orgId: "court", userId: null, access: "WRITE" }],
    });
    expect(canManageDocumentMembers(actor("DRAFTER", "o"), facts("DRAFT"))).toBe(true);
    expect(canManageDocumentMembers(actor("COORDINATOR", "o"), facts("DRAFT"))).toBe(true);
    expect(canManageDocumentMembers(actor("VIEWER", "o"), facts("DRAFT"))).toBe(false);
    expect(canManageDocumentMembers(actor("LIAISON", "court", "COURT"), facts("DRAFT"))).toBe(false);
    expect(canManageDocumentMembers(actor("DRAFTER", "o"), facts("FINALIZED"))).toBe(false);
  });
});
