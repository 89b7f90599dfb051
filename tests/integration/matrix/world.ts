import { randomBytes } from "node:crypto";
import * as Y from "yjs";
import { getDb } from "~/db.server";
import { contentOf } from "~/services/document-content.server";
import { buildActor, getUserMemberships } from "~/models/user.server";
import type { Actor } from "~/domain/actor";
import { countersignOrgIds } from "~/policies/document";
import { type DocumentFacts } from "~/domain/document";
import { addDaysIso, chinaDay, endOfChinaDay } from "~/domain/dates";
import { quarterOf } from "~/domain/litigation";
import { ROLES, type OrgKind, type Role } from "~/domain/organization";
import { generateThematicReport } from "~/services/thematic-reports.server";
import { newId } from "~/utils/ids";
import { buildLitigationReport, buildOrg, buildRegion, buildSessionCookie, buildUser } from "../../factories";
import { seedActor } from "../../../prisma/seed-actor";
import { litigationReportRows, thematicReportRows } from "../helpers";

/**
 * The fixture world of the authorization matrix: one province, a city below it and a sibling city;
 * five orgs, one per relation an actor's org can have to the subjects; one user per role in each of
 * them; and every subject (documents in each status, items of each kind, recommendations, a
 * consultation…) built straight in the database, so the suite spends its time on the checks.
 */

/** How the actor's org relates to the subjects (anonymous: no session at all). */
export const RELATIONS = ["own", "participant", "copy", "other", "upper"] as const;
/**
 * `granted`: the province's 纪委监委, granted access on the matrix clues (ADR 023). Its actors meet
 * the clue cases only (to every other subject it is one more unrelated upper unit).
 * `court`: the city's court, filing the matrix's quarterly litigation reports (ADR 025). Its actors
 * meet the 府院联动 cases only.
 */
export type Relation = (typeof RELATIONS)[number] | "granted" | "court" | "invitee" | "anonymous";

export const RELATION_LABELS: Record<Relation, string> = {
  own: "owner org (召集/牵头/主送单位; the clues' sending unit)",
  participant:
    "participant (co-drafting member, 牵头单位 of items, issuer of the recommendation; the clues' receiving unit)",
  copy: "抄送 org (same city justice bureau, co-drafts the plan; unrelated to the clues)",
  other: "other region (justice bureau of a sibling city)",
  upper: "upper region (justice bureau of the province)",
  granted: "upper-level 纪委监委 granted access on the clues",
  court:
    "the city's court: files the litigation reports (府院联动, ADR 025), whose defendant is the owner org and whose watchers are the city's (抄送) and the province's justice bureaus",
  invitee:
    "external invitee: an expert's account (no unit, ADR 024) invited as 特邀 to two consultations, commenting on the draft minutes and reading the finalized ones",
  anonymous: "no session",
};

export interface MatrixActor {
  key: string;
  role: Role | null;
  relation: Relation;
  userId: string | null;
  cookie: string | null;
  /** What the policies see; null for anonymous. */
  actor: Actor | null;
}

export type DocStatus = "DRAFT" | "COUNTERSIGNING" | "FINALIZED" | "PUBLISHED";

export interface DocSubject {
  key: string;
  id: string;
  type: string;
  status: DocStatus;
}

export interface ItemSubject {
  key: string;
  id: string;
  kind: string;
  status: string;
  dueDate: Date;
  pendingExtensionId: string | null;
  attachmentId: string | null;
}

export const token = () => randomBytes(5).toString("hex");

/** A Yjs document whose editor content is a couple of paragraphs: what versions, snapshots and exports read. */
function contentWith(lines: string[]) {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment("default");
  for (const line of lines) {
    const p = new Y.XmlElement("paragraph");
    p.insert(0, [new Y.XmlText(line)]);
    fragment.push([p]);
  }
  const content = contentOf(doc);
  doc.destroy();
  return content;
}

