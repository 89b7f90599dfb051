import { describe, expect, it } from "vitest";
import type { Actor } from "~/domain/actor";
import type { CommentFacts, ThreadFacts } from "~/domain/comment";
import type { DocumentFacts } from "~/domain/document";
import type { OrgKind, Role } from "~/domain/organization";
import { authorizeComment, authorizeReturnComment, commentAbilities } from "./comment";

const PROVINCE = "/p/";
const CITY = "/p/c/";

const NO_ACCESS = "您不是此文书的参与单位成员，无权查看批注。";
const READ_ONLY = "您所在单位对此文书只有阅读权限，不能批注。";
const FROZEN = "文书已冻结，批注不能再修改。";
const RESOLVERS = "只有批注人或牵头单位的起草人、督办协调员可以解决或重新打开批注。";
const OWN_ONLY = "只能修改或删除本人的批注。";

function actor(
  role: Role,
  orgId: string,
  orgKind: OrgKind = "ENFORCEMENT_AGENCY",
  regionPath = CITY,
  userId = "u1",
): Actor {
  return { userId, memberships: [{ orgId, orgKind, role, regionId: regionPath, regionPath, regionLevel: "CITY" }] };
}

type Doc = DocumentFacts & { id: string; type?: string };

// owner: the drafting unit; court co-drafts (WRITE), procu comments (COMMENT), observer reads (READ).
function doc(status = "DRAFT", type?: string): Doc {
  return {
    id: "d1",
    type,
    ownerOrgId: "owner",
    ownerRegionPath: CITY,
    status,
    members: [
      { orgId: "court", userId: null, access: "WRITE" },
      { orgId: "procu", userId: null, access: "COMMENT" },
      { orgId: "observer", userId: null, access: "READ" },
      { orgId: null, userId: "guest", access: "COMMENT" },
    ],
  };
}

const thread = (status = "OPEN", authorId = "author"): ThreadFacts => ({
  id: "t1",
  documentId: "d1",
  authorId,
  orgId: "procu",
  status,
  versionId: null,
});
const comment = (authorId = "author", deleted = false): CommentFacts => ({
  id: "c1",
  threadId: "t1",
  authorId,
  deleted,
});

const refused = (kind: "forbidden" | "conflict", reason: string) => ({ allowed: false, kind, reason });

describe("reading comments", () => {
  it("whoever reads the document reads its comments, in any status", () => {
    for (const status of ["DRAFT", "COUNTERSIGNING", "FINALIZED", "PUBLISHED"]) {
      expect(authorizeComment(actor("VIEWER", "owner"), "read", doc(status)), status).toEqual({ allowed: true });
      expect(authorizeComment(actor("DRAFTER", "observer"), "read", doc(status)), status).toEqual({ allowed: true });
    }
  });

  it("an upper-region justice bureau reads them (上级监督下级)", () => {
    const provinceSfj = actor("VIEWER", "psfj", "JUSTICE_BUREAU", PROVINCE);
    expect(authorizeComment(provinceSfj, "read", doc()).allowed).toBe(true);
  });

  it("outsiders are refused: a stranger, a same-region justice bureau, an upper court", () => {
    const outsiders = [
      actor("ADMIN", "stranger"),
      actor("COORDINATOR", "other-sfj", "JUSTICE_BUREAU", CITY),
      actor("COORDINATOR", "pcourt", "COURT", PROVINCE),
    ];
    for (const who of outsiders) expect(authorizeComment(who, "read", doc())).toEqual(refused("forbidden", NO_ACCESS));
  });
});

