import * as Y from "yjs";
import { getDb } from "~/db.server";
import {
  insertLitigationReport,
  markLitigationSubmitted,
  replaceLitigationCases,
  replaceLitigationFigures,
  type CaseRow,
  type FigureRow,
} from "~/models/litigation.server";
import { markSearchDirty } from "~/models/search.server";
import { getLucia } from "~/services/auth/auth.server";
import { hashPassword } from "~/services/auth/password.server";
import type { OrgKind, RegionLevel, Role } from "~/domain/organization";
import { newId } from "~/utils/ids";

/** Test factories (`build*`): every test creates and owns its data. */

let counter = 0;
const unique = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.floor(Math.random() * 1e4)}`;

export async function buildRegion(
  opts: { name?: string; level?: RegionLevel; parent?: { id: string; path: string } } = {},
) {
  const id = newId();
  return getDb().region.create({
    data: {
      id,
      name: opts.name ?? unique("区划"),
      level: opts.level ?? "CITY",
      parentId: opts.parent?.id ?? null,
      path: `${opts.parent?.path ?? "/"}${id}/`,
    },
    select: { id: true, path: true, name: true },
  });
}

export async function buildOrg(opts: { kind?: OrgKind; region?: { id: string }; name?: string } = {}) {
  const region = opts.region ?? (await buildRegion());
  return getDb().organization.create({
    data: {
      id: newId(),
      name: opts.name ?? unique("测试单位"),
      kind: opts.kind ?? "ENFORCEMENT_AGENCY",
      regionId: region.id,
    },
    select: { id: true, name: true, regionId: true },
  });
}

export const TEST_PASSWORD = "Test1234pw";
let cachedHash: Promise<string> | undefined;

export async function buildUser(
  opts: { role?: Role; org?: { id: string }; username?: string; displayName?: string; password?: string } = {},
) {
  const org = opts.org ?? (await buildOrg());
  const passwordHash = opts.password
    ? await hashPassword(opts.password)
    : await (cachedHash ??= hashPassword(TEST_PASSWORD));
  const username = opts.username ?? unique("u").toLowerCase();
  const user = await getDb().user.create({
    data: { id: newId(), username, displayName: opts.displayName ?? "测试用户", passwordHash },
    select: { id: true, username: true, displayName: true },
  });
  await getDb().membership.create({
    data: { id: newId(), userId: user.id, orgId: org.id, role: opts.role ?? "VIEWER" },
  });
  return { ...user, orgId: org.id, password: opts.password ?? TEST_PASSWORD };
}

/** A valid session for the user, as the Cookie header value ("name=value"). */
export async function buildSessionCookie(userId: string): Promise<string> {
  const lucia = getLucia();
  const session = await lucia.createSession(userId, {});
  return `${lucia.sessionCookieName}=${session.id}`;
}

export async function buildDocument(opts: {
  ownerOrg: { id: string };
  createdById: string;
  members?: Array<{ orgId?: string; userId?: string; access: "READ" | "COMMENT" | "SUGGEST" | "WRITE" }>;
  status?: string;
  type?: string;
  title?: string;
}) {
  const id = newId();
  await getDb().document.create({
    data: {
      id,
      type: opts.type ?? "MINUTES",
      title: opts.title ?? "测试文书",
      ownerOrgId: opts.ownerOrg.id,
      status: opts.status ?? "DRAFT",
      createdById: opts.createdById,
      members: {
        create: (opts.members ?? []).map((m) => ({
          id: newId(),
          orgId: m.orgId ?? null,
          userId: m.userId ?? null,
          access: m.access,
        })),
      },
    },
  });
  return { id };
}

/**
 * A person of a region's pool of outside participants (ADR 024), with a sign-in account (no
 * membership; `externalKind` set) unless `account` is false.
 */
export async function buildExternalPerson(opts: {
  region: { id: string };
  kind?: "EXPERT" | "SUPERVISOR" | "NPC_DEPUTY" | "CPPCC_MEMBER";
  name?: string;
  fields?: string[];
  status?: "ACTIVE" | "INACTIVE";
  account?: boolean;
  createdById: string;
}) {
  const kind = opts.kind ?? "EXPERT";
  const name = opts.name ?? unique("专家");
  let user: { id: string; username: string; password: string } | null = null;
  if (opts.account !== false) {
    const username = unique("x").toLowerCase();
    const created = await getDb().user.create({
      data: {
        id: newId(),
        username,
        displayName: name,
        passwordHash: await (cachedHash ??= hashPassword(TEST_PASSWORD)),
        externalKind: kind,
      },
      select: { id: true },
    });
    user = { id: created.id, username, password: TEST_PASSWORD };
  }
  const person = await getDb().externalPerson.create({
    data: {
      id: newId(),
      regionId: opts.region.id,
      kind,
      name,
      fields: JSON.stringify(opts.fields ?? ["法学"]),
      title: "教授",
      employer: "测试大学法学院",
      contact: `1390000${Math.floor(Math.random() * 1e4)}`,
      status: opts.status ?? "ACTIVE",
      userId: user?.id ?? null,
      createdById: opts.createdById,
    },
    select: { id: true, name: true, contact: true },
  });
  return { ...person, user };
}

/**
 * A court's quarterly litigation report (府院联动, ADR 025), written with the model functions the
 * services use: 填报中 with the given figure rows and notable cases, 已报送 when `submittedAt` is set.
 */
export async function buildLitigationReport(opts: {
  court: { id: string };
  year: number;
  quarter: number;
  createdById: string;
  figures?: FigureRow[];
  cases?: CaseRow[];
  submittedAt?: Date;
}) {
  const db = getDb();
  const id = newId();
  await insertLitigationReport(db, {
    id,
    courtOrgId: opts.court.id,
    year: opts.year,
    quarter: opts.quarter,
    createdById: opts.createdById,
  });
  if (opts.figures?.length) await replaceLitigationFigures(db, id, opts.figures);
  if (opts.cases?.length) await replaceLitigationCases(db, id, opts.cases);
  if (opts.submittedAt) await markLitigationSubmitted(db, id, opts.submittedAt);
  return { id, year: opts.year, quarter: opts.quarter };
}

/**
 * Stores a document's current text as the collab server's compaction does (a snapshot; the Yjs state is an empty
 * document: nobody opens these) and marks it for the search index's job (ADR 028).
 */
export async function buildDocumentText(documentId: string, text: string) {
  const state = new Uint8Array(Y.encodeStateAsUpdate(new Y.Doc()));
  await getDb().documentSnapshot.upsert({
    where: { documentId },
    create: { documentId, state, json: '{"type":"doc"}', text },
    update: { state, text },
  });
  await markSearchDirty(getDb(), "document", [documentId]);
}

/** A consultation convened by `org` inviting `invited` orgs (org rows), marked for the search index. */
export async function buildConsultation(opts: {
  org: { id: string };
  createdById: string;
  title?: string;
  agenda?: string[];
  place?: string;
  invited?: Array<{ orgId: string; userId?: string; delegateUserId?: string }>;
  status?: string;
}) {
  const id = newId();
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  await getDb().consultation.create({
    data: {
      id,
      kind: "COORDINATION",
      title: opts.title ?? "测试会商",
      series: unique("测试系列"),
      number: 1,
      conveningOrgId: opts.org.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 3_600_000),
      place: opts.place ?? "会议室",
      agenda: JSON.stringify(opts.agenda ?? []),
      status: opts.status ?? "PLANNED",
      createdById: opts.createdById,
      participants: {
        create: (opts.invited ?? []).map((p) => ({
          id: newId(),
          orgId: p.orgId,
          userId: p.userId ?? null,
          delegateUserId: p.delegateUserId ?? null,
          role: "ATTENDEE",
        })),
      },
    },
  });
  await markSearchDirty(getDb(), "consultation", [id]);
  return { id };
}