export async function buildWorld() {
  const db = getDb();
  const tag = token();
  const province = await buildRegion({ level: "PROVINCE", name: `矩阵省${tag}` });
  const city = await buildRegion({ level: "CITY", parent: province, name: `矩阵市${tag}` });
  const otherCity = await buildRegion({ level: "CITY", parent: province, name: `矩阵邻市${tag}` });
  const kinds: Record<
    (typeof RELATIONS)[number],
    { kind: OrgKind; region: { id: string; path: string }; name: string }
  > = {
    own: { kind: "ENFORCEMENT_AGENCY", region: city, name: `矩阵市市场监督管理局${tag}` },
    participant: { kind: "PROCURATORATE", region: city, name: `矩阵市人民检察院${tag}` },
    copy: { kind: "JUSTICE_BUREAU", region: city, name: `矩阵市司法局${tag}` },
    other: { kind: "JUSTICE_BUREAU", region: otherCity, name: `矩阵邻市司法局${tag}` },
    upper: { kind: "JUSTICE_BUREAU", region: province, name: `矩阵省司法厅${tag}` },
  };
  const orgs = {} as Record<(typeof RELATIONS)[number], { id: string; name: string; regionPath: string }>;
  for (const r of RELATIONS) {
    const o = await buildOrg({ kind: kinds[r].kind, region: kinds[r].region, name: kinds[r].name });
    orgs[r] = { id: o.id, name: o.name, regionPath: kinds[r].region.path };
  }
  // The admin targets: an org and a user of the city nobody else uses, so allowed admin edits touch nothing else.
  const victimOrg = await buildOrg({ kind: "ENFORCEMENT_AGENCY", region: city, name: `矩阵市受试单位${tag}` });
  const victim = await buildUser({
    org: victimOrg,
    role: "VIEWER",
    username: `mxvictim${tag}`,
    displayName: "受试用户",
  });
  const victimMembership = await db.membership.findFirstOrThrow({ where: { userId: victim.id }, select: { id: true } });

  /** A user of the org in the role, signed in: one matrix actor. */
  async function matrixActor(org: { id: string }, relation: Relation, role: Role): Promise<MatrixActor> {
    const u = await buildUser({
      org,
      role,
      username: `mx${role.toLowerCase()}${relation}${tag}`,
      displayName: `${relation}-${role}`,
    });
    return {
      key: `${relation}/${role}`,
      role,
      relation,
      userId: u.id,
      cookie: await buildSessionCookie(u.id),
      actor: buildActor(u.id, await getUserMemberships(db, u.id)),
    };
  }
  const actors: MatrixActor[] = [
    { key: "anonymous", role: null, relation: "anonymous", userId: null, cookie: null, actor: null },
  ];
  for (const relation of RELATIONS)
    for (const role of ROLES) actors.push(await matrixActor(orgs[relation], relation, role));
  const creator = actors.find((a) => a.key === "own/DRAFTER")!.userId!;

  const grantedOrg = await buildOrg({
    kind: "DISCIPLINE_COMMISSION",
    region: province,
    name: `矩阵省纪委监委${tag}`,
  });
  const grantedActors: MatrixActor[] = [];
  for (const role of ROLES) grantedActors.push(await matrixActor(grantedOrg, "granted", role));

  // The city's court (府院联动, ADR 025): its actors meet the litigation cases only.
  const courtOrg = await buildOrg({ kind: "COURT", region: city, name: `矩阵市中级人民法院${tag}` });
  const courtActors: MatrixActor[] = [];
  for (const role of ROLES) courtActors.push(await matrixActor(courtOrg, "court", role));

  const docs: DocSubject[] = [];
  /** A document in a status, with what that status implies: version 1, a snapshot, countersign rows, the final hash. */
  async function doc(
    key: string,
    type: string,
    status: DocStatus,
    members: Array<{ orgId: string; access: "READ" | "COMMENT" | "SUGGEST" | "WRITE" }>,
    title: string,
  ) {
    const id = newId();
    const content = contentWith([`${title}正文`, `矩阵标记 ${tag}`]);
    const versionId = newId();
    await db.document.create({
      data: {
        id,
        type,
        title,
        ownerOrgId: orgs.own.id,
        status,
        createdById: creator,
        members: { create: members.map((m) => ({ id: newId(), orgId: m.orgId, access: m.access })) },
      },
    });
    await db.documentSnapshot.create({
      data: { documentId: id, state: Buffer.from(content.state), json: content.json, text: content.text, lastSeq: 0 },
    });
    await db.documentVersion.create({
      data: {
        id: versionId,
        documentId: id,
        number: 1,
        kind: status === "DRAFT" ? "AUTO" : "COUNTERSIGN",
        state: Buffer.from(content.state),
        json: content.json,
        text: content.text,
        sha256: content.sha256,
        createdById: creator,
      },
    });
    if (status !== "DRAFT") {
      const facts: DocumentFacts = {
        ownerOrgId: orgs.own.id,
        ownerRegionPath: city.path,
        status,
        members: members.map((m) => ({ orgId: m.orgId, userId: null, access: m.access })),
      };
      const signers = countersignOrgIds(facts, type);
      for (const orgId of signers) {
        await db.countersign.create({
          data: {
            id: newId(),
            documentId: id,
            round: 1,
            versionId,
            orgId,
            decision: status === "COUNTERSIGNING" ? "PENDING" : "APPROVED",
            decidedById: status === "COUNTERSIGNING" ? null : creator,
            decidedAt: status === "COUNTERSIGNING" ? null : new Date(),
          },
        });
      }
      if (status === "FINALIZED" || status === "PUBLISHED")
        await db.document.update({ where: { id }, data: { finalVersionId: versionId, finalHash: content.sha256 } });
    }
    if (type === "TYPICAL_CASE")
      await db.typicalCase.create({
        data: { documentId: id, field: "市场监管", batch: "2026年上半年", parties: JSON.stringify(["王建军"]) },
      });
    const subject = { key, id, type, status };
    docs.push(subject);
    return subject;
  }

  const coDraft = [{ orgId: orgs.participant.id, access: "WRITE" as const }];
  /** The listings' participant may comment (可批注) but not edit: the COMMENT level across statuses. */
  const commentOnly = [{ orgId: orgs.participant.id, access: "COMMENT" as const }];
  const planMembers = [
    { orgId: orgs.copy.id, access: "WRITE" as const },
    { orgId: orgs.participant.id, access: "READ" as const },
  ];
  const statuses3: DocStatus[] = ["DRAFT", "COUNTERSIGNING", "FINALIZED"];

  // Consultations, each with its minutes in one status, and one planned without minutes yet.
  const consultations: Array<{
    key: string;
    id: string;
    participantId: string;
    minutesId: string | null;
    fileId?: string;
  }> = [];
  let number = 1;
  async function consultation(key: string, status: string, minutesId: string | null) {
    const id = newId();
    const participantId = newId();
    await db.consultation.create({
      data: {
        id,
        kind: "COORDINATION",
        title: `矩阵会商${key}`,
        series: `矩阵会商系列${tag}`,
        number: number++,
        conveningOrgId: orgs.own.id,
        startsAt: new Date(Date.now() - 86_400_000),
        endsAt: new Date(Date.now() - 80_000_000),
        place: "会议室",
        agenda: JSON.stringify(["通报情况"]),
        status,
        createdById: creator,
        minutesId,
        participants: { create: [{ id: participantId, orgId: orgs.participant.id, role: "ATTENDEE" }] },
      },
    });
    consultations.push({ key, id, participantId, minutesId });
    return id;
  }
  const minutes: Record<string, DocSubject> = {};
  for (const s of statuses3) {
    minutes[s] = await doc(`minutes/${s}`, "MINUTES", s, coDraft, `矩阵纪要${s}`);
    await consultation(`consultation/${s}`, s === "DRAFT" ? "DRAFTING" : s, minutes[s].id);
  }
  const plannedId = await consultation("consultation/PLANNED", "PLANNED", null);
  // A 会议材料 of the planned consultation (its download follows the consultation's read access).
  const meetingFile = await db.attachment.create({
    data: {
      id: newId(),
      consultationId: plannedId,
      fileName: "会议材料.pdf",
      mimeType: "application/pdf",
      size: 4,
      sha256: "0".repeat(64),
      data: new Uint8Array([37, 80, 68, 70]),
    },
    select: { id: true },
  });
  consultations[consultations.length - 1]!.fileId = meetingFile.id;

  // The external invitee (ADR 024): an expert of the city's pool with an account and no membership,
  // 特邀 on the drafting and the planned consultation, COMMENT on the draft minutes, READ on the finalized.
  const inviteeId = newId();
  await db.user.create({
    data: {
      id: inviteeId,
      username: `mxinvitee${tag}`,
      displayName: "矩阵特邀专家",
      passwordHash: "!",
      externalKind: "EXPERT",
    },
  });
  for (const c of consultations.filter((x) => x.key === "consultation/DRAFT" || x.key === "consultation/PLANNED"))
    await db.consultationParticipant.create({
      data: { id: newId(), consultationId: c.id, orgId: orgs.own.id, userId: inviteeId, role: "GUEST" },
    });
  for (const [s, access] of [
    ["DRAFT", "COMMENT"],
    ["FINALIZED", "READ"],
  ] as const)
    await db.documentMember.create({ data: { id: newId(), documentId: minutes[s].id, userId: inviteeId, access } });
  actors.push({
    key: "invitee/EXPERT",
    role: null,
    relation: "invitee",
    userId: inviteeId,
    cookie: await buildSessionCookie(inviteeId),
    actor: buildActor(inviteeId, [], "EXPERT"),
  });

  // The pools of outside participants (专家库): the city's (one in the pool, one stopped) and the province's.
  const experts: Array<{ key: string; id: string; regionPath: string }> = [];
  // (The invitee's own account is not linked to an entry: an allowed 停用 would end its sessions mid-suite.)
  for (const [key, region, status] of [
    ["expert/city", city, "ACTIVE"],
    ["expert/city-stopped", city, "INACTIVE"],
    ["expert/province", province, "ACTIVE"],
  ] as const) {
    const id = newId();
    await db.externalPerson.create({
      data: {
        id,
        regionId: region.id,
        kind: "EXPERT",
        name: `矩阵专家${key}${tag}`,
        fields: JSON.stringify(["法学"]),
        title: "教授",
        employer: "矩阵大学",
        contact: `矩阵私密联系方式${tag}`,
        status,
        createdById: creator,
      },
    });
    experts.push({ key, id, regionPath: region.path });
  }
  // 征求意见: the participant proposes 修订 only (SUGGEST, ADR 019).
  await doc(
    "minutes-review/DRAFT",
    "MINUTES",
    "DRAFT",
    [{ orgId: orgs.participant.id, access: "SUGGEST" }],
    "矩阵纪要征求意见",
  );

  const listings: Record<string, DocSubject> = {};
  for (const s of statuses3)
    listings[s] = await doc(`listing/${s}`, "SUPERVISION_LISTING", s, commentOnly, `矩阵督办清单${s}`);

  const cases: Record<string, DocSubject> = {};
  for (const s of [...statuses3, "PUBLISHED" as const])
    cases[s] = await doc(`case/${s}`, "TYPICAL_CASE", s, coDraft, `矩阵典型案例${s}`);
  await db.publication.create({
    data: {
      id: newId(),
      documentId: cases.PUBLISHED.id,
      slug: `mx-${tag}`,
      version: 1,
      title: "矩阵典型案例",
      keywords: "矩阵",
      field: "市场监管",
      batch: "2026年上半年",
      orgs: JSON.stringify([orgs.own.name]),
      json: "{}",
      text: `矩阵典型案例 ${tag}`,
      sha256: "0".repeat(64),
      publishedById: creator,
    },
  });

  // Recommendations: issued by the participant (a procuratorate) to the owner, 抄送 the city's justice bureau.
  const recommendations: Array<{ key: string; id: string; fileId: string | null }> = [];
  const plans: Record<string, DocSubject> = {};
  async function recommendation(key: string, status: string, planId: string | null, replyId: string | null) {
    const id = newId();
    const received = addDaysIso(chinaDay(), -5);
    await db.recommendation.create({
      data: {
        id,
        kind: "PROCURATORIAL",
        docNumber: `矩检建〔2026〕${token()}号`,
        title: `矩阵检察建议${key}`,
        problems: `矩阵问题 ${tag}`,
        issuerOrgId: orgs.participant.id,
        recipientOrgId: orgs.own.id,
        issuedOn: endOfChinaDay(addDaysIso(chinaDay(), -7)),
        receivedOn: endOfChinaDay(received),
        replyDueDate: endOfChinaDay(addDaysIso(chinaDay(), 55)),
        status,
        planDocumentId: planId,
        replyDocumentId: replyId,
        repliedAt: status === "REPLIED" ? new Date() : null,
        createdById: creator,
        copies: { create: [{ orgId: orgs.copy.id }] },
      },
    });
    let fileId: string | null = null;
    if (key === "recommendation/REGISTERED") {
      fileId = newId();
      const data = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");
      await db.attachment.create({
        data: {
          id: fileId,
          recommendationId: id,
          fileName: "原件.pdf",
          mimeType: "application/pdf",
          size: data.length,
          sha256: "0".repeat(64),
          data,
        },
      });
    }
    recommendations.push({ key, id, fileId });
    return id;
  }
  await recommendation("recommendation/REGISTERED", "REGISTERED", null, null);
  for (const s of statuses3) {
    plans[s] = await doc(`plan/${s}`, "RECTIFICATION_PLAN", s, planMembers, `矩阵整改方案${s}`);
    await recommendation(`recommendation/plan-${s}`, "RECTIFYING", plans[s].id, null);
  }
  const reply = await doc("reply/FINALIZED", "REPLY", "FINALIZED", planMembers, "矩阵书面回复");
  await recommendation("recommendation/REPLIED", "REPLIED", null, reply.id);

  // Tracked items of each kind (finalized sources): open ones with a pending extension request, done ones, a closed one.
  const items: ItemSubject[] = [];
  let itemNumber = 1;
  async function item(
    key: string,
    kind: string,
    source: DocSubject,
    leadOrgId: string,
    status: string,
    dueInDays: number,
  ) {
    const id = `mx${token()}`;
    const dueDate = endOfChinaDay(addDaysIso(chinaDay(), dueInDays));
    const wording = `矩阵${key} ${tag}`;
    await db.trackedItem.create({
      data: {
        id,
        kind,
        sourceDocumentId: source.id,
        ownerOrgId: orgs.own.id,
        consultationId:
          kind === "AGREED_ITEM" ? (consultations.find((c) => c.minutesId === source.id)?.id ?? null) : null,
        number: itemNumber++,
        wording,
        searchText: wording.toLowerCase(),
        leadOrgId,
        dueDate,
        status,
        activatedAt: new Date(),
        closedAt: status === "CLOSED" ? new Date() : null,
        orgs: { create: [{ orgId: leadOrgId, role: "LEAD" }] },
      },
    });
    let pendingExtensionId: string | null = null;
    if (status === "IN_PROGRESS") {
      pendingExtensionId = newId();
      await db.extensionRequest.create({
        data: {
          id: pendingExtensionId,
          itemId: id,
          orgId: leadOrgId,
          requestedById: creator,
          reason: "矩阵延期",
          currentDue: dueDate,
          requestedDue: new Date(dueDate.getTime() + 30 * 86_400_000),
        },
      });
    }
    let attachmentId: string | null = null;
    if (status === "IN_PROGRESS") {
      attachmentId = newId();
      const data = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");
      await db.progressReport.create({
        data: {
          id: newId(),
          itemId: id,
          orgId: leadOrgId,
          authorId: creator,
          text: "矩阵进展",
          attachments: {
            create: [
              {
                id: attachmentId,
                fileName: "进展.pdf",
                mimeType: "application/pdf",
                size: data.length,
                sha256: "0".repeat(64),
                data,
              },
            ],
          },
        },
      });
    }
    items.push({ key, id, kind, status, dueDate, pendingExtensionId, attachmentId });
  }
  await item("agreed/IN_PROGRESS", "AGREED_ITEM", minutes.FINALIZED, orgs.participant.id, "IN_PROGRESS", 60);
  await item("agreed/DONE", "AGREED_ITEM", minutes.FINALIZED, orgs.participant.id, "DONE", 60);
  await item("agreed/CLOSED", "AGREED_ITEM", minutes.FINALIZED, orgs.participant.id, "CLOSED", 60);
  await item("measure/IN_PROGRESS", "RECTIFICATION_MEASURE", plans.FINALIZED, orgs.own.id, "IN_PROGRESS", 60);
  await item("measure/DONE", "RECTIFICATION_MEASURE", plans.FINALIZED, orgs.own.id, "DONE", 60);
  await item("case/IN_PROGRESS", "SUPERVISED_CASE", listings.FINALIZED, orgs.participant.id, "IN_PROGRESS", 120);
  await item("case/DONE", "SUPERVISED_CASE", listings.FINALIZED, orgs.participant.id, "DONE", 120);

  // Clues (线索移送, ADR 023): the owner (an 行政执法机关) to the participant (a procuratorate) —
  // 内部监督中发现的线索 — in each state, each granted to the province's 纪委监委; the first with a material.
  const clues: Array<{ key: string; id: string; fileId: string | null }> = [];
  const clueHandler = actors.find((a) => a.key === "participant/COORDINATOR")!.userId!;
  for (const status of ["TRANSFERRED", "RECEIVED", "HANDLING", "FEEDBACK", "CLOSED", "RETURNED"] as const) {
    const id = newId();
    const transferred = endOfChinaDay(addDaysIso(chinaDay(), -3));
    const reached = (s: string) =>
      ["TRANSFERRED", "RECEIVED", "HANDLING", "FEEDBACK", "CLOSED"].indexOf(status) >=
      ["TRANSFERRED", "RECEIVED", "HANDLING", "FEEDBACK", "CLOSED"].indexOf(s);
    await db.clue.create({
      data: {
        id,
        docNumber: `矩移〔2026〕${token()}号`,
        fromOrgId: orgs.own.id,
        toOrgId: orgs.participant.id,
        route: "ENFORCEMENT_TO_PROCURATORATE",
        source: "SUPERVISION",
        summary: `矩阵线索摘要${status} ${tag}`,
        involvedUnits: "矩阵涉及单位",
        involvedPersons: `矩阵涉及人员${tag}`,
        transferredAt: transferred,
        receiptDueAt: endOfChinaDay(addDaysIso(chinaDay(), 4)),
        needsFeedback: true,
        feedbackDueAt: endOfChinaDay(addDaysIso(chinaDay(), 27)),
        status,
        receivedAt: status !== "TRANSFERRED" && status !== "RETURNED" ? new Date() : null,
        receivedById: status !== "TRANSFERRED" && status !== "RETURNED" ? clueHandler : null,
        handlingAt: status !== "RETURNED" && reached("HANDLING") ? new Date() : null,
        returnedAt: status === "RETURNED" ? new Date() : null,
        returnedReason: status === "RETURNED" ? "矩阵退回原因" : null,
        feedbackOutcome: status !== "RETURNED" && reached("FEEDBACK") ? "FILED" : null,
        feedbackText: status !== "RETURNED" && reached("FEEDBACK") ? "矩阵反馈" : null,
        feedbackAt: status !== "RETURNED" && reached("FEEDBACK") ? new Date() : null,
        closedAt: status === "CLOSED" ? new Date() : null,
        createdById: creator,
        grants: { create: [{ orgId: grantedOrg.id, grantedById: creator }] },
      },
    });
    let fileId: string | null = null;
    if (status === "TRANSFERRED") {
      fileId = newId();
      const data = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF");
      await db.attachment.create({
        data: {
          id: fileId,
          clueId: id,
          cluePart: "TRANSFER",
          fileName: "移送材料.pdf",
          mimeType: "application/pdf",
          size: data.length,
          sha256: "0".repeat(64),
          data,
        },
      });
    }
    clues.push({ key: `clue/${status}`, id, fileId });
  }

  // 府院联动 (ADR 025): the court's reports of two quarters of last year, the owner org (an 执法机关
  // of the city) their defendant with one figure row and one notable case; one 填报中, one 已报送 (no
  // 通报 yet). Written with the model functions the services use.
  const litigation: Array<{ key: string; id: string; year: number; quarter: number }> = [];
  const courtDrafter = courtActors.find((a) => a.key === "court/DRAFTER")!.userId!;
  const lastYear = quarterOf(new Date()).year - 1;
  for (const [status, quarter] of [
    ["DRAFT", 4],
    ["SUBMITTED", 3],
  ] as const) {
    const { id } = await buildLitigationReport({
      court: courtOrg,
      year: lastYear,
      quarter,
      createdById: courtDrafter,
      figures: [{ agencyOrgId: orgs.own.id, filed: 8, concluded: 6, lost: 2, headAppeared: 4, mediatedWithdrawn: 1 }],
      cases: [
        {
          agencyOrgId: orgs.own.id,
          caseNumber: `（${lastYear}）矩01行初${quarter}号`,
          cause: "行政处罚",
          outcome: "判决撤销被诉处罚决定",
          problem: "矩阵执法问题",
        },
      ],
      submittedAt: status === "SUBMITTED" ? new Date() : undefined,
    });
    litigation.push({ key: `litigation/${status}`, id, year: lastYear, quarter });
  }

  // 专题报告 (ADR 026): one generated through the service by the city justice bureau's (抄送) coordinator
  // for the city and the last year; its THEMATIC_REPORT draft is owned by that bureau, with no members.
  const generated = await generateThematicReport(
    await seedActor(`mxcoordinatorcopy${tag}`),
    { orgId: orgs.copy.id, from: addDaysIso(chinaDay(), -365), to: chinaDay() },
    { ip: "127.0.0.1", now: new Date() },
  );
  const thematicReports = [{ key: "thematic/DRAFT", id: generated.reportId, documentId: generated.documentId }];

  return {
    tag,
    province,
    city,
    otherCity,
    orgs,
    grantedOrg: { id: grantedOrg.id, name: grantedOrg.name },
    grantedActors,
    courtOrg: { id: courtOrg.id, name: courtOrg.name },
    courtActors,
    litigation,
    thematicReports,
    clues,
    victimOrg,
    victim: { id: victim.id, membershipId: victimMembership.id },
    actors,
    docs,
    consultations,
    recommendations,
    items,
    experts,
    publicationSlug: `mx-${tag}`,
  };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** Every row the matrix's subjects consist of, serialized: a denied request must leave it identical. */
export async function snapshot(w: World): Promise<string> {
  const db = getDb();
  const orgIds = [...Object.values(w.orgs).map((o) => o.id), w.victimOrg.id, w.grantedOrg.id, w.courtOrg.id];
  const docIds = w.docs.map((d) => d.id);
  const userIds = [
    ...[...w.actors, ...w.grantedActors, ...w.courtActors].map((a) => a.userId).filter((x): x is string => x !== null),
    w.victim.id,
  ];
  const [
    documents,
    countersigns,
    versions,
    items,
    recommendations,
    consultations,
    cases,
    publications,
    orgs,
    regions,
    users,
    audits,
    notifications,
    clues,
    externalPeople,
    litigationReports,
    thematicReports,
  ] = await Promise.all([
    db.document.findMany({
      where: { ownerOrgId: { in: orgIds } },
      orderBy: { id: "asc" },
      select: {
        id: true,
        status: true,
        title: true,
        finalHash: true,
        finalVersionId: true,
        members: { orderBy: { id: "asc" }, select: { orgId: true, userId: true, access: true } },
        // 关注 (ADR 029): a refused star intent stars nothing.
        stars: { orderBy: { userId: "asc" }, select: { userId: true } },
      },
    }),
    db.countersign.findMany({
      where: { documentId: { in: docIds } },
      orderBy: { id: "asc" },
      select: { id: true, decision: true, round: true, subject: true },
    }),
    db.documentVersion.findMany({
      where: { documentId: { in: docIds } },
      orderBy: { id: "asc" },
      select: { id: true },
    }),
    db.trackedItem.findMany({
      where: { ownerOrgId: { in: orgIds } },
      orderBy: { id: "asc" },
      select: {
        id: true,
        status: true,
        dueDate: true,
        closedAt: true,
        reports: { select: { id: true } },
        extensions: { orderBy: { id: "asc" }, select: { id: true, status: true } },
      },
    }),
    db.recommendation.findMany({
      where: { OR: [{ issuerOrgId: { in: orgIds } }, { recipientOrgId: { in: orgIds } }] },
      orderBy: { id: "asc" },
      select: {
        id: true,
        status: true,
        replyDueDate: true,
        planDocumentId: true,
        replyDocumentId: true,
        closedAt: true,
        files: { select: { id: true } },
      },
    }),
    db.consultation.findMany({
      where: { conveningOrgId: { in: orgIds } },
      orderBy: { id: "asc" },
      select: {
        id: true,
        status: true,
        minutesId: true,
        startsAt: true,
        place: true,
        agenda: true,
        sequence: true,
        cancelledAt: true,
        rsvpChasedAt: true,
        participants: {
          orderBy: { id: "asc" },
          select: { id: true, attendance: true, userId: true, rsvp: true, rsvpReason: true, delegateUserId: true },
        },
      },
    }),
    db.typicalCase.findMany({
      where: { documentId: { in: docIds } },
      orderBy: { documentId: "asc" },
      select: { documentId: true, field: true, batch: true, parties: true, overrides: { select: { id: true } } },
    }),
    db.publication.findMany({
      where: { documentId: { in: docIds } },
      orderBy: { id: "asc" },
      select: { id: true, state: true, current: true },
    }),
    db.organization.findMany({
      where: { region: { path: { startsWith: w.province.path } } },
      orderBy: { id: "asc" },
      select: { id: true, name: true, kind: true, active: true, regionId: true },
    }),
    db.region.findMany({
      where: { path: { startsWith: w.province.path } },
      orderBy: { id: "asc" },
      select: { id: true, name: true },
    }),
    db.user.findMany({
      where: { OR: [{ id: { in: userIds } }, { memberships: { some: { orgId: { in: orgIds } } } }] },
      orderBy: { id: "asc" },
      select: {
        id: true,
        displayName: true,
        active: true,
        passwordHash: true,
        externalKind: true,
        memberships: { orderBy: { id: "asc" }, select: { orgId: true, role: true } },
      },
    }),
    // Reads of a clue (its page, its materials) are recorded too (ADR 023), but they change nothing.
    db.auditEvent.count({
      where: {
        OR: [{ orgId: { in: orgIds } }, { targetId: { in: [...docIds, ...orgIds, ...userIds] } }],
        action: { notIn: ["clue.viewed", "clue.file_downloaded"] },
      },
    }),
    db.notification.count({ where: { userId: { in: userIds } } }),
    db.clue.findMany({
      where: { OR: [{ fromOrgId: { in: orgIds } }, { toOrgId: { in: orgIds } }] },
      orderBy: { id: "asc" },
      select: {
        id: true,
        status: true,
        receivedAt: true,
        returnedAt: true,
        feedbackAt: true,
        closedAt: true,
        grants: { orderBy: { orgId: "asc" }, select: { orgId: true } },
        files: { orderBy: { id: "asc" }, select: { id: true } },
      },
    }),
    // The pools (专家库) of the matrix regions, with the accounts opened for their people.
    db.externalPerson.findMany({
      where: { region: { path: { startsWith: w.province.path } } },
      orderBy: { id: "asc" },
      select: {
        id: true,
        kind: true,
        name: true,
        fields: true,
        title: true,
        employer: true,
        contact: true,
        status: true,
        user: { select: { id: true, username: true, active: true, externalKind: true } },
      },
    }),
    // The court's quarterly reports (府院联动), with their figures and notable cases.
    litigationReportRows([w.courtOrg.id]),
    // The 专题报告 of the matrix units (a generation adds one with its document).
    thematicReportRows(orgIds),
  ]);
  return JSON.stringify({
    litigationReports,
    thematicReports,
    clues,
    externalPeople,
    documents,
    countersigns,
    versions,
    items,
    recommendations,
    consultations,
    cases,
    publications,
    orgs,
    regions,
    users,
    audits,
    notifications,
  });
}