describe("opening and replying", () => {
  const commenters: Array<[string, Actor]> = [
    ["owner drafter", actor("DRAFTER", "owner")],
    ["owner liaison", actor("LIAISON", "owner")],
    ["co-drafting court liaison", actor("LIAISON", "court", "COURT")],
    ["COMMENT member org drafter", actor("DRAFTER", "procu", "PROCURATORATE")],
    ["user listed individually with COMMENT", actor("VIEWER", "stranger", "ENFORCEMENT_AGENCY", CITY, "guest")],
  ];
  for (const [name, who] of commenters) {
    it(`${name} may open and reply on a draft`, () => {
      expect(authorizeComment(who, "open", doc())).toEqual({ allowed: true });
      expect(authorizeComment(who, "reply", doc(), thread())).toEqual({ allowed: true });
    });
  }

  it("READ access is refused (a READ member org, an owner VIEWER, a COMMENT org's VIEWER, a supervisor), no access too", () => {
    const readers = [
      actor("DRAFTER", "observer"),
      actor("VIEWER", "owner"),
      actor("VIEWER", "procu", "PROCURATORATE"),
      actor("COORDINATOR", "psfj", "JUSTICE_BUREAU", PROVINCE),
    ];
    expect(authorizeComment(actor("DRAFTER", "stranger"), "open", doc())).toEqual(refused("forbidden", NO_ACCESS));
    for (const who of readers) {
      expect(authorizeComment(who, "open", doc())).toEqual(refused("forbidden", READ_ONLY));
      expect(authorizeComment(who, "reply", doc(), thread())).toEqual(refused("forbidden", READ_ONLY));
    }
  });

  it("only a draft takes new threads and replies: a frozen document is a conflict", () => {
    for (const status of ["COUNTERSIGNING", "FINALIZED", "PUBLISHED"]) {
      expect(authorizeComment(actor("DRAFTER", "owner"), "open", doc(status)), status).toEqual(
        refused("conflict", FROZEN),
      );
      expect(authorizeComment(actor("DRAFTER", "procu"), "reply", doc(status), thread()), status).toEqual(
        refused("conflict", FROZEN),
      );
    }
  });

  it("who is checked before the state: a READ member on a frozen document is forbidden", () => {
    expect(authorizeComment(actor("DRAFTER", "observer"), "open", doc("FINALIZED"))).toEqual(
      refused("forbidden", READ_ONLY),
    );
  });

  it("a resolved thread takes no reply until reopened", () => {
    expect(authorizeComment(actor("DRAFTER", "owner"), "reply", doc(), thread("RESOLVED"))).toEqual(
      refused("conflict", "该批注已解决，请先重新打开再回复。"),
    );
  });
});

describe("resolving and reopening", () => {
  const allowedResolvers: Array<[string, Actor]> = [
    ["the thread's author (a COMMENT member)", actor("LIAISON", "procu", "PROCURATORATE", CITY, "author")],
    ["the owner's DRAFTER", actor("DRAFTER", "owner")],
    ["the owner's COORDINATOR", actor("COORDINATOR", "owner")],
    ["the owner's ADMIN", actor("ADMIN", "owner")],
  ];
  for (const [name, who] of allowedResolvers) {
    it(`${name} may resolve an open thread and reopen a resolved one`, () => {
      expect(authorizeComment(who, "resolve", doc(), thread("OPEN"))).toEqual({ allowed: true });
      expect(authorizeComment(who, "reopen", doc(), thread("RESOLVED"))).toEqual({ allowed: true });
    });
  }

  it("other writers and commenters may not: owner LIAISON, co-drafting org, another COMMENT member", () => {
    const others = [actor("LIAISON", "owner"), actor("DRAFTER", "court", "COURT"), actor("DRAFTER", "procu")];
    for (const who of others) {
      expect(authorizeComment(who, "resolve", doc(), thread("OPEN"))).toEqual(refused("forbidden", RESOLVERS));
      expect(authorizeComment(who, "reopen", doc(), thread("RESOLVED"))).toEqual(refused("forbidden", RESOLVERS));
    }
  });

  it("without a thread nobody resolves", () => {
    expect(authorizeComment(actor("ADMIN", "owner"), "resolve", doc())).toEqual(refused("forbidden", RESOLVERS));
  });

  it("resolve needs an open thread, reopen a resolved one", () => {
    const owner = actor("DRAFTER", "owner");
    expect(authorizeComment(owner, "resolve", doc(), thread("RESOLVED"))).toEqual(
      refused("conflict", "该批注已经解决。"),
    );
    expect(authorizeComment(owner, "reopen", doc(), thread("OPEN"))).toEqual(refused("conflict", "该批注尚未解决。"));
  });

  it("not on a frozen document", () => {
    expect(authorizeComment(actor("DRAFTER", "owner"), "resolve", doc("COUNTERSIGNING"), thread())).toEqual(
      refused("conflict", FROZEN),
    );
  });
});

