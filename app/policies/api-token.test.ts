import { describe, expect, it } from "vitest";
import type { Actor } from "~/domain/actor";
import type { Role } from "~/domain/organization";
import { apiTokenOrgIds, authorizeApiToken } from "./api-token";

const actor = (role: Role, orgId = "org-a"): Actor => ({
  userId: "u",
  memberships: [{ orgId, orgKind: "ENFORCEMENT_AGENCY", role, regionId: "r", regionPath: "/r/", regionLevel: "CITY" }],
});

describe("api token policy", () => {
  it("only an ADMIN of the org lists, creates and revokes its tokens", () => {
    for (const action of ["list", "create", "revoke"] as const) {
      expect(authorizeApiToken(actor("ADMIN"), action, { orgId: "org-a" }).allowed).toBe(true);
      expect(authorizeApiToken(actor("ADMIN", "org-b"), action, { orgId: "org-a" }).allowed).toBe(false);
      for (const role of ["COORDINATOR", "DRAFTER", "LIAISON", "PUBLISHER", "VIEWER"] as const)
        expect(authorizeApiToken(actor(role), action, { orgId: "org-a" }).allowed).toBe(false);
    }
    expect(apiTokenOrgIds(actor("ADMIN"))).toEqual(["org-a"]);
    expect(apiTokenOrgIds(actor("COORDINATOR"))).toEqual([]);
  });
});