describe("editing and deleting a comment", () => {
  const author = actor("LIAISON", "procu", "PROCURATORATE", CITY, "author");

  it("the comment's author may edit and delete it on a draft", () => {
    expect(authorizeComment(author, "edit", doc(), thread(), comment())).toEqual({ allowed: true });
    expect(authorizeComment(author, "delete", doc(), thread(), comment())).toEqual({ allowed: true });
  });

  it("nobody else, not even the owner's admin", () => {
    for (const who of [actor("ADMIN", "owner"), actor("DRAFTER", "owner"), actor("DRAFTER", "procu")]) {
      expect(authorizeComment(who, "edit", doc(), thread(), comment())).toEqual(refused("forbidden", OWN_ONLY));
      expect(authorizeComment(who, "delete", doc(), thread(), comment())).toEqual(refused("forbidden", OWN_ONLY));
    }
    expect(authorizeComment(author, "edit", doc(), thread())).toEqual(refused("forbidden", OWN_ONLY));
  });

  it("not a deleted comment, nor on a frozen document", () => {
    expect(authorizeComment(author, "edit", doc(), thread(), comment("author", true))).toEqual(
      refused("conflict", "该批注已删除。"),
    );
    expect(authorizeComment(author, "delete", doc("FINALIZED"), thread(), comment())).toEqual(
      refused("conflict", FROZEN),
    );
  });
});

describe("return comments during countersign (退回批注)", () => {
  const pending = ["court"];

  it("a DRAFTER, COORDINATOR or ADMIN of a pending org may, while COUNTERSIGNING", () => {
    for (const role of ["DRAFTER", "COORDINATOR", "ADMIN"] as const)
      expect(authorizeReturnComment(actor(role, "court", "COURT"), doc("COUNTERSIGNING"), pending), role).toEqual({
        allowed: true,
      });
  });

  it("a pending org's LIAISON and an org that already decided may not", () => {
    const reason = "只有尚未作出会签意见的单位可以在会签稿上批注。";
    const c = doc("COUNTERSIGNING");
    expect(authorizeReturnComment(actor("LIAISON", "court", "COURT"), c, pending)).toEqual(
      refused("forbidden", reason),
    );
    expect(authorizeReturnComment(actor("DRAFTER", "court", "COURT"), c, [])).toEqual(refused("forbidden", reason));
    expect(authorizeReturnComment(actor("DRAFTER", "owner"), c, pending)).toEqual(refused("forbidden", reason));
  });

  it("only while COUNTERSIGNING", () => {
    for (const status of ["DRAFT", "FINALIZED", "PUBLISHED"])
      expect(authorizeReturnComment(actor("DRAFTER", "court", "COURT"), doc(status), pending), status).toEqual(
        refused("conflict", "只有会签中的文书可以附退回批注。"),
      );
  });

  it("outsiders are refused before anything else", () => {
    expect(authorizeReturnComment(actor("DRAFTER", "stranger"), doc("DRAFT"), ["stranger"])).toEqual(
      refused("forbidden", NO_ACCESS),
    );
  });

  it("a typical case is returned by a pending org's PUBLISHER, not its drafter", () => {
    const c = doc("COUNTERSIGNING", "TYPICAL_CASE");
    expect(authorizeReturnComment(actor("PUBLISHER", "court", "COURT"), c, pending).allowed).toBe(true);
    expect(authorizeReturnComment(actor("DRAFTER", "court", "COURT"), c, pending).allowed).toBe(false);
  });
});

describe("commentAbilities", () => {
  it("reflects read and open for the actor and the document", () => {
    expect(commentAbilities(actor("DRAFTER", "procu"), doc())).toEqual({ read: true, open: true });
    expect(commentAbilities(actor("DRAFTER", "procu"), doc("FINALIZED"))).toEqual({ read: true, open: false });
    expect(commentAbilities(actor("DRAFTER", "observer"), doc())).toEqual({ read: true, open: false });
    expect(commentAbilities(actor("DRAFTER", "stranger"), doc())).toEqual({ read: false, open: false });
  });
});
