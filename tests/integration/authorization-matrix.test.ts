import { readdirSync, readFileSync } from "node:fs";
import JSZip from "jszip";
import { Document, Packer, Paragraph } from "docx";
import path from "node:path";
import * as encoding from "lib0/encoding";
import { io as connectSocket, type Socket } from "socket.io-client";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/db.server";
import { getClueFacts } from "~/models/clue.server";
import { getConsultationFacts } from "~/models/consultation.server";
import { getLitigationFacts } from "~/models/litigation.server";
import { getDocumentFacts } from "~/models/document.server";
import { markSearchDirty } from "~/models/search.server";
import { createThread } from "~/models/comment.server";
import { getRecommendationFacts } from "~/models/recommendation.server";
import { getItemFacts } from "~/models/tracked-item.server";
import { adminScopes, canAccessAdmin, canAdminister, type AdminAction } from "~/policies/administration";
import { authorizeApiToken } from "~/policies/api-token";
import { generateApiToken, hashApiToken } from "~/services/api-tokens.server";
import type { Actor } from "~/domain/actor";
import {
  authorizeClue,
  authorizeTransfer,
  canReadClue,
  canViewClueStats,
  isClueHandler,
  transferringOrgIds,
  type ClueAction,
} from "~/policies/clue";
import { authorizeComment } from "~/policies/comment";
import {
  authorizePool,
  authorizePoolEntry,
  canBrowsePool,
  canKeepPool,
  canOpenPool,
  type PoolEntryAction,
} from "~/policies/external";
import { externalMayOpen } from "~/domain/external";
import { getExternalPerson } from "~/models/external-person.server";
import { poolEntryFacts } from "~/services/external-people.server";
import { authorizeSuggestion } from "~/policies/suggestion";
import {
  authorizeFiling,
  authorizeLitigation,
  canOpenLitigation,
  canViewLitigationTrends,
  type LitigationAction,
} from "~/policies/litigation";
import { litigationTemplate } from "~/services/import/litigation-workbook.server";
import { authorizeThematicReport, canGenerateThematicReport } from "~/policies/thematic-report";
import {
  authorizeConsultation,
  authorizeReply,
  canConvene,
  consultationAccess,
  type ConsultationAction,
} from "~/policies/consultation";
import {
  canCreateDocument,
  canManageDocumentMembers,
  canRequestCountersign,
  countersigningOrgIds,
  documentAccess,
} from "~/policies/document";
import {
  canAttachOriginal,
  canChangeReplyDue,
  canCloseRecommendation,
  canCreatePlan,
  canPrepareReply,
  canReadRecommendation,
  canRegisterRecommendation,
  canSendReply,
  canViewRecommendationOverview,
  isRecipientDrafter,
} from "~/policies/recommendation";
import {
  canClose,
  canDecideExtension,
  canReadItem,
  canReopen,
  canReportProgress,
  canRequestExtension,
  canRequestRelease,
  releaseConfirmingOrgIds,
} from "~/policies/tracked-item";
import {
  canCreateCase,
  canEditCaseMeta,
  canOverrideFinding,
  canPublishCase,
  canReopenForCorrection,
  canWithdrawCase,
} from "~/policies/typical-case";
import { addDaysIso, chinaDay } from "~/domain/dates";
import { ROLES } from "~/domain/organization";
import { CloseCode, MessageType } from "../../app/protocol/collab";
import { wsBase } from "../collab/client";
import { startServer, type RunningServer } from "./helpers";
import { buildWorld, snapshot, token, type DocSubject, type MatrixActor, type World } from "./matrix/world";

/**
 * The authorization matrix: every actor (each role × each relation of its org to the subjects, and
 * anonymous) against every subject (documents of each type in each status, tracked items of each
 * kind, recommendations, consultations, the ledger, admin pages) and every action (pages, each POST
 * intent, exports, attachment downloads, the collab WebSocket, socket.io `document:watch`).
 * The expected outcome comes from the policy functions in app/policies, evaluated on the facts the
 * server itself loads (app/models get*Facts); the hard rules are written as rules:
 * - anonymous: a page redirects to /login, /api answers 401, the collab socket closes with 4401,
 *   socket.io refuses the connection;
 * - no read access: 403 or 404 (never 200, never 500); collab 4403; `document:watch` {ok:false};
 * - read access but the policy forbids the mutation: a 4xx refusal and no change in the database;
 * - the policy allows: never 401/403/404/5xx (allowed mutations run last, one at a time, with the
 *   facts reloaded before each, because they change the state the next expectation depends on).
 * A route file in app/routes that no case exercises fails the suite, and so does a route with an
 * `action` export that no "POST without access" case refused.
 */

const ROUTES_DIR = path.resolve("app/routes");
/** Routes that need no sign-in on purpose (public case library, the sign-in itself); still requested below. */
const PUBLIC_ROUTES: Record<string, string> = {
  "login.tsx": "the sign-in form: public by definition (its POST is the credential check, covered by auth.test.ts)",
  "logout.tsx": "ends the caller's own session; an anonymous POST only redirects to /login",
  "cases._index.tsx": "public typical-case library (ADR 011): published text only",
  "cases.$slug.tsx": "public page of one published case (ADR 011)",
  "cases.feed[.]xml.tsx": "public Atom feed of published cases (ADR 011)",
  "api.docs.tsx": "the data-exchange API's reference page (ADR 027): no data",
  "api.v1.openapi[.]json.tsx": "the OpenAPI document (ADR 027): no data",
};
/** Action routes whose only "no access" actor is anonymous: they act on the caller's own data. */
const OWN_DATA_ACTIONS: Record<string, string> = {
  "_app.account.tsx": "changes the caller's own password",
  "_app._index.tsx": "closes the caller's own first-use card on the workbench",
  "api.notifications.tsx": "marks the caller's own notifications read",
  "password.tsx": "sets the caller's own password at the first sign-in (anyone else is redirected)",
};

let app: RunningServer;
let w: World;
const coverage = new Map<string, Set<string>>();
const refusedPosts = new Set<string>();
let combinations = 0;

function cover(route: string, what: string) {
  let set = coverage.get(route);
  if (!set) coverage.set(route, (set = new Set()));
  set.add(what);
  // Every _app.* page renders inside the _app layout (and the admin pages inside the admin layout).
  if (route.startsWith("_app."))
    (coverage.get("_app.tsx") ?? coverage.set("_app.tsx", new Set()).get("_app.tsx")!).add(what);
  if (route.startsWith("_app.admin."))
    (coverage.get("_app.admin.tsx") ?? coverage.set("_app.admin.tsx", new Set()).get("_app.admin.tsx")!).add(what);
}

beforeAll(async () => {
  app = await startServer({ search: { intervalMs: 200 } });
  w = await buildWorld();
}, 240_000);
afterAll(async () => {
  await app?.close();
});

/** Waits until the server's search job has indexed every given record (ADR 028). */
async function waitForSearchIndex(recordIds: string[], kinds: string[] = ["document", "consultation"]) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [entries, dirty] = await Promise.all([
      // A published case's entry has its document's id: count per kind.
      getDb().searchEntry.count({ where: { recordId: { in: recordIds }, kind: { in: kinds } } }),
      getDb().searchDirty.count({ where: { recordId: { in: recordIds } } }),
    ]);
    if (entries === recordIds.length && dirty === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the search index job did not index the matrix records in 60 s");
}

/** Runs the tasks with at most `size` in flight. */
async function inBatches(tasks: Array<() => Promise<void>>, size = 8) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, tasks.length) }, async () => {
      while (next < tasks.length) await tasks[next++]();
    }),
  );
}

/**
 * Requests go to the real document URLs. (The app has Remix single fetch on, so `?_data` data
 * requests, which would skip the HTML rendering, are deprecated there and not used.)
 */
const viaData = (_route: string, p: string) => p;
const redirectOf = (res: Response) =>
  res.status === 204
    ? res.headers.get("x-remix-redirect")
    : res.status === 302 || res.status === 303
      ? res.headers.get("location")
      : null;

/**
 * MATRIX_FULL=1 runs every case against all 31 actors. By default each case runs against every
 * relation (and anonymous) with a third of the roles, rotating with the case's index, so that every
 * role × relation pair still meets every route (and every status of it) across the cases while the
 * suite stays well under a minute on two cores.
 */
const FULL = process.env.MATRIX_FULL === "1";
function actorsFor(index: number, spread = 3): MatrixActor[] {
  if (FULL) return w.actors;
  return w.actors.filter((a) => a.role === null || (ROLES.indexOf(a.role) + index) % spread === 0);
}

/** The granted upper 纪委监委's actors, for the clue cases only, rotating like `actorsFor`. */
function grantedFor(index: number, spread = 3): MatrixActor[] {
  if (FULL) return w.grantedActors;
  return w.grantedActors.filter((a) => (ROLES.indexOf(a.role!) + index) % spread === 0);
}

/** The city court's actors, for the 府院联动 cases only, rotating like `actorsFor`. */
function courtFor(index: number, spread = 3): MatrixActor[] {
  if (FULL) return w.courtActors;
  return w.courtActors.filter((a) => (ROLES.indexOf(a.role!) + index) % spread === 0);
}

const signedIn = () =>
  w.actors.filter((a): a is MatrixActor & { actor: Actor; cookie: string; userId: string } => a.actor !== null);
/** The granted upper 纪委监委's actors (all signed in). */
const grantedSignedIn = () =>
  w.grantedActors.filter((a): a is MatrixActor & { actor: Actor; cookie: string; userId: string } => a.actor !== null);
const isLoginRedirect = (res: Response) => (redirectOf(res) ?? "").startsWith("/login");

async function bodyHint(res: Response) {
  try {
    return (await res.text()).replace(/\s+/g, " ").slice(0, 160);
  } catch {
    return "";
  }
}

// ---------------------------------------------------------------------------------------------
// Reads: pages, exports, downloads
// ---------------------------------------------------------------------------------------------

interface ReadCase {
  route: string;
  label: string;
  path: string;
  /** true: the policy lets the actor read; "public": everyone, anonymous too. */
  allowed: (a: Actor) => boolean | Promise<boolean>;
  public?: boolean;
  /** Only the refusals are requested (an allowed request would be too costly, e.g. printing a PDF). */
  refusalsOnly?: boolean;
  /** An allowed answer other than 200 (e.g. /admin redirects to /admin/orgs). */
  okStatus?: (res: Response) => boolean;
  /** The granted upper 纪委监委's actors are asked too (the clue cases). */
  granted?: boolean;
  /** The city court's actors are asked too (the 府院联动 cases). */
  court?: boolean;
}

async function checkReads(cases: ReadCase[], failures: string[]) {
  const tasks: Array<() => Promise<void>> = [];
  for (const [index, c] of cases.entries()) {
    cover(c.route, c.label);
    for (const a of [
      ...actorsFor(index),
      ...(c.granted ? grantedFor(index) : []),
      ...(c.court ? courtFor(index) : []),
    ]) {
      if (c.refusalsOnly && a.actor && opens(a.actor, c.path) && (await c.allowed(a.actor))) continue;
      tasks.push(async () => {
        combinations++;
        const res = await app.request(viaData(c.route, c.path), { cookie: a.cookie ?? undefined });
        const ok = c.okStatus ? c.okStatus(res) : res.status === 200;
        let good: boolean;
        let want: string;
        if (c.public) {
          good = ok;
          want = "200 (public)";
        } else if (!a.actor) {
          good = c.path.startsWith("/api/") ? res.status === 401 : isLoginRedirect(res);
          want = "redirect to /login (or 401)";
        } else if (opens(a.actor, c.path) && (await c.allowed(a.actor))) {
          good = ok;
          want = "allowed";
        } else {
          good = res.status === 403 || res.status === 404;
          want = "403/404";
        }
        if (!good)
          failures.push(
            `GET ${c.label} as ${a.key}: expected ${want}, got ${res.status} ${res.headers.get("location") ?? ""} ${await bodyHint(res)}`,
          );
        else await res.arrayBuffer().catch(() => undefined);
      });
    }
  }
  await inBatches(tasks);
}

const docRead = (id: string) => async (actor: Actor) => {
  const f = await getDocumentFacts(getDb(), id);
  return f !== null && documentAccess(actor, f) !== "none";
};

function documentReadCases(d: DocSubject): ReadCase[] {
  const allowed = docRead(d.id);
  const page: ReadCase = {
    route: "_app.documents.$documentId.tsx",
    label: `${d.key} page`,
    path: `/documents/${d.id}`,
    allowed,
  };
  const comments: ReadCase = {
    route: "documents.$documentId.comments.tsx",
    label: `${d.key} comments`,
    path: `/documents/${d.id}/comments`,
    allowed,
  };
  // Reading does not depend on the status (documentAccess only drops write): the other read routes run on the frozen and the draft minutes and on every finalized document.
  if (!(d.status === "FINALIZED" || d.key === "minutes/DRAFT")) return [page, comments];
  return [
    page,
    comments,
    {
      route: "_app.documents.$documentId_.versions._index.tsx",
      label: `${d.key} versions`,
      path: `/documents/${d.id}/versions`,
      allowed,
    },
    {
      route: "_app.documents.$documentId_.versions.$number.tsx",
      label: `${d.key} version 1`,
      path: `/documents/${d.id}/versions/1`,
      allowed,
    },
    {
      route: "_app.documents.$documentId_.compare.tsx",
      label: `${d.key} compare`,
      path: `/documents/${d.id}/compare?from=1&to=1`,
      allowed,
    },
    {
      route: "_app.documents.$documentId_.verify.tsx",
      label: `${d.key} verify`,
      path: `/documents/${d.id}/verify`,
      allowed,
    },
    {
      route: "documents.$documentId.export.$format.tsx",
      label: `${d.key} export docx`,
      path: `/documents/${d.id}/export/docx`,
      allowed,
    },
    // PDF prints through chromium: only the refusals are checked (they answer before any printing).
    {
      route: "documents.$documentId.export.$format.tsx",
      label: `${d.key} export pdf (refusals)`,
      path: `/documents/${d.id}/export/pdf`,
      allowed,
      refusalsOnly: true,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

type Verdict = "allowed" | "denied" | "noaccess";

interface PostCase {
  route: string;
  label: string;
  path: string;
  body: () => Record<string, string> | FormData;
  /** From the policies, on facts loaded now. */
  decide: (a: Actor) => Promise<Verdict>;
  /** Allowed but the request itself is refused by design (e.g. a wrong current password): the accepted statuses. */
  allowedStatuses?: number[];
  /** The granted upper 纪委监委's actors are asked too (the clue cases). */
  granted?: boolean;
  /** The city court's actors are asked too (the 府院联动 cases). */
  court?: boolean;
}

/**
 * An outside participant's account (the external invitee, ADR 024) opens only the pages
 * `externalMayOpen` lists: everywhere else it is refused before any policy is asked.
 */
const opens = (a: Actor, path: string) => !a.external || externalMayOpen(path.split("?")[0] ?? path);

/** The verdict on a POST: the page rule for outside participants first, then the case's policy. */
const decideFor = async (c: PostCase, a: Actor): Promise<Verdict> => (opens(a, c.path) ? c.decide(a) : "noaccess");

function post(c: PostCase, a: MatrixActor) {
  const body = c.body();
  const target = viaData(c.route, c.path);
  if (body instanceof FormData) return app.request(target, { cookie: a.cookie ?? undefined, method: "POST", body });
  return app.request(target, { cookie: a.cookie ?? undefined, form: body });
}

function judge(verdict: Verdict | "anonymous", res: Response, c: PostCase): string | null {
  const s = res.status;
  if (verdict === "anonymous") return isLoginRedirect(res) || s === 401 ? null : "redirect to /login or 401";
  if (verdict === "noaccess") return s === 403 || s === 404 ? null : "403/404 (no access)";
  if (verdict === "denied")
    return s >= 400 && s < 500 && s !== 401 && s !== 413 && s !== 415 ? null : "a 4xx refusal (policy denies)";
  if (c.allowedStatuses) return c.allowedStatuses.includes(s) ? null : `one of ${c.allowedStatuses.join("/")}`;
  // Authorized: never refused for access; a business rule of the moment (empty sections, a pending request, a date) may still answer 400/409.
  return s < 500 && s !== 401 && s !== 403 && s !== 404 ? null : "not refused (policy allows)";
}

interface AllowedRun {
  c: PostCase;
  a: MatrixActor & { actor: Actor };
}

/** Phase 1: every refusal (anonymous, no access, denied) concurrently per route; the database must not change. */
async function checkRefusals(cases: PostCase[], failures: string[], allowedLater: AllowedRun[]) {
  const byRoute = new Map<string, PostCase[]>();
  for (const c of cases) byRoute.set(c.route, [...(byRoute.get(c.route) ?? []), c]);
  for (const [route, group] of byRoute) {
    const before = await snapshot(w);
    const tasks: Array<() => Promise<void>> = [];
    for (const c of group) {
      cover(c.route, `POST ${c.label}`);
      const index = cases.indexOf(c);
      for (const a of [
        ...actorsFor(index, 6),
        ...(c.granted ? grantedFor(index, 6) : []),
        ...(c.court ? courtFor(index, 6) : []),
      ]) {
        const verdict: Verdict | "anonymous" = a.actor ? await decideFor(c, a.actor) : "anonymous";
        if (verdict === "allowed") {
          allowedLater.push({ c, a: a as MatrixActor & { actor: Actor } });
          continue;
        }
        tasks.push(async () => {
          combinations++;
          const res = await post(c, a);
          const wrong = judge(verdict, res, c);
          if (wrong)
            failures.push(
              `POST ${c.label} as ${a.key}: expected ${wrong}, got ${res.status} ${res.headers.get("location") ?? ""} ${await bodyHint(res)}`,
            );
          else await res.arrayBuffer().catch(() => undefined);
          if (verdict === "noaccess" || verdict === "anonymous") refusedPosts.add(c.route);
        });
      }
    }
    await inBatches(tasks);
    const after = await snapshot(w);
    if (after !== before) failures.push(`refused POSTs to ${route} changed the database:\n${diff(before, after)}`);
  }
}

/** Phase 2: the allowed ones, one at a time, each re-judged on the facts of the moment. */
async function runAllowed(runs: AllowedRun[], failures: string[]) {
  for (const { c, a } of runs) {
    combinations++;
    const verdict = await decideFor(c, a.actor);
    const before = verdict === "allowed" ? null : await snapshot(w);
    const res = await post(c, a);
    const wrong = judge(verdict, res, c);
    if (wrong)
      failures.push(
        `POST ${c.label} as ${a.key} (${verdict}): expected ${wrong}, got ${res.status} ${res.headers.get("location") ?? ""} ${await bodyHint(res)}`,
      );
    else await res.arrayBuffer().catch(() => undefined);
    if (before !== null) {
      const after = await snapshot(w);
      if (after !== before)
        failures.push(`refused POST ${c.label} as ${a.key} changed the database:\n${diff(before, after)}`);
    }
  }
}

function diff(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  return Object.keys(a)
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `  ${k}: ${JSON.stringify(a[k]).slice(0, 300)} → ${JSON.stringify(b[k]).slice(0, 300)}`)
    .join("\n");
}

function multipart(fields: Record<string, string>, file?: { field: string; name: string }): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  if (file)
    fd.append(
      file.field,
      new Blob([new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF") as BlobPart], {
        type: "application/pdf",
      }),
      file.name,
    );
  return fd;
}

async function pendingOrgs(documentId: string, subject: string): Promise<Set<string>> {
  const rows = await getDb().countersign.findMany({
    where: { documentId, subject, decision: "PENDING" },
    select: { orgId: true },
  });
  return new Set(rows.map((r) => r.orgId));
}

function documentPostCases(d: DocSubject): PostCase[] {
  const facts = async () => (await getDocumentFacts(getDb(), d.id))!;
  const gate =
    (rule: (a: Actor, f: Awaited<ReturnType<typeof facts>>) => boolean | Promise<boolean>) =>
    async (a: Actor): Promise<Verdict> => {
      const f = await facts();
      if (documentAccess(a, f) === "none") return "noaccess";
      return (await rule(a, f)) ? "allowed" : "denied";
    };
  const mayDecide = async (a: Actor, f: Awaited<ReturnType<typeof facts>>) => {
    if (f.status !== "COUNTERSIGNING") return false;
    const pending = await pendingOrgs(d.id, "");
    return countersigningOrgIds(a, f.type).some((o) => pending.has(o));
  };
  const page = "_app.documents.$documentId.tsx";
  const versions = "_app.documents.$documentId_.versions._index.tsx";
  const cases: PostCase[] = [
    {
      route: page,
      label: `${d.key} requestCountersign`,
      path: `/documents/${d.id}`,
      body: () => ({ intent: "requestCountersign" }),
      decide: gate((a, f) => canRequestCountersign(a, f)),
    },
    {
      route: page,
      label: `${d.key} approve`,
      path: `/documents/${d.id}`,
      body: () => ({ intent: "approve" }),
      decide: gate(mayDecide),
    },
    {
      route: page,
      label: `${d.key} return`,
      path: `/documents/${d.id}`,
      body: () => ({ intent: "return", comment: "矩阵退回意见" }),
      decide: gate(mayDecide),
    },
    {
      route: page,
      label: `${d.key} members`,
      path: `/documents/${d.id}`,
      body: () => ({ intent: "members", [`member.${w.orgs.participant.id}`]: "WRITE" }),
      decide: gate((a, f) => canManageDocumentMembers(a, f)),
    },
    {
      // ☆/★ 关注 (ADR 029): whoever may read the document, whatever its status.
      route: page,
      label: `${d.key} star`,
      path: `/documents/${d.id}`,
      body: () => ({ intent: "star", starred: "1" }),
      decide: gate(() => true),
    },
    {
      route: page,
      label: `${d.key} review phase`,
      path: `/documents/${d.id}`,
      body: () => ({ intent: "reviewPhase" }),
      decide: gate((a, f) => canManageDocumentMembers(a, f)),
    },
    {
      route: versions,
      label: `${d.key} name version`,
      path: `/documents/${d.id}/versions`,
      body: () => ({ intent: "name", name: "矩阵版本" }),
      decide: gate((a, f) => documentAccess(a, f) === "write"),
    },
    {
      route: versions,
      label: `${d.key} restore version`,
      path: `/documents/${d.id}/versions`,
      body: () => ({ intent: "restore", number: "1" }),
      decide: gate((a, f) => documentAccess(a, f) === "write"),
    },
  ];
  const commentsRoute = "documents.$documentId.comments.tsx";
  cases.push(
    {
      // The selection is not in the text: an allowed commenter reaches the anchoring (409), nobody else gets that far.
      route: commentsRoute,
      label: `${d.key} comment open`,
      path: `/documents/${d.id}/comments`,
      body: () => ({
        intent: "open",
        anchor: JSON.stringify({ type: null, tname: null, item: { client: 1, clock: 9 }, assoc: 0 }),
        head: JSON.stringify({ type: null, tname: null, item: { client: 1, clock: 10 }, assoc: 0 }),
        quote: "矩阵",
        body: "矩阵批注",
      }),
      decide: gate((a, f) => authorizeComment(a, "open", f).allowed),
      allowedStatuses: [409],
    },
    {
      // Every reader reaches the thread lookup (404: no such thread); nobody else learns anything.
      route: commentsRoute,
      label: `${d.key} comment resolve`,
      path: `/documents/${d.id}/comments`,
      body: () => ({ intent: "resolve", threadId: "mxnosuchthread" }),
      decide: gate(() => true),
      allowedStatuses: [404],
    },
  );
  const suggestionsRoute = "documents.$documentId.suggestions.tsx";
  cases.push(
    {
      // The matrix documents carry no 修订: a unit allowed to decide reaches the lookup (409), nobody else does.
      route: suggestionsRoute,
      label: `${d.key} suggestions accept all`,
      path: `/documents/${d.id}/suggestions`,
      body: () => ({ intent: "accept", all: "on" }),
      decide: gate((a, f) => authorizeSuggestion(a, "decide", f).allowed),
      allowedStatuses: [409],
    },
    {
      // Every reader reaches the lookup of the suggestion (404: not in this document); others learn nothing.
      route: suggestionsRoute,
      label: `${d.key} suggestion withdraw`,
      path: `/documents/${d.id}/suggestions`,
      body: () => ({ intent: "withdraw", id: "mxnosuchuser.mx1" }),
      decide: gate(() => true),
      allowedStatuses: [404],
    },
  );
  const caseRoute = "documents.$documentId.case.tsx";
  if (d.type === "TYPICAL_CASE") {
    cases.push(
      {
        route: caseRoute,
        label: `${d.key} case check`,
        path: `/documents/${d.id}/case`,
        body: () => ({ intent: "check" }),
        decide: gate(() => true),
      },
      {
        route: caseRoute,
        label: `${d.key} case override`,
        path: `/documents/${d.id}/case`,
        body: () => ({
          intent: "override",
          key: `PHONE:1380013${Math.floor(Math.random() * 1e4)}`,
          reason: "矩阵认定",
        }),
        decide: gate((a, f) => canOverrideFinding(a, f)),
      },
      {
        route: caseRoute,
        label: `${d.key} case meta`,
        path: `/documents/${d.id}/case`,
        body: () => ({
          intent: "meta",
          title: "矩阵典型案例",
          field: "市场监管",
          batch: "2026年上半年",
          parties: "王建军",
        }),
        decide: gate((a, f) => canEditCaseMeta(a, f)),
      },
      {
        route: caseRoute,
        label: `${d.key} case submit`,
        path: `/documents/${d.id}/case`,
        body: () => ({ intent: "submit" }),
        decide: gate((a, f) => canRequestCountersign(a, f)),
      },
      {
        route: caseRoute,
        label: `${d.key} case publish`,
        path: `/documents/${d.id}/case`,
        body: () => ({ intent: "publish", slug: `mx-${token()}` }),
        decide: gate((a, f) => canPublishCase(a, f)),
      },
      {
        route: caseRoute,
        label: `${d.key} case withdraw`,
        path: `/documents/${d.id}/case`,
        body: () => ({ intent: "withdraw", note: "矩阵撤回" }),
        decide: gate((a, f) => canWithdrawCase(a, f)),
      },
      {
        route: caseRoute,
        label: `${d.key} case reopen`,
        path: `/documents/${d.id}/case`,
        body: () => ({ intent: "reopen", reason: "矩阵更正" }),
        decide: gate((a, f) => canReopenForCorrection(a, f)),
      },
    );
  } else if (d.status === "DRAFT") {
    // Rule: the case workflow does not exist for other document types (404 for everyone signed in).
    cases.push({
      route: caseRoute,
      label: `${d.key} case check (not a case)`,
      path: `/documents/${d.id}/case`,
      body: () => ({ intent: "check" }),
      decide: async () => "noaccess",
    });
  }
  return cases;
}

function itemPostCases(item: World["items"][number]): PostCase[] {
  const route = "_app.items.$itemId.tsx";
  const facts = async () => (await getItemFacts(getDb(), item.id))!;
  const gate =
    (rule: (a: Actor, f: Awaited<ReturnType<typeof facts>>) => boolean | Promise<boolean>) =>
    async (a: Actor): Promise<Verdict> => {
      const f = await facts();
      if (!canReadItem(a, f)) return "noaccess";
      return (await rule(a, f)) ? "allowed" : "denied";
    };
  const later = addDaysIso(chinaDay(item.dueDate), 10);
  const mayConfirm = async (a: Actor, f: Awaited<ReturnType<typeof facts>>) => {
    if (f.kind !== "SUPERVISED_CASE" || f.status !== "DONE") return false;
    const pending = await pendingOrgs(f.sourceDocumentId, f.id);
    return releaseConfirmingOrgIds(a, f).some((o) => pending.has(o));
  };
  const cases: PostCase[] = [
    {
      route,
      label: `item ${item.key} progress`,
      path: `/items/${item.id}`,
      body: () => multipart({ intent: "progress", text: "矩阵进展", newStatus: "" }),
      decide: gate((a, f) => canReportProgress(a, f)),
    },
    {
      route,
      label: `item ${item.key} extension`,
      path: `/items/${item.id}`,
      body: () => ({ intent: "extension", newDate: later, reason: "矩阵延期" }),
      decide: gate((a, f) => canRequestExtension(a, f, new Date())),
    },
    {
      route,
      label: `item ${item.key} close`,
      path: `/items/${item.id}`,
      body: () => ({ intent: "close" }),
      decide: gate((a, f) => canClose(a, f)),
    },
    {
      route,
      label: `item ${item.key} sendBack`,
      path: `/items/${item.id}`,
      body: () => ({ intent: "sendBack", comment: "矩阵退回" }),
      decide: gate((a, f) => canClose(a, f)),
    },
    {
      route,
      label: `item ${item.key} reopen`,
      path: `/items/${item.id}`,
      body: () => ({ intent: "reopen", comment: "矩阵重开" }),
      decide: gate((a, f) => canReopen(a, f)),
    },
    {
      route,
      label: `item ${item.key} requestRelease`,
      path: `/items/${item.id}`,
      body: () => ({ intent: "requestRelease" }),
      decide: gate((a, f) => canRequestRelease(a, f)),
    },
    {
      route,
      label: `item ${item.key} confirmRelease`,
      path: `/items/${item.id}`,
      body: () => ({ intent: "confirmRelease" }),
      decide: gate(mayConfirm),
    },
    {
      route,
      label: `item ${item.key} returnRelease`,
      path: `/items/${item.id}`,
      body: () => ({ intent: "returnRelease", comment: "矩阵退回" }),
      decide: gate(mayConfirm),
    },
  ];
  if (item.pendingExtensionId) {
    const requestId = item.pendingExtensionId;
    const pending = async () =>
      (await getDb().extensionRequest.count({ where: { id: requestId, status: "PENDING" } })) > 0;
    cases.push({
      route,
      label: `item ${item.key} decideExtension`,
      path: `/items/${item.id}`,
      body: () => ({ intent: "decideExtension", requestId, decision: "approve" }),
      decide: gate(async (a, f) => canDecideExtension(a, f) && (await pending())),
    });
  }
  return cases;
}

function recommendationPostCases(r: World["recommendations"][number]): PostCase[] {
  const route = "_app.recommendations.$recommendationId.tsx";
  const facts = async () => (await getRecommendationFacts(getDb(), r.id))!;
  const gate =
    (rule: (a: Actor, f: Awaited<ReturnType<typeof facts>>) => boolean) =>
    async (a: Actor): Promise<Verdict> => {
      const f = await facts();
      if (!canReadRecommendation(a, f)) return "noaccess";
      return rule(a, f) ? "allowed" : "denied";
    };
  const path = `/recommendations/${r.id}`;
  return [
    {
      route,
      label: `${r.key} changeReplyDue`,
      path,
      body: () => ({ intent: "changeReplyDue", replyDue: addDaysIso(chinaDay(), 80), reason: "矩阵调整期限" }),
      decide: gate(canChangeReplyDue),
    },
    // A second click lands on the existing plan / reply: the recipient's drafters are sent there, nothing changes.
    {
      route,
      label: `${r.key} createPlan`,
      path,
      body: () => ({ intent: "createPlan" }),
      decide: gate((a, f) => canCreatePlan(a, f) || (f.planDocumentId !== null && isRecipientDrafter(a, f))),
    },
    {
      route,
      label: `${r.key} prepareReply`,
      path,
      body: () => ({ intent: "prepareReply" }),
      decide: gate((a, f) => canPrepareReply(a, f) || (f.replyDocumentId !== null && isRecipientDrafter(a, f))),
    },
    { route, label: `${r.key} sendReply`, path, body: () => ({ intent: "sendReply" }), decide: gate(canSendReply) },
    { route, label: `${r.key} close`, path, body: () => ({ intent: "close" }), decide: gate(canCloseRecommendation) },
    {
      route,
      label: `${r.key} attachOriginal`,
      path,
      body: () => multipart({ intent: "attachOriginal" }, { field: "original", name: "矩阵原件.pdf" }),
      decide: gate(canAttachOriginal),
    },
  ];
}

/**
 * A clue's intents (ADR 023): 签收, 退回, 开始办理, 反馈, 办结, 授权 / 撤销授权 — asked of every relation,
 * the granted 纪委监委 included (it reads, it never acts). The grant of the already granted unit is a
 * 409 for whoever may grant; a revocation then takes its access away for the cases after it.
 */
function cluePostCases(c: World["clues"][number]): PostCase[] {
  const route = "_app.clues.$clueId.tsx";
  const path = `/clues/${c.id}`;
  const decide =
    (action: ClueAction) =>
    async (a: Actor): Promise<Verdict> => {
      const f = (await getClueFacts(getDb(), c.id))!;
      if (!canReadClue(a, f)) return "noaccess";
      return authorizeClue(a, action, f).allowed ? "allowed" : "denied";
    };
  const cases: Array<[string, ClueAction, Record<string, string>]> = [
    ["receive", "receive", { intent: "receive" }],
    ["return", "return", { intent: "return", reason: "矩阵退回原因" }],
    ["startHandling", "startHandling", { intent: "startHandling" }],
    ["feedback", "feedback", { intent: "feedback", outcome: "PRELIMINARY", text: "矩阵反馈" }],
    ["close", "close", { intent: "close" }],
    ["grant", "grant", { intent: "grant", orgId: w.grantedOrg.id }],
    ["revoke", "grant", { intent: "revoke", orgId: w.grantedOrg.id }],
  ];
  return cases.map(([label, action, form]) => ({
    route,
    label: `${c.key} ${label}`,
    path,
    body: () => form,
    decide: decide(action),
    granted: true,
  }));
}

/**
 * The consultation page's intents. The invitation's (ADR 021) come first: reply (参加 / 不参加 /
 * 委派), 催办, 修改时间地点议程, then 取消 — once an allowed actor cancelled the planned consultation,
 * every later intent on it is judged on the cancelled facts (a refusal that changes nothing).
 */
function consultationPostCases(c: World["consultations"][number]): PostCase[] {
  const route = "_app.consultations.$consultationId._index.tsx";
  const facts = async () => (await getConsultationFacts(getDb(), c.id))!;
  const decide =
    (action: ConsultationAction) =>
    async (a: Actor): Promise<Verdict> => {
      const f = await facts();
      if (consultationAccess(a, f) === "none") return "noaccess";
      return authorizeConsultation(a, action, f).allowed ? "allowed" : "denied";
    };
  const replies = async (a: Actor): Promise<Verdict> => {
    const f = await facts();
    if (consultationAccess(a, f) === "none") return "noaccess";
    const row = await getDb().consultationParticipant.findUniqueOrThrow({ where: { id: c.participantId } });
    return authorizeReply(a, f, row).allowed ? "allowed" : "denied";
  };
  const delegate = w.actors.find((x) => x.key === "participant/VIEWER")!.userId!;
  const path = `/consultations/${c.id}`;
  return [
    {
      route,
      label: `${c.key} reply 参加`,
      path,
      body: () => ({ intent: "rsvp", participantId: c.participantId, answer: "ACCEPTED" }),
      decide: replies,
    },
    {
      route,
      label: `${c.key} reply 不参加`,
      path,
      body: () => ({ intent: "rsvp", participantId: c.participantId, answer: "DECLINED", reason: "矩阵另有公务" }),
      decide: replies,
    },
    {
      // The delegate is a colleague (participant/VIEWER); for that very actor it is a refusal of the input (400).
      route,
      label: `${c.key} reply 委派`,
      path,
      body: () => ({ intent: "rsvp", participantId: c.participantId, answer: "DELEGATED", delegateUserId: delegate }),
      decide: replies,
    },
    {
      // The second allowed chase within the hour is refused with 429 (the rate limit, not access).
      route,
      label: `${c.key} chaseReplies`,
      path,
      body: () => ({ intent: "chaseReplies" }),
      decide: decide("chaseReplies"),
    },
    {
      route,
      label: `${c.key} reschedule`,
      path,
      body: () => ({
        intent: "reschedule",
        date: addDaysIso(chinaDay(), 30),
        startTime: "09:00",
        endTime: "11:00",
        place: "矩阵新会议室",
        agenda: "通报情况\n矩阵新议程",
      }),
      decide: decide("reschedule"),
    },
    {
      route,
      label: `${c.key} cancel`,
      path,
      body: () => ({ intent: "cancel", cancelReason: "矩阵取消原因" }),
      decide: decide("cancel"),
    },
    {
      route,
      label: `${c.key} attendance`,
      path,
      body: () => ({ intent: "attendance", [`attendance.${c.participantId}`]: "PRESENT" }),
      decide: decide("recordAttendance"),
    },
    {
      route,
      label: `${c.key} createMinutes`,
      path,
      body: () => ({ intent: "createMinutes" }),
      decide: decide("createMinutes"),
    },
    {
      // Allowed for the convener: refused as input (400) on these coordination meetings, not a 个案咨询.
      route,
      label: `${c.key} compileOpinions`,
      path,
      body: () => ({ intent: "compileOpinions" }),
      decide: decide("compileOpinions"),
    },
  ];
}

/**
 * 府院联动 (ADR 025), asked of every relation and of the city court's own actors: opening a quarter
 * for the court, and each intent of its two reports (填报中, 已报送), the workbook upload included.
 * An allowed 报送 turns the draft into a submitted report for the cases after it. The 通报 is
 * generated once; asked again, every reader of the report is sent to the one that exists (the
 * service's rule, like a second 制定整改方案), which changes nothing.
 */
function litigationPostCases(workbook: Uint8Array): PostCase[] {
  const court = w.courtOrg.id;
  const own = w.orgs.own.id;
  const cases: PostCase[] = [
    {
      route: "_app.litigation._index.tsx",
      label: "litigation: open a quarter for the city's court",
      // An index route's form posts to "?index" (what the page's <Form> sends).
      path: "/litigation?index",
      body: () => ({ courtOrgId: court, year: String(w.litigation[0]!.year), quarter: "2" }),
      decide: async (a) =>
        authorizeFiling(a, court).allowed ? "allowed" : canOpenLitigation(a) ? "denied" : "noaccess",
      court: true,
    },
  ];
  for (const r of w.litigation) {
    const decide =
      (action: LitigationAction, askedAgain = false) =>
      async (a: Actor): Promise<Verdict> => {
        const f = (await getLitigationFacts(getDb(), r.id))!;
        if (!authorizeLitigation(a, "read", f).allowed) return "noaccess";
        if (askedAgain && f.bulletinDocumentId !== null) return "allowed";
        return authorizeLitigation(a, action, f).allowed ? "allowed" : "denied";
      };
    const path = `/litigation/${r.id}`;
    const route = "_app.litigation.$reportId.tsx";
    const intents: Array<[string, LitigationAction, () => Record<string, string> | FormData, boolean?]> = [
      [
        "saveFigures",
        "edit",
        () => ({
          intent: "saveFigures",
          [`f.${own}.filed`]: "9",
          [`f.${own}.concluded`]: "7",
          [`f.${own}.lost`]: "2",
          [`f.${own}.headAppeared`]: "5",
          [`f.${own}.mediatedWithdrawn`]: "1",
        }),
      ],
      [
        "addCase",
        "edit",
        () => ({
          intent: "addCase",
          agencyOrgId: own,
          caseNumber: `（${r.year}）矩01行初${token()}号`,
          cause: "行政许可",
          outcome: "驳回原告诉讼请求",
          problem: "矩阵新增执法问题",
        }),
      ],
      ["removeCase", "edit", () => ({ intent: "removeCase", index: "0" })],
      [
        "workbook upload",
        "edit",
        () => {
          const fd = new FormData();
          fd.append("workbook", new Blob([workbook as BlobPart]), "矩阵法院工作簿.xlsx");
          return fd;
        },
      ],
      ["submit", "submit", () => ({ intent: "submit" })],
      ["bulletin", "generateBulletin", () => ({ intent: "bulletin" }), true],
    ];
    for (const [label, action, body, askedAgain] of intents)
      cases.push({ route, label: `${r.key} ${label}`, path, body, decide: decide(action, askedAgain), court: true });
  }
  return cases;
}

/** The court's template, filled in for the owner org (a figure row and a notable case): what a court uploads. */
async function litigationWorkbook(): Promise<Uint8Array> {
  const own = w.orgs.own;
  const r = w.litigation[0]!;
  return new Uint8Array(
    await litigationTemplate({
      courtName: w.courtOrg.name,
      year: r.year,
      quarter: r.quarter,
      agencies: [{ id: own.id, name: own.name, shortName: null }],
      figures: [{ agencyOrgId: own.id, filed: 12, concluded: 10, lost: 3, headAppeared: 8, mediatedWithdrawn: 2 }],
      cases: [
        {
          agencyOrgId: own.id,
          caseNumber: `（${r.year}）矩01行初99号`,
          cause: "行政强制",
          outcome: "确认违法",
          problem: "矩阵工作簿中的执法问题",
        },
      ],
    }),
  );
}

/**
 * 专题报告 (ADR 026): generating one for the city justice bureau (抄送; its coordinator and
 * administrator may, for that unit only) and for the owner org (an 执法机关: nobody may). An allowed
 * generation adds a THEMATIC_REPORT draft and its ThematicReport row and lands on the draft.
 */
function thematicReportPostCases(): PostCase[] {
  const period = { from: addDaysIso(chinaDay(), -90), to: chinaDay() };
  return (
    [
      ["the city justice bureau", w.orgs.copy.id],
      ["the owner org (not a reporting unit)", w.orgs.own.id],
    ] as const
  ).map(([label, orgId]) => ({
    route: "_app.reports.new.tsx",
    label: `专题报告 for ${label}`,
    path: "/reports/new",
    body: () => ({ orgId, ...period }),
    decide: async (a: Actor): Promise<Verdict> =>
      authorizeThematicReport(a, orgId).allowed ? "allowed" : canGenerateThematicReport(a) ? "denied" : "noaccess",
    allowedStatuses: [302],
  }));
}

/** A small .docx for 从 Word 导入 (refused before it is read when the policy denies). */
const WORD_DOCX = new Uint8Array(
  await Packer.toBuffer(
    new Document({ sections: [{ children: [new Paragraph("一、矩阵导入"), new Paragraph("正文。")] }] }),
  ),
);

function creationPostCases(): PostCase[] {
  const own = w.orgs.own.id;
  const verdict = (ok: boolean): Verdict => (ok ? "allowed" : "denied");
  return [
    {
      route: "_app.documents.new.tsx",
      label: "new document for the owner org",
      path: "/documents/new",
      body: () => ({
        title: `矩阵新文书${token()}`,
        type: "SUPERVISION_LISTING",
        ownerOrgId: own,
        [`access.${w.orgs.participant.id}`]: "WRITE",
      }),
      decide: async (a) => verdict(canCreateDocument(a, own)),
    },
    {
      route: "_app.documents.new.tsx",
      label: "new document from Word (从 Word 导入) for the owner org",
      path: "/documents/new",
      body: () => {
        const fd = multipart({
          title: `矩阵Word文书${token()}`,
          type: "SUPERVISION_LISTING",
          ownerOrgId: own,
          [`access.${w.orgs.participant.id}`]: "WRITE",
        });
        fd.append("wordFile", new Blob([WORD_DOCX as BlobPart]), "矩阵.docx");
        return fd;
      },
      decide: async (a) => verdict(canCreateDocument(a, own)),
    },
    {
      route: "_app.typical-cases.new.tsx",
      label: "new typical case for the owner org",
      path: "/typical-cases/new",
      body: () => ({
        title: `矩阵新案例${token()}`,
        ownerOrgId: own,
        field: "市场监管",
        batch: "2026年上半年",
        parties: "",
      }),
      decide: async (a) => verdict(canCreateCase(a, own)),
    },
    {
      route: "_app.consultations.new.tsx",
      label: "convene for the owner org",
      path: "/consultations/new",
      body: () => ({
        kind: "COORDINATION",
        title: `矩阵新会商${token()}`,
        series: `矩阵系列${w.tag}`,
        conveningOrgId: own,
        date: addDaysIso(chinaDay(), 20),
        startTime: "14:30",
        endTime: "16:00",
        place: "会议室",
        agenda: "通报情况",
        [`role.${w.orgs.participant.id}`]: "ATTENDEE",
      }),
      decide: async (a) => verdict(canConvene(a, own)),
    },
    {
      route: "_app.recommendations.new.tsx",
      label: "register a recommendation to the owner org",
      path: "/recommendations/new",
      body: () => ({
        kind: "PROCURATORIAL",
        docNumber: `矩检建〔2026〕${token()}号`,
        title: "矩阵登记的检察建议",
        problems: "问题一",
        issuerOrgId: w.orgs.participant.id,
        recipientOrgId: own,
        issuedOn: addDaysIso(chinaDay(), -7),
        receivedOn: addDaysIso(chinaDay(), -5),
      }),
      decide: async (a) => verdict(canRegisterRecommendation(a, w.orgs.participant.id, own)),
    },
    {
      route: "_app.clues.new.tsx",
      label: "transfer a clue from the owner org to the participant",
      path: "/clues/new",
      body: () =>
        multipart(
          {
            fromOrgId: own,
            toOrgId: w.orgs.participant.id,
            docNumber: `矩移〔2026〕${token()}号`,
            source: "SUPERVISION",
            summary: "矩阵移送的线索",
            involvedPersons: "矩阵人员",
            needsFeedback: "on",
          },
          { field: "files", name: "矩阵材料.pdf" },
        ),
      decide: async (a) => verdict(authorizeTransfer(a, own).allowed),
      granted: true,
    },
  ];
}

/** 专家库 (ADR 024): adding to the city's pool, and each intent of every entry's page. */
function poolPostCases(): PostCase[] {
  const cases: PostCase[] = [
    {
      route: "_app.experts.new.tsx",
      label: "add a person to the city's pool",
      path: "/experts/new",
      body: () => ({
        regionId: w.city.id,
        kind: "EXPERT",
        name: `矩阵新专家${token()}`,
        fields: "法学",
        title: "教授",
        employer: "矩阵大学",
        contact: "13900000000",
      }),
      decide: async (a) =>
        canKeepPool(a, w.city.path) ? "allowed" : authorizePool(a, "add").allowed ? "denied" : "noaccess",
    },
  ];
  const decide =
    (id: string, action: PoolEntryAction) =>
    async (a: Actor): Promise<Verdict> => {
      const f = poolEntryFacts((await getExternalPerson(getDb(), id))!);
      if (!canKeepPool(a, f.regionPath)) return "noaccess";
      return authorizePoolEntry(a, action, f).allowed ? "allowed" : "denied";
    };
  for (const e of w.experts)
    for (const [label, action, body] of [
      [
        "save",
        "edit",
        () => ({
          intent: "save",
          kind: "EXPERT",
          name: `矩阵专家${e.key}${w.tag}`,
          fields: "法学",
          title: "研究员",
          employer: "矩阵大学",
          contact: `矩阵私密联系方式${w.tag}`,
        }),
      ],
      ["deactivate", "deactivate", () => ({ intent: "deactivate" })],
      ["reactivate", "reactivate", () => ({ intent: "reactivate" })],
      [
        "openAccount",
        "openAccount",
        () => ({ intent: "openAccount", username: `mx${token()}`, password: "Matrix2026pw" }),
      ],
      ["resetPassword", "resetPassword", () => ({ intent: "resetPassword", password: "Matrix2026pw" })],
    ] as const)
      cases.push({
        route: "_app.experts.$personId.tsx",
        label: `${e.key} ${label}`,
        path: `/experts/${e.id}`,
        body,
        decide: decide(e.id, action),
      });
  return cases;
}

function adminPostCases(): PostCase[] {
  const city = { orgId: "", regionPath: w.city.path };
  const victimOrg = { orgId: w.victimOrg.id, regionPath: w.city.path };
  const gate =
    (action: AdminAction, target: { orgId: string; regionPath: string }) =>
    async (a: Actor): Promise<Verdict> => {
      if (!canAccessAdmin(a)) return "noaccess";
      return canAdminister(a, action, target) ? "allowed" : "denied";
    };
  const user = `/admin/users/${w.victim.id}`;
  const userRoute = "_app.admin.users.$userId.tsx";
  const apiAdmin = async (a: Actor): Promise<Verdict> =>
    !canAccessAdmin(a)
      ? "noaccess"
      : authorizeApiToken(a, "create", { orgId: w.victimOrg.id }).allowed
        ? "allowed"
        : "denied";
  return [
    {
      route: "_app.admin.api-tokens.tsx",
      label: "admin create api token for a city org",
      path: "/admin/api-tokens",
      body: () => ({ intent: "create", orgId: w.victimOrg.id, name: `矩阵令牌${token()}`, scope: "READ", days: "1" }),
      decide: apiAdmin,
    },
    {
      route: "_app.admin.webhooks.tsx",
      label: "admin create webhook for a city org",
      path: "/admin/webhooks",
      body: () => ({ intent: "create", orgId: w.victimOrg.id, url: "https://10.9.9.9/hook", events: "item.overdue" }),
      decide: apiAdmin,
    },
    {
      route: "_app.admin.orgs._index.tsx",
      label: "admin create region in the city",
      path: "/admin/orgs",
      body: () => ({ intent: "createRegion", parentId: w.city.id, level: "COUNTY", name: `矩阵县${token()}` }),
      decide: gate("org.create", city),
    },
    {
      route: "_app.admin.orgs.new.tsx",
      label: "admin create org in the city",
      path: "/admin/orgs/new",
      body: () => ({ name: `矩阵新单位${token()}`, kind: "ENFORCEMENT_AGENCY", regionId: w.city.id }),
      decide: gate("org.create", city),
    },
    {
      route: "_app.admin.orgs.$orgId.tsx",
      label: "admin update a city org",
      path: `/admin/orgs/${w.victimOrg.id}`,
      body: () => ({ name: w.victimOrg.name, kind: "ENFORCEMENT_AGENCY", regionId: w.city.id, active: "on" }),
      decide: gate("org.update", victimOrg),
    },
    {
      route: "_app.admin.users.new.tsx",
      label: "admin create user in a city org",
      path: "/admin/users/new",
      body: () => ({
        username: `mxnew${token()}`,
        displayName: "矩阵新用户",
        password: `Mx${token()}pw2026`,
        orgId: w.victimOrg.id,
        role: "VIEWER",
      }),
      decide: gate("user.create", victimOrg),
    },
    {
      route: userRoute,
      label: "admin user profile",
      path: user,
      body: () => ({ intent: "profile", displayName: "受试用户", active: "on" }),
      decide: gate("user.update", victimOrg),
    },
    {
      route: userRoute,
      label: "admin user resetPassword",
      path: user,
      body: () => ({ intent: "resetPassword", password: `Mx${token()}pw2026` }),
      decide: gate("user.resetPassword", victimOrg),
    },
    {
      route: userRoute,
      label: "admin user addMembership",
      path: user,
      body: () => ({ intent: "addMembership", orgId: w.victimOrg.id, role: "DRAFTER" }),
      decide: gate("membership.manage", victimOrg),
    },
    {
      route: userRoute,
      label: "admin user removeMembership",
      path: user,
      body: () => ({ intent: "removeMembership", membershipId: "mxnosuchmembership" }),
      decide: gate("membership.manage", victimOrg),
      allowedStatuses: [400],
    },
    {
      route: userRoute,
      label: "admin user changeRole",
      path: user,
      body: () => ({ intent: "changeRole", membershipId: "mxnosuchmembership", role: "VIEWER" }),
      decide: gate("membership.manage", victimOrg),
      allowedStatuses: [400],
    },
    {
      route: "_app.admin.diagnostics.tsx",
      label: "admin test notification",
      path: "/admin/diagnostics",
      body: () => ({ intent: "testNotification" }),
      decide: async (a) => (canAccessAdmin(a) ? "allowed" : "noaccess"),
    },
  ];
}

function ownDataPostCases(): PostCase[] {
  return [
    {
      route: "_app._index.tsx",
      label: "workbench: close the first-use card",
      // An index route's form posts to "?index" (what the page's <Form> sends).
      path: "/?index",
      body: () => ({ intent: "dismissTour" }),
      decide: async () => "allowed",
    },
    // A wrong current password: the signed-in caller reaches the check (400), nothing changes.
    {
      route: "_app.account.tsx",
      label: "account password (wrong current password)",
      path: "/account",
      body: () => ({
        currentPassword: "not-the-password",
        newPassword: "Matrix2026pass",
        confirmPassword: "Matrix2026pass",
      }),
      decide: async () => "allowed",
      allowedStatuses: [400],
    },
    {
      route: "api.notifications.tsx",
      label: "notifications markAllRead",
      path: "/api/notifications",
      body: () => ({ intent: "markAllRead" }),
      decide: async () => "allowed",
    },
    // Only a user whose password an administrator set may post here; everyone else is sent on, unchanged.
    {
      route: "password.tsx",
      label: "first sign-in password",
      path: "/password",
      body: () => ({ currentPassword: "x", newPassword: "Matrix2026pass", confirmPassword: "Matrix2026pass" }),
      decide: async () => "allowed",
      allowedStatuses: [302],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Collab and socket.io
// ---------------------------------------------------------------------------------------------

/** Opens /collab/<id>: resolves "open" on the server's first frame (it speaks only once authorized) or the close code. */
function collabConnect(documentId: string, cookie: string | null) {
  const ws = new WebSocket(`${wsBase(app.origin)}/${documentId}`, {
    headers: { Origin: app.origin, ...(cookie ? { Cookie: cookie } : {}) },
  });
  const outcome = new Promise<{ open: true } | { open: false; code: number }>((resolve) => {
    ws.once("message", () => resolve({ open: true }));
    ws.once("close", (code) => resolve({ open: false, code }));
    ws.once("error", () => resolve({ open: false, code: -1 }));
  });
  return { ws, outcome };
}

function markerUpdate(marker: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText("matrix").insert(0, marker);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.SYNC);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

async function storedMatrixText(documentId: string): Promise<string> {
  const db = getDb();
  const [snap, log] = await Promise.all([
    db.documentSnapshot.findUnique({ where: { documentId }, select: { state: true, lastSeq: true } }),
    db.documentUpdate.findMany({ where: { documentId }, orderBy: { seq: "asc" }, select: { seq: true, data: true } }),
  ]);
  const doc = new Y.Doc();
  if (snap) Y.applyUpdate(doc, new Uint8Array(snap.state));
  for (const row of log) if (!snap || row.seq > snap.lastSeq) Y.applyUpdate(doc, new Uint8Array(row.data));
  const text = doc.getText("matrix").toString();
  doc.destroy();
  return text;
}

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

// ---------------------------------------------------------------------------------------------

/** A bearer header for a new API token of the org, stored as the token page stores one (ADR 027). */
async function apiTokenHeaders(
  orgId: string,
  userId: string,
  scopes: string,
  opts: { revoked?: boolean; expired?: boolean } = {},
) {
  const plain = generateApiToken();
  await getDb().apiToken.create({
    data: {
      id: `mxtok${token()}`,
      orgId,
      name: `矩阵令牌${token()}`,
      scopes,
      tokenHash: hashApiToken(plain),
      prefix: plain.slice(0, 8),
      expiresAt: new Date(Date.now() + (opts.expired ? -1 : 1) * 86_400_000),
      revokedAt: opts.revoked ? new Date() : null,
      createdById: userId,
    },
  });
  return { Authorization: `Bearer ${plain}` };
}

describe("authorization matrix", () => {
  it("pages, exports and downloads answer as the policies say, for every role × org relation × status", async () => {
    const failures: string[] = [];
    const reads: ReadCase[] = [];
    for (const d of w.docs) reads.push(...documentReadCases(d));
    for (const c of w.consultations) {
      const allowed = async (a: Actor) =>
        consultationAccess(a, (await getConsultationFacts(getDb(), c.id))!) !== "none";
      reads.push({
        route: "_app.consultations.$consultationId._index.tsx",
        label: `${c.key} page`,
        path: `/consultations/${c.id}`,
        allowed,
      });
      reads.push({
        route: "_app.consultations.$consultationId.invite[.]ics.tsx",
        label: `${c.key} invite.ics`,
        path: `/consultations/${c.id}/invite.ics`,
        allowed,
      });
      if (c.fileId)
        reads.push({
          route: "consultations.$consultationId.files.$fileId.tsx",
          label: `${c.key} 会议材料`,
          path: `/consultations/${c.id}/files/${c.fileId}`,
          allowed,
        });
    }
    for (const item of w.items) {
      const allowed = async (a: Actor) => canReadItem(a, (await getItemFacts(getDb(), item.id))!);
      reads.push({
        route: "_app.items.$itemId.tsx",
        label: `item ${item.key} page`,
        path: `/items/${item.id}`,
        allowed,
      });
      if (item.attachmentId)
        reads.push({
          route: "items.$itemId.attachments.$attachmentId.tsx",
          label: `item ${item.key} attachment`,
          path: `/items/${item.id}/attachments/${item.attachmentId}`,
          allowed,
        });
    }
    for (const r of w.recommendations) {
      const allowed = async (a: Actor) => canReadRecommendation(a, (await getRecommendationFacts(getDb(), r.id))!);
      reads.push({
        route: "_app.recommendations.$recommendationId.tsx",
        label: `${r.key} page`,
        path: `/recommendations/${r.id}`,
        allowed,
      });
      if (r.fileId)
        reads.push({
          route: "recommendations.$recommendationId.files.$fileId.tsx",
          label: `${r.key} original`,
          path: `/recommendations/${r.id}/files/${r.fileId}`,
          allowed,
        });
    }
    for (const c of w.clues) {
      const allowed = async (a: Actor) => canReadClue(a, (await getClueFacts(getDb(), c.id))!);
      reads.push({
        route: "_app.clues.$clueId.tsx",
        label: `${c.key} page`,
        path: `/clues/${c.id}`,
        allowed,
        granted: true,
      });
      if (c.fileId)
        reads.push({
          route: "clues.$clueId.files.$fileId.tsx",
          label: `${c.key} material`,
          path: `/clues/${c.id}/files/${c.fileId}`,
          allowed,
          granted: true,
        });
    }
    reads.push(
      { route: "_app.clues._index.tsx", label: "clue register", path: "/clues", allowed: isClueHandler, granted: true },
      {
        route: "_app.clues.new.tsx",
        label: "transfer form",
        path: "/clues/new",
        allowed: (a) => transferringOrgIds(a).length > 0,
        granted: true,
      },
      {
        route: "_app.clues.stats.tsx",
        label: "clue statistics",
        path: "/clues/stats",
        allowed: canViewClueStats,
        granted: true,
      },
    );
    // 府院联动 (ADR 025): the court's two reports (page and workbook), the list and the trend.
    for (const r of w.litigation) {
      const allowed = async (a: Actor) =>
        authorizeLitigation(a, "read", (await getLitigationFacts(getDb(), r.id))!).allowed;
      reads.push(
        {
          route: "_app.litigation.$reportId.tsx",
          label: `${r.key} page`,
          path: `/litigation/${r.id}`,
          allowed,
          court: true,
        },
        {
          route: "litigation.$reportId.workbook.tsx",
          label: `${r.key} workbook`,
          path: `/litigation/${r.id}/workbook`,
          allowed,
          court: true,
        },
      );
    }
    reads.push(
      {
        route: "_app.litigation._index.tsx",
        label: "府院联动 list",
        path: "/litigation",
        allowed: canOpenLitigation,
        court: true,
      },
      {
        route: "_app.litigation.trends.tsx",
        label: "府院联动 trend",
        path: "/litigation/trends",
        allowed: canViewLitigationTrends,
        court: true,
      },
      {
        route: "_app.litigation.trends.tsx",
        label: "府院联动 trend of the sibling city (the actor's own region instead)",
        path: `/litigation/trends?region=${encodeURIComponent(w.otherCity.path)}`,
        allowed: canViewLitigationTrends,
        court: true,
      },
    );
    // 专题报告 (ADR 026): the form, and the generated report's 数据比对 and document page (the document's readers).
    for (const r of w.thematicReports) {
      const allowed = docRead(r.documentId);
      reads.push(
        { route: "_app.reports.$reportId.tsx", label: `${r.key} 数据比对`, path: `/reports/${r.id}`, allowed },
        {
          route: "_app.documents.$documentId.tsx",
          label: `${r.key} document page`,
          path: `/documents/${r.documentId}`,
          allowed,
        },
      );
    }
    reads.push(
      {
        route: "_app.reports.new.tsx",
        label: "专题报告 form",
        path: "/reports/new",
        allowed: canGenerateThematicReport,
      },
      {
        route: "_app.reports.$reportId.tsx",
        label: "unknown 专题报告 (404 rule)",
        path: "/reports/mxnosuchreport",
        allowed: () => false,
      },
    );
    reads.push(
      { route: "_app.experts._index.tsx", label: "专家库 list", path: "/experts", allowed: canOpenPool },
      {
        route: "_app.experts.new.tsx",
        label: "专家库 add form",
        path: "/experts/new",
        allowed: (a) => authorizePool(a, "add").allowed,
      },
      ...w.experts.map((e) => ({
        route: "_app.experts.$personId.tsx",
        label: `${e.key} page`,
        path: `/experts/${e.id}`,
        allowed: (a: Actor) => canKeepPool(a, e.regionPath),
      })),
    );
    const everyone = () => true;
    const adminRedirect = (res: Response) => redirectOf(res) === "/admin/orgs";
    reads.push(
      { route: "_app._index.tsx", label: "home", path: "/", allowed: everyone },
      { route: "_app.guide._index.tsx", label: "guide", path: "/guide", allowed: everyone },
      { route: "_app.guide.$topic.tsx", label: "guide topic", path: "/guide/track", allowed: everyone },
      {
        route: "_app.guide.$topic.tsx",
        label: "unknown guide topic (404 rule)",
        path: "/guide/no-such-topic",
        allowed: () => false,
      },
      {
        route: "_app.$section.tsx",
        label: "unknown section (404 rule)",
        path: "/no-such-section",
        allowed: () => false,
      },
      { route: "_app.documents._index.tsx", label: "documents list", path: "/documents", allowed: everyone },
      {
        route: "_app.consultations._index.tsx",
        label: "consultations list",
        path: "/consultations",
        allowed: everyone,
      },
      {
        route: "_app.recommendations._index.tsx",
        label: "recommendations list",
        path: "/recommendations",
        allowed: everyone,
      },
      {
        route: "_app.typical-cases._index.tsx",
        label: "typical cases list",
        path: "/typical-cases",
        allowed: everyone,
      },
      { route: "_app.account.tsx", label: "account", path: "/account", allowed: everyone },
      { route: "api.notifications.tsx", label: "notifications api", path: "/api/notifications", allowed: everyone },
      {
        route: "_app.recommendations.overview.tsx",
        label: "recommendations overview",
        path: "/recommendations/overview",
        allowed: canViewRecommendationOverview,
      },
      {
        route: "_app.documents.new.tsx",
        label: "new document form",
        path: "/documents/new",
        allowed: (a) => a.memberships.some((m) => canCreateDocument(a, m.orgId)),
      },
      {
        route: "_app.typical-cases.new.tsx",
        label: "new case form",
        path: "/typical-cases/new",
        allowed: (a) => a.memberships.some((m) => canCreateCase(a, m.orgId)),
      },
      {
        route: "_app.consultations.new.tsx",
        label: "convene form",
        path: "/consultations/new",
        allowed: (a) => a.memberships.some((m) => canConvene(a, m.orgId)),
      },
      {
        route: "_app.recommendations.new.tsx",
        label: "register form",
        path: "/recommendations/new",
        allowed: (a) => a.memberships.some((m) => canRegisterRecommendation(a, m.orgId, m.orgId)),
      },
      {
        route: "_app.admin._index.tsx",
        label: "admin home",
        path: "/admin",
        allowed: canAccessAdmin,
        okStatus: adminRedirect,
      },
      { route: "_app.admin.orgs._index.tsx", label: "admin orgs", path: "/admin/orgs", allowed: canAccessAdmin },
      {
        route: "_app.admin.orgs.new.tsx",
        label: "admin new org",
        path: "/admin/orgs/new",
        allowed: (a) => canAdminister(a, "org.create"),
      },
      {
        route: "_app.admin.orgs.$orgId.tsx",
        label: "admin city org",
        path: `/admin/orgs/${w.victimOrg.id}`,
        allowed: (a) => canAdminister(a, "org.update", { orgId: w.victimOrg.id, regionPath: w.city.path }),
      },
      { route: "_app.admin.users._index.tsx", label: "admin users", path: "/admin/users", allowed: canAccessAdmin },
      {
        route: "_app.admin.users.new.tsx",
        label: "admin new user",
        path: "/admin/users/new",
        allowed: (a) => canAdminister(a, "user.create"),
      },
      {
        route: "_app.admin.users.$userId.tsx",
        label: "admin city user",
        path: `/admin/users/${w.victim.id}`,
        allowed: (a) => canAdminister(a, "user.update", { orgId: w.victimOrg.id, regionPath: w.city.path }),
      },
      {
        route: "_app.admin.audit.tsx",
        label: "admin audit",
        path: "/admin/audit",
        allowed: (a) => canAdminister(a, "audit.view"),
      },
      // Data-exchange API (ADR 027): the pages open for any admin; only the org's ADMINs see its rows.
      {
        route: "_app.admin.api-tokens.tsx",
        label: "admin api tokens",
        path: "/admin/api-tokens",
        allowed: canAccessAdmin,
      },
      { route: "_app.admin.webhooks.tsx", label: "admin webhooks", path: "/admin/webhooks", allowed: canAccessAdmin },
      {
        route: "_app.admin.diagnostics.tsx",
        label: "admin diagnostics",
        path: "/admin/diagnostics",
        allowed: canAccessAdmin,
      },
      // The first-sign-in password page: anyone whose password is their own is sent on to the app.
      {
        route: "password.tsx",
        label: "password page",
        path: "/password",
        allowed: everyone,
        okStatus: (res) => redirectOf(res) === "/",
      },
      // Public routes: everyone, anonymous included.
      { route: "cases._index.tsx", label: "public cases", path: "/cases", allowed: everyone, public: true },
      { route: "cases.feed[.]xml.tsx", label: "public feed", path: "/cases/feed.xml", allowed: everyone, public: true },
      {
        route: "cases.$slug.tsx",
        label: "public case page",
        path: `/cases/${w.publicationSlug}`,
        allowed: everyone,
        public: true,
      },
      {
        route: "login.tsx",
        label: "login page",
        path: "/login",
        allowed: everyone,
        public: true,
        okStatus: (res) => res.status === 200 || res.status === 302,
      },
      {
        route: "logout.tsx",
        label: "logout GET",
        path: "/logout",
        allowed: everyone,
        public: true,
        okStatus: (res) => res.status === 302,
      },
    );
    await checkReads(reads, failures);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("an API token sees what its org's coordinator may read; READ cannot write; revoked or expired is 401", async () => {
    const failures: string[] = [];
    for (const f of ["api.v1.items.tsx", "api.v1.recommendations.tsx", "api.v1.cases.tsx", "api.v1.$.tsx"])
      cover(f, "api token scope");
    cover("api.v1.items.$itemId.progress.tsx", "api token write scope");
    cover("api.v1.export.tsx", "api token bulk export scope");
    cover("api.v1.listings.tsx", "api token listings scope");
    const fixtureItems = new Set(w.items.map((i) => i.id));
    const facts = await Promise.all(w.items.map(async (i) => (await getItemFacts(getDb(), i.id))!));
    const recFacts = await Promise.all(
      w.recommendations.map(async (r) => (await getRecommendationFacts(getDb(), r.id))!),
    );
    const coordinators = w.actors.filter((a) => a.role === "COORDINATOR" && a.actor && !a.actor.external);
    const make = apiTokenHeaders;
    for (const c of coordinators) {
      const orgId = c.actor!.memberships[0].orgId;
      const read = await make(orgId, c.userId!, "READ", {});
      const res = await app.request(`/api/v1/items?q=${w.tag}&pageSize=200`, { headers: read });
      const shown = ((await res.json()) as { items?: Array<{ id: string }> }).items?.map((i) => i.id).sort() ?? [];
      const expected = facts
        .filter((f) => canReadItem(c.actor!, f))
        .map((f) => f.id)
        .sort();
      if (res.status !== 200 || JSON.stringify(shown) !== JSON.stringify(expected))
        failures.push(
          `api items as ${c.key}'s token: ${res.status}, ${shown.length} shown, policy allows ${expected.length}`,
        );
      const recs = await app.request("/api/v1/recommendations", { headers: read });
      const listed = ((await recs.json()) as { items?: Array<{ id: string }> }).items ?? [];
      const unreadable = listed.filter((r) => {
        const f = recFacts.find((x) => x.id === r.id);
        return f && !canReadRecommendation(c.actor!, f);
      });
      if (recs.status !== 200 || unreadable.length)
        failures.push(`api recommendations as ${c.key}'s token: ${recs.status}, ${unreadable.length} not readable`);
      // The 挂牌督办 listings are the readable fixture items of that kind.
      const listingsRes = await app.request(`/api/v1/listings?q=${w.tag}&pageSize=200`, { headers: read });
      const listingIds = (((await listingsRes.json()) as { items?: Array<{ id: string }> }).items ?? [])
        .map((i) => i.id)
        .sort();
      const expectedListings = facts
        .filter((f) => f.kind === "SUPERVISED_CASE" && canReadItem(c.actor!, f))
        .map((f) => f.id)
        .sort();
      if (listingsRes.status !== 200 || JSON.stringify(listingIds) !== JSON.stringify(expectedListings))
        failures.push(
          `api listings as ${c.key}'s token: ${listingsRes.status}, ${listingIds.length} listed, policy allows ${expectedListings.length}`,
        );
      // The bulk export's items.jsonl holds exactly the same fixture items.
      const zipRes = await app.request("/api/v1/export", { headers: read });
      const zip = zipRes.status === 200 ? await JSZip.loadAsync(await zipRes.arrayBuffer()) : null;
      const exported = ((await zip?.file("items.jsonl")?.async("string")) ?? "")
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { id: string }).id)
        .filter((id) => fixtureItems.has(id))
        .sort();
      if (JSON.stringify(exported) !== JSON.stringify(expected))
        failures.push(
          `api export as ${c.key}'s token: ${zipRes.status}, ${exported.length} items, policy allows ${expected.length}`,
        );
      const target = expected[0] ?? w.items[0].id;
      const write = await app.request(`/api/v1/items/${target}/progress`, {
        method: "POST",
        headers: { ...read, "Content-Type": "application/json" },
        body: JSON.stringify({ text: "矩阵只读令牌" }),
      });
      if (write.status !== 403) failures.push(`api progress with ${c.key}'s READ token: ${write.status}, expected 403`);
      for (const [label, opts] of [
        ["revoked", { revoked: true }],
        ["expired", { expired: true }],
      ] as const) {
        const dead = await make(orgId, c.userId!, "READ_WRITE", opts);
        const r = await app.request(`/api/v1/items?q=${w.tag}`, { headers: dead });
        if (r.status !== 401) failures.push(`api items with ${c.key}'s ${label} token: ${r.status}, expected 401`);
      }
      combinations += 5;
    }
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("an API token lists exactly the clues and litigation reports its org's coordinator may read, and writes no clue step it may not take", async () => {
    const failures: string[] = [];
    cover("api.v1.clues.tsx", "api token clue scope");
    cover("api.v1.clues.$clueId.$step.tsx", "api token clue steps");
    cover("api.v1.litigation.tsx", "api token litigation scope");
    cover("api.v1.litigation.$reportId.tsx", "api token litigation report");
    const clueFacts = await Promise.all(w.clues.map(async (c) => (await getClueFacts(getDb(), c.id))!));
    const litFacts = await Promise.all(w.litigation.map(async (r) => (await getLitigationFacts(getDb(), r.id))!));
    const before = JSON.stringify(
      await getDb().clue.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } }),
    );
    const coordinators = [...w.actors, ...w.grantedActors, ...w.courtActors].filter(
      (a) => a.role === "COORDINATOR" && a.actor && !a.actor.external,
    );
    const make = (orgId: string, userId: string, scopes: string) => apiTokenHeaders(orgId, userId, scopes);
    const fixtureClues = new Set(w.clues.map((c) => c.id));
    const fixtureReports = new Set(w.litigation.map((r) => r.id));
    for (const c of coordinators) {
      const orgId = c.actor!.memberships[0].orgId;
      const actor = c.actor!;
      const read = await make(orgId, c.userId!, "READ");
      const write = await make(orgId, c.userId!, "READ_WRITE");
      // Clues: the three views together list exactly the fixture clues the clue policy lets it read.
      const shown = new Set<string>();
      for (const view of ["in", "out", "granted"]) {
        const res = await app.request(`/api/v1/clues?view=${view}`, { headers: read });
        const items = ((await res.json()) as { items?: Array<{ id: string }> }).items ?? [];
        if (res.status !== 200) failures.push(`api clues ${view} as ${c.key}'s token: ${res.status}`);
        for (const i of items) if (fixtureClues.has(i.id)) shown.add(i.id);
      }
      const readable = clueFacts.filter((f) => canReadClue(actor, f)).map((f) => f.id);
      if (JSON.stringify([...shown].sort()) !== JSON.stringify(readable.sort()))
        failures.push(`api clues as ${c.key}'s token: ${shown.size} listed, policy reads ${readable.length}`);
      // Steps: a READ token never writes; a write token only where the clue policy allows.
      for (const f of clueFacts) {
        const steps = [
          ["receipt", "receive"],
          ["handling", "startHandling"],
        ] as const;
        for (const [step, action] of steps) {
          const r = await app.request(`/api/v1/clues/${f.id}/${step}`, { method: "POST", headers: read });
          if (r.status !== 403) failures.push(`api clue ${step} with ${c.key}'s READ token: ${r.status}, expected 403`);
          if (authorizeClue(actor, action, f).allowed) continue; // a step it may take would change the fixture
          const wr = await app.request(`/api/v1/clues/${f.id}/${step}`, { method: "POST", headers: write });
          if (wr.status === 200 || wr.status >= 500)
            failures.push(`api clue ${step} with ${c.key}'s write token on ${f.status}: ${wr.status}`);
          combinations += 2;
        }
      }
      // Litigation: the list and each report exactly as the litigation policy reads.
      const list = await app.request("/api/v1/litigation", { headers: read });
      const listed = (((await list.json()) as { items?: Array<{ id: string }> }).items ?? [])
        .map((r) => r.id)
        .filter((id) => fixtureReports.has(id))
        .sort();
      const mayRead = litFacts.filter((f) => authorizeLitigation(actor, "read", f).allowed).map((f) => f.id);
      if (list.status !== 200 || JSON.stringify(listed) !== JSON.stringify(mayRead.sort()))
        failures.push(
          `api litigation as ${c.key}'s token: ${list.status}, ${listed.length} listed, policy reads ${mayRead.length}`,
        );
      for (const f of litFacts) {
        const r = await app.request(`/api/v1/litigation/${f.id}`, { headers: read });
        const expected = mayRead.includes(f.id) ? 200 : 404;
        if (r.status !== expected)
          failures.push(`api litigation/${f.id} as ${c.key}'s token: ${r.status}, expected ${expected}`);
        await r.arrayBuffer();
        combinations += 1;
      }
      combinations += 2;
    }
    // Without a token nothing is written, whatever session cookie comes along: the API reads only the
    // bearer header (a signed-in browser cannot be made to call it, ADR 027).
    const someone = w.actors.find((a) => a.role === "ADMIN" && a.cookie)!;
    const posts: Array<[string, string, number]> = [
      ["api.v1.items.$itemId.progress.tsx", `/api/v1/items/${w.items[0].id}/progress`, 401],
      ["api.v1.clues.$clueId.$step.tsx", `/api/v1/clues/${w.clues[0].id}/receipt`, 401],
      ["api.v1.items.tsx", "/api/v1/items", 405],
      ["api.v1.recommendations.tsx", "/api/v1/recommendations", 405],
      ["api.v1.cases.tsx", "/api/v1/cases", 405],
      ["api.v1.clues.tsx", "/api/v1/clues", 405],
      ["api.v1.litigation.tsx", "/api/v1/litigation", 405],
      ["api.v1.litigation.$reportId.tsx", `/api/v1/litigation/${w.litigation[0].id}`, 405],
      ["api.v1.export.tsx", "/api/v1/export", 405],
      ["api.v1.listings.tsx", "/api/v1/listings", 405],
      ["api.v1.$.tsx", "/api/v1/nothing", 404],
    ];
    for (const [route, url, expected] of posts) {
      for (const cookie of [undefined, someone.cookie ?? undefined]) {
        const res = await app.request(url, {
          method: "POST",
          cookie,
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ text: "无令牌" }),
        });
        if (res.status !== expected)
          failures.push(
            `POST ${url} without a token${cookie ? " (with a session)" : ""}: ${res.status}, expected ${expected}`,
          );
        else refusedPosts.add(route);
        await res.arrayBuffer();
        combinations += 1;
      }
    }
    const after = JSON.stringify(
      await getDb().clue.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } }),
    );
    if (after !== before) failures.push("a refused API clue step changed a clue");
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("the ledger and its export list exactly the fixture items the item policy lets each actor read", async () => {
    const failures: string[] = [];
    cover("_app.ledger.tsx", "ledger scope");
    cover("ledger.export[.]xlsx.tsx", "ledger export scope");
    const facts = await Promise.all(w.items.map(async (i) => (await getItemFacts(getDb(), i.id))!));
    const tasks: Array<() => Promise<void>> = [];
    for (const a of actorsFor(0)
      .concat(actorsFor(1), actorsFor(2))
      .filter((x, i, all) => all.indexOf(x) === i)) {
      tasks.push(async () => {
        combinations += 2;
        const page = await app.request(`/ledger?q=${w.tag}`, { cookie: a.cookie ?? undefined });
        const xlsx = await app.request(`/ledger/export.xlsx?q=${w.tag}`, { cookie: a.cookie ?? undefined });
        if (!a.actor) {
          if (!isLoginRedirect(page)) failures.push(`GET /ledger as anonymous: ${page.status}`);
          if (!isLoginRedirect(xlsx)) failures.push(`GET /ledger/export.xlsx as anonymous: ${xlsx.status}`);
          return;
        }
        if (a.actor.external) {
          if (page.status !== 403 || xlsx.status !== 403)
            failures.push(`ledger as ${a.key} (outside participant): ${page.status} / ${xlsx.status}, expected 403`);
          await Promise.all([page.arrayBuffer(), xlsx.arrayBuffer()]);
          return;
        }
        const expected = facts
          .filter((f) => canReadItem(a.actor!, f))
          .map((f) => f.id)
          .sort();
        const html = await page.text();
        const shown = [...new Set([...html.matchAll(/\/items\/(mx[0-9a-f]{10})/g)].map((m) => m[1]))].sort();
        if (page.status !== 200 || JSON.stringify(shown) !== JSON.stringify(expected))
          failures.push(
            `ledger as ${a.key}: ${page.status}, shows ${shown.length} (${shown.join(",")}), policy allows ${expected.length}`,
          );
        const count = Number(xlsx.headers.get("x-item-count"));
        await xlsx.arrayBuffer();
        if (xlsx.status !== 200 || count !== expected.length)
          failures.push(`ledger export as ${a.key}: ${xlsx.status}, ${count} items, policy allows ${expected.length}`);
      });
    }
    await inBatches(tasks, 4);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("the filtered 文书 and 会商 lists show exactly the fixture records in the list's scope, never one the policy does not let the actor read", async () => {
    const failures: string[] = [];
    cover("_app.documents._index.tsx", "document list scope");
    cover("_app.consultations._index.tsx", "consultation list scope");
    const docFacts = await Promise.all(w.docs.map(async (d) => (await getDocumentFacts(getDb(), d.id))!));
    const consultationFacts = await Promise.all(
      w.consultations.map(async (c) => (await getConsultationFacts(getDb(), c.id))!),
    );
    const docIds = new Set(w.docs.map((d) => d.id));
    const consultationIds = new Set(w.consultations.map((c) => c.id));
    /** Every fixture record a list shows over all its pages. */
    const shownOver = async (path: string, cookie: string, pattern: RegExp, known: Set<string>) => {
      const shown = new Set<string>();
      for (let page = 1, pages = 1; page <= pages; page++) {
        combinations++;
        const res = await app.request(`${path}&page=${page}`, { cookie });
        const html = await res.text();
        if (res.status !== 200) failures.push(`GET ${path} page ${page}: ${res.status}`);
        pages = Number(/第 \d+ \/ (\d+) 页/.exec(html)?.[1] ?? 1);
        for (const m of html.matchAll(pattern)) if (known.has(m[1]!)) shown.add(m[1]!);
      }
      return [...shown].sort();
    };
    const queries = {
      documents: [
        "/documents?q=矩阵",
        "/documents?q=矩阵纪要&type=MINUTES",
        "/documents?q=矩阵&status=FINALIZED&sort=title",
      ],
      consultations: ["/consultations?q=矩阵会商", "/consultations?q=通报情况&status=FINALIZED&sort=date"],
    };
    const actors = actorsFor(0)
      .concat(actorsFor(1), actorsFor(2))
      .filter((x, i, all) => all.indexOf(x) === i)
      .filter((a): a is MatrixActor & { actor: Actor; cookie: string } => a.actor !== null && !a.actor.external);
    const tasks = actors.map((a) => async () => {
      const orgs = new Set(a.actor.memberships.map((m) => m.orgId));
      for (const path of queries.documents) {
        const url = new URL(path, "http://x");
        const type = url.searchParams.get("type");
        const status = url.searchParams.get("status");
        const expected = docFacts
          .filter(
            (f) =>
              (orgs.has(f.ownerOrgId) ||
                f.members.some((m) => (m.orgId && orgs.has(m.orgId)) || m.userId === a.actor.userId)) &&
              f.title.includes(url.searchParams.get("q")!) &&
              (!type || f.type === type) &&
              (!status || f.status === status),
          )
          .map((f) => f.id)
          .sort();
        const shown = await shownOver(path, a.cookie, /\/documents\/([A-Za-z0-9_-]{8,64})"/g, docIds);
        const unreadable = shown.filter(
          (id) =>
            documentAccess(
              a.actor,
              docFacts.find((f) => f.id === id)!,
            ) === "none",
        );
        if (unreadable.length) failures.push(`${path} as ${a.key} shows unreadable ${unreadable.join(",")}`);
        if (JSON.stringify(shown) !== JSON.stringify(expected))
          failures.push(`${path} as ${a.key}: shows ${shown.length}, the scope holds ${expected.length}`);
      }
      for (const path of queries.consultations) {
        const status = new URL(path, "http://x").searchParams.get("status");
        const expected = consultationFacts
          .filter(
            (f) =>
              (orgs.has(f.conveningOrgId) ||
                f.participants.some(
                  (p) =>
                    (p.userId === null && orgs.has(p.orgId)) ||
                    p.userId === a.actor.userId ||
                    p.delegateUserId === a.actor.userId,
                )) &&
              (!status || f.status === status),
          )
          .map((f) => f.id)
          .sort();
        const shown = await shownOver(path, a.cookie, /\/consultations\/([A-Za-z0-9_-]{8,64})"/g, consultationIds);
        const unreadable = shown.filter(
          (id) =>
            consultationAccess(
              a.actor,
              consultationFacts.find((f) => f.id === id)!,
            ) === "none",
        );
        if (unreadable.length) failures.push(`${path} as ${a.key} shows unreadable ${unreadable.join(",")}`);
        if (JSON.stringify(shown) !== JSON.stringify(expected))
          failures.push(`${path} as ${a.key}: shows ${shown.length}, the scope holds ${expected.length}`);
      }
    });
    await inBatches(tasks, 4);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("global search finds exactly the fixture documents and consultations each actor's policies read", async () => {
    const failures: string[] = [];
    cover("_app.search.tsx", "search scope");
    // The world's documents hold "矩阵标记 <tag>" in their text (some others the tag in their title), its
    // consultations the tag in their series: every record holding the tag is a subject.
    const tagged = await getDb().document.findMany({
      where: { OR: [{ title: { contains: w.tag } }, { snapshot: { text: { contains: w.tag } } }] },
      select: { id: true },
    });
    const taggedConsultations = await getDb().consultation.findMany({
      where: { OR: [{ series: { contains: w.tag } }, { title: { contains: w.tag } }] },
      select: { id: true },
    });
    const docFacts = await Promise.all(tagged.map(async (d) => (await getDocumentFacts(getDb(), d.id))!));
    const consultationFacts = await Promise.all(
      taggedConsultations.map(async (c) => ({ id: c.id, facts: (await getConsultationFacts(getDb(), c.id))! })),
    );
    expect(docFacts.length).toBeGreaterThanOrEqual(w.docs.length);
    expect(consultationFacts.length).toBeGreaterThanOrEqual(w.consultations.length);
    // The world wrote its rows directly: mark them as the models' writes do (the job's sweep would find them
    // too, but only after its interval).
    await markSearchDirty(
      getDb(),
      "document",
      tagged.map((d) => d.id),
    );
    await markSearchDirty(
      getDb(),
      "consultation",
      taggedConsultations.map((c) => c.id),
    );
    await waitForSearchIndex([...tagged.map((d) => d.id), ...taggedConsultations.map((c) => c.id)]);
    const shownIn = (html: string, kind: string) =>
      [...new Set([...html.matchAll(new RegExp(`href="/${kind}/([^"/?#]+)"`, "g"))].map((m) => m[1]))].sort();
    const tasks: Array<() => Promise<void>> = [];
    for (const a of actorsFor(0)
      .concat(actorsFor(1), actorsFor(2))
      .filter((x, i, all) => all.indexOf(x) === i)) {
      tasks.push(async () => {
        combinations += 2;
        const [docsPage, consultationsPage] = await Promise.all(
          ["document", "consultation"].map((kind) =>
            app.request(`/search?q=${w.tag}&kind=${kind}`, { cookie: a.cookie ?? undefined }),
          ),
        );
        if (!a.actor) {
          if (!isLoginRedirect(docsPage)) failures.push(`GET /search as anonymous: ${docsPage.status}`);
          await consultationsPage.arrayBuffer();
          return;
        }
        if (a.actor.external) {
          // Outside participants read only what they are invited to; search is not theirs (ADR 024, 028).
          if (docsPage.status !== 403) failures.push(`search as ${a.key} (outside participant): ${docsPage.status}`);
          await Promise.all([docsPage.arrayBuffer(), consultationsPage.arrayBuffer()]);
          return;
        }
        const actor = a.actor;
        const expectedDocs = docFacts
          .filter((f) => documentAccess(actor, f) !== "none")
          .map((f) => f.id)
          .sort();
        const expectedConsultations = consultationFacts
          .filter((c) => consultationAccess(actor, c.facts) !== "none")
          .map((c) => c.id)
          .sort();
        const docsHtml = await docsPage.text();
        const consultationsHtml = await consultationsPage.text();
        const shownDocs = shownIn(docsHtml, "documents");
        const shownConsultations = shownIn(consultationsHtml, "consultations");
        if (docsPage.status !== 200 || JSON.stringify(shownDocs) !== JSON.stringify(expectedDocs))
          failures.push(
            `search documents as ${a.key}: ${docsPage.status}, shows ${shownDocs.length} (${shownDocs.join(",")}), policy allows ${expectedDocs.length}`,
          );
        if (
          consultationsPage.status !== 200 ||
          JSON.stringify(shownConsultations) !== JSON.stringify(expectedConsultations)
        )
          failures.push(
            `search consultations as ${a.key}: ${consultationsPage.status}, shows ${shownConsultations.join(",")}, policy allows ${expectedConsultations.join(",")}`,
          );
        // Counts (the kind chips) are the readable ones, and no passage of an unreadable record is shown.
        for (const [html, kind, n] of [
          [docsHtml, "文书", expectedDocs.length],
          [consultationsHtml, "会商", expectedConsultations.length],
        ] as const)
          if (!html.includes(`${kind}<!-- -->（<!-- -->${n}<!-- -->）`))
            failures.push(`search as ${a.key}: the ${kind} count is not ${n}`);
        for (const d of tagged)
          if (!expectedDocs.includes(d.id) && (docsHtml.includes(d.id) || consultationsHtml.includes(d.id)))
            failures.push(`search as ${a.key} names unreadable document ${d.id}`);
      });
    }
    await inBatches(tasks, 4);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("global search finds exactly the fixture items, recommendations, clues, comments and cases each actor reads", async () => {
    const failures: string[] = [];
    cover("_app.search.tsx", "search scope of every kind");
    const db = getDb();
    // Comment threads on three documents of different kinds and statuses (removed at the end: other cases
    // count the documents' threads).
    const threadDocs = [w.docs[0], w.docs[Math.floor(w.docs.length / 2)], w.docs[w.docs.length - 1]];
    const author = signedIn()[0];
    const threads: Array<{ id: string; documentId: string }> = [];
    for (const d of threadDocs) {
      const { threadId } = await createThread(db, {
        documentId: d.id,
        quote: "矩阵原文",
        body: `矩阵批注 ${w.tag}`,
        authorId: author.userId,
        orgId: null,
        mentions: { userIds: [], orgIds: [] },
      });
      threads.push({ id: threadId, documentId: d.id });
    }
    try {
      const [items, recs, clueRows, cases] = await Promise.all([
        db.trackedItem.findMany({ where: { wording: { contains: w.tag } }, select: { id: true } }),
        db.recommendation.findMany({ where: { problems: { contains: w.tag } }, select: { id: true } }),
        db.clue.findMany({ where: { summary: { contains: w.tag } }, select: { id: true } }),
        db.publication.findMany({
          where: { text: { contains: w.tag }, current: true, state: "PUBLISHED" },
          select: { documentId: true, slug: true },
        }),
      ]);
      expect(items.length).toBeGreaterThanOrEqual(w.items.length);
      expect(recs.length).toBe(w.recommendations.length);
      expect(clueRows.length).toBe(w.clues.length);
      expect(cases.length).toBe(1);
      // The world wrote these rows directly: mark them as the models' writes do.
      await markSearchDirty(
        db,
        "item",
        items.map((i) => i.id),
      );
      await markSearchDirty(
        db,
        "recommendation",
        recs.map((r) => r.id),
      );
      await markSearchDirty(
        db,
        "clue",
        clueRows.map((c) => c.id),
      );
      await markSearchDirty(
        db,
        "case",
        cases.map((c) => c.documentId),
      );
      await waitForSearchIndex(
        [
          ...items.map((i) => i.id),
          ...recs.map((r) => r.id),
          ...clueRows.map((c) => c.id),
          ...threads.map((t) => t.id),
          ...cases.map((c) => c.documentId),
        ],
        ["item", "recommendation", "clue", "comment", "case"],
      );
      const itemFacts = await Promise.all(items.map(async (i) => (await getItemFacts(db, i.id))!));
      const recFacts = await Promise.all(recs.map(async (r) => (await getRecommendationFacts(db, r.id))!));
      const clueFacts = await Promise.all(clueRows.map(async (c) => (await getClueFacts(db, c.id))!));
      const threadFacts = await Promise.all(
        threads.map(async (t) => ({ id: t.id, doc: (await getDocumentFacts(db, t.documentId))! })),
      );
      const sorted = (ids: string[]) => [...ids].sort();
      const expectedOf = (actor: Actor) => ({
        item: sorted(itemFacts.filter((f) => canReadItem(actor, f)).map((f) => f.id)),
        recommendation: sorted(recFacts.filter((f) => canReadRecommendation(actor, f)).map((f) => f.id)),
        clue: sorted(clueFacts.filter((f) => canReadClue(actor, f)).map((f) => f.id)),
        comment: sorted(threadFacts.filter((t) => authorizeComment(actor, "read", t.doc).allowed).map((t) => t.id)),
        case: sorted(cases.map((c) => c.slug)),
      });
      const PATTERNS: Record<keyof ReturnType<typeof expectedOf>, RegExp> = {
        item: /href="\/items\/([^"/?#]+)"/g,
        recommendation: /href="\/recommendations\/([^"/?#]+)"/g,
        clue: /href="\/clues\/([^"/?#]+)"/g,
        comment: /href="\/documents\/[^"/?#]+\?thread=([^"&#]+)"/g,
        case: /href="\/cases\/([^"/?#]+)"/g,
      };
      const actors = [...actorsFor(1), ...actorsFor(2), ...grantedFor(0)].filter((x, i, all) => all.indexOf(x) === i);
      const tasks = actors.map((a) => async () => {
        for (const kind of Object.keys(PATTERNS) as Array<keyof typeof PATTERNS>) {
          combinations++;
          const res = await app.request(`/search?q=${w.tag}&kind=${kind}`, { cookie: a.cookie ?? undefined });
          if (!a.actor) {
            if (!isLoginRedirect(res)) failures.push(`GET /search?kind=${kind} as anonymous: ${res.status}`);
            await res.arrayBuffer();
            continue;
          }
          if (a.actor.external) {
            if (res.status !== 403) failures.push(`search ${kind} as ${a.key} (outside participant): ${res.status}`);
            await res.arrayBuffer();
            continue;
          }
          const html = await res.text();
          const expected = expectedOf(a.actor)[kind];
          const shown = [...new Set([...html.matchAll(PATTERNS[kind])].map((m) => m[1]))].sort();
          if (res.status !== 200 || JSON.stringify(shown) !== JSON.stringify(expected))
            failures.push(
              `search ${kind} as ${a.key}: ${res.status}, shows ${shown.length} (${shown.join(",")}), policy allows ${expected.length} (${expected.join(",")})`,
            );
          const label = { item: "督办事项", recommendation: "建议书", clue: "线索", comment: "批注", case: "典型案例" }[
            kind
          ];
          if (!html.includes(`${label}<!-- -->（<!-- -->${expected.length}<!-- -->）`))
            failures.push(`search as ${a.key}: the ${kind} count is not ${expected.length}`);
          // 涉及人员 is never indexed, so never shown, even to a clue's handlers (ADR 023, 028).
          if (html.includes(`矩阵涉及人员${w.tag}`))
            failures.push(`search ${kind} as ${a.key} shows a clue's 涉及人员`);
        }
      });
      await inBatches(tasks, 4);
    } finally {
      await db.commentThread.deleteMany({ where: { id: { in: threads.map((t) => t.id) } } });
    }
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("the clue register lists exactly the matrix clues the clue policy lets each actor read, and never 涉及人员", async () => {
    const failures: string[] = [];
    cover("_app.clues._index.tsx", "clue register scope");
    const facts = await Promise.all(w.clues.map(async (c) => (await getClueFacts(getDb(), c.id))!));
    const actors = [...w.actors, ...w.grantedActors].filter(
      (a): a is MatrixActor & { actor: Actor; cookie: string } => a.actor !== null && isClueHandler(a.actor),
    );
    const tasks = actors.map((a) => async () => {
      const expected = facts
        .filter((f) => canReadClue(a.actor, f))
        .map((f) => f.id)
        .sort();
      const shown = new Set<string>();
      for (const view of ["out", "in", "granted"]) {
        combinations++;
        const res = await app.request(`/clues?view=${view}`, { cookie: a.cookie });
        const html = await res.text();
        if (res.status !== 200) failures.push(`GET /clues?view=${view} as ${a.key}: ${res.status}`);
        if (html.includes(`矩阵涉及人员${w.tag}`)) failures.push(`/clues?view=${view} as ${a.key} shows 涉及人员`);
        for (const m of html.matchAll(/\/clues\/([A-Za-z0-9_-]{20,})"/g))
          if (w.clues.some((c) => c.id === m[1])) shown.add(m[1]);
      }
      if (JSON.stringify([...shown].sort()) !== JSON.stringify(expected))
        failures.push(`clue register as ${a.key}: shows ${[...shown].length}, policy allows ${expected.length}`);
    });
    await inBatches(tasks, 4);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("the 专家库 list shows exactly the pools the actor may browse, links the entries it keeps, never a contact", async () => {
    const failures: string[] = [];
    cover("_app.experts._index.tsx", "pool list scope");
    const tasks = signedIn()
      .filter((a) => canOpenPool(a.actor))
      .map((a) => async () => {
        combinations++;
        const res = await app.request(`/experts?q=${w.tag}`, { cookie: a.cookie });
        const html = await res.text();
        if (res.status !== 200) failures.push(`GET /experts as ${a.key}: ${res.status}`);
        if (html.includes(`矩阵私密联系方式${w.tag}`)) failures.push(`/experts as ${a.key} shows a contact`);
        for (const e of w.experts) {
          const listed = html.includes(`矩阵专家${e.key}${w.tag}`);
          const linked = html.includes(`href="/experts/${e.id}"`);
          if (listed !== canBrowsePool(a.actor, e.regionPath))
            failures.push(`/experts as ${a.key}: ${e.key} ${listed ? "listed" : "missing"}`);
          if (linked !== canKeepPool(a.actor, e.regionPath))
            failures.push(`/experts as ${a.key}: ${e.key} ${linked ? "linked" : "not linked"}`);
        }
      });
    await inBatches(tasks, 4);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("the 府院联动 list links exactly the matrix reports the policy lets each actor read; the trend shows the submitted figures to their watchers only", async () => {
    const failures: string[] = [];
    cover("_app.litigation._index.tsx", "litigation list scope");
    cover("_app.litigation.trends.tsx", "litigation trend scope");
    const facts = await Promise.all(w.litigation.map(async (r) => (await getLitigationFacts(getDb(), r.id))!));
    const submitted = facts.find((f) => f.status === "SUBMITTED")!;
    const tasks = [
      ...signedIn(),
      ...w.courtActors.filter((a): a is typeof a & { actor: Actor; cookie: string } => a.actor !== null),
    ]
      .filter((a) => canOpenLitigation(a.actor))
      .map((a) => async () => {
        combinations++;
        const res = await app.request("/litigation", { cookie: a.cookie });
        const html = await res.text();
        if (res.status !== 200) failures.push(`GET /litigation as ${a.key}: ${res.status}`);
        const expected = facts
          .filter((f) => authorizeLitigation(a.actor, "read", f).allowed)
          .map((f) => f.id)
          .sort();
        const shown = w.litigation
          .filter((r) => html.includes(`href="/litigation/${r.id}"`))
          .map((r) => r.id)
          .sort();
        if (JSON.stringify(shown) !== JSON.stringify(expected))
          failures.push(`/litigation as ${a.key}: links ${shown.length} reports, policy allows ${expected.length}`);
        if (!canViewLitigationTrends(a.actor)) return;
        combinations++;
        const trend = await app.request("/litigation/trends", { cookie: a.cookie });
        const trendHtml = await trend.text();
        if (trend.status !== 200) failures.push(`GET /litigation/trends as ${a.key}: ${trend.status}`);
        const listed = trendHtml.includes(w.orgs.own.name);
        if (listed !== authorizeLitigation(a.actor, "read", submitted).allowed)
          failures.push(`/litigation/trends as ${a.key}: the defendant ${listed ? "listed" : "missing"}`);
      });
    await inBatches(tasks, 4);
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("collab WebSocket connect and write, and socket.io document:watch and clue:watch, follow the policies", async () => {
    const failures: string[] = [];
    cover("_app.documents.$documentId.tsx", "collab + socket.io");
    cover("_app.clues.$clueId.tsx", "socket.io clue room");
    const clueFacts = new Map(
      await Promise.all(w.clues.map(async (c) => [c.id, (await getClueFacts(getDb(), c.id))!] as const)),
    );
    const facts = new Map(
      await Promise.all(w.docs.map(async (d) => [d.id, (await getDocumentFacts(getDb(), d.id))!] as const)),
    );
    const tasks: Array<() => Promise<void>> = [];
    const writers = new Map<string, string[]>();
    const refusedWriters = new Map<string, string[]>();
    for (const [index, d] of w.docs.entries()) {
      for (const a of actorsFor(index)) {
        tasks.push(async () => {
          combinations++;
          const access = a.actor ? documentAccess(a.actor, facts.get(d.id)!) : "none";
          const { ws, outcome } = collabConnect(d.id, a.cookie);
          const result = await outcome;
          if (!a.actor) {
            if (result.open || result.code !== CloseCode.UNAUTHENTICATED)
              failures.push(`collab ${d.key} as anonymous: ${result.open ? "open" : result.code}, expected 4401`);
          } else if (access === "none") {
            if (result.open || result.code !== CloseCode.FORBIDDEN)
              failures.push(`collab ${d.key} as ${a.key}: ${result.open ? "open" : result.code}, expected 4403`);
          } else if (!result.open) {
            failures.push(`collab ${d.key} as ${a.key}: closed ${result.code}, policy grants ${access}`);
          } else {
            combinations++;
            const marker = `[${a.key}]`;
            ws.send(markerUpdate(marker));
            (access === "write" ? writers : refusedWriters).set(d.id, [
              ...((access === "write" ? writers : refusedWriters).get(d.id) ?? []),
              marker,
            ]);
            await new Promise((r) => setTimeout(r, 30));
          }
          if (ws.readyState === WebSocket.OPEN) ws.close();
        });
      }
    }
    await inBatches(tasks, 12);
    // Writers' edits are stored; every other edit is refused, never applied nor stored.
    for (const d of w.docs) {
      const wanted = writers.get(d.id) ?? [];
      await waitUntil(async () => {
        const text = await storedMatrixText(d.id);
        return wanted.every((m) => text.includes(m));
      }, 5000);
      const text = await storedMatrixText(d.id);
      for (const m of wanted)
        if (!text.includes(m))
          failures.push(`collab write ${d.key} by ${m}: the policy grants write, the edit was not stored`);
      for (const m of refusedWriters.get(d.id) ?? [])
        if (text.includes(m)) failures.push(`collab write ${d.key} by ${m}: read-only by policy, the edit was stored`);
    }

    // socket.io: anonymous is refused at the handshake; members watch, others get {ok:false}.
    const anon = connectSocket(app.origin, {
      path: "/socket.io/",
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
    });
    const anonResult = await new Promise<string>((resolve) => {
      anon.once("connect", () => resolve("connected"));
      anon.once("connect_error", (e) => resolve(e.message));
    });
    anon.close();
    combinations++;
    if (anonResult === "connected") failures.push("socket.io as anonymous: connected");
    await inBatches(
      [...signedIn(), ...grantedSignedIn()].map((a) => async () => {
        const socket: Socket = connectSocket(app.origin, {
          path: "/socket.io/",
          transports: ["websocket"],
          extraHeaders: { Cookie: a.cookie },
          reconnection: false,
          forceNew: true,
        });
        try {
          await new Promise<void>((resolve, reject) => {
            socket.once("connect", () => resolve());
            socket.once("connect_error", reject);
          });
          for (const d of w.docs) {
            combinations++;
            const ack = (await socket.timeout(3000).emitWithAck("document:watch", { documentId: d.id })) as {
              ok: boolean;
            };
            const want = documentAccess(a.actor, facts.get(d.id)!) !== "none";
            if (ack.ok !== want)
              failures.push(
                `document:watch ${d.key} as ${a.key}: ${JSON.stringify(ack)}, policy says ${want ? "read" : "none"}`,
              );
            if (ack.ok) await socket.timeout(3000).emitWithAck("document:unwatch", { documentId: d.id });
          }
          // A clue's room (ADR 023): its two units' handlers and a granted 纪委监委; nobody else.
          for (const c of w.clues) {
            combinations++;
            const ack = (await socket.timeout(3000).emitWithAck("clue:watch", { clueId: c.id })) as { ok: boolean };
            const want = canReadClue(a.actor, clueFacts.get(c.id)!);
            if (ack.ok !== want)
              failures.push(
                `clue:watch ${c.key} as ${a.key}: ${JSON.stringify(ack)}, policy says ${want ? "read" : "none"}`,
              );
            if (ack.ok) await socket.timeout(3000).emitWithAck("clue:unwatch", { clueId: c.id });
          }
        } finally {
          socket.close();
        }
      }),
      6,
    );
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("every POST intent is refused without a change unless the policy allows it, and allowed ones are not refused", async () => {
    const failures: string[] = [];
    const cases: PostCase[] = [];
    for (const d of w.docs) cases.push(...documentPostCases(d));
    for (const item of w.items) cases.push(...itemPostCases(item));
    for (const r of w.recommendations) cases.push(...recommendationPostCases(r));
    for (const c of w.clues) cases.push(...cluePostCases(c));
    for (const c of w.consultations)
      if (c.key === "consultation/DRAFT" || c.key === "consultation/PLANNED") cases.push(...consultationPostCases(c));
    cases.push(...litigationPostCases(await litigationWorkbook()));
    cases.push(...thematicReportPostCases());
    cases.push(...creationPostCases(), ...poolPostCases(), ...adminPostCases(), ...ownDataPostCases());
    // Anonymous POST to logout only clears the (absent) cookie and redirects to /login.
    cases.push({
      route: "logout.tsx",
      label: "logout",
      path: "/logout",
      body: () => ({}),
      decide: async () => "allowed",
      allowedStatuses: [302],
    });
    const allowed: AllowedRun[] = [];
    await checkRefusals(cases, failures, allowed);
    // Signed-in logouts would end the actors' sessions: only the anonymous one ran.
    await runAllowed(
      allowed.filter((r) => r.c.route !== "logout.tsx"),
      failures,
    );
    expect(failures, failures.join("\n")).toEqual([]);
  }, 300_000);

  it("covers every route file in app/routes, and every action route refused a POST without access", () => {
    const files = readdirSync(ROUTES_DIR).filter((f) => /\.(tsx|ts)$/.test(f) && !/\.test\.tsx?$/.test(f));
    const uncovered = files.filter((f) => !coverage.has(f) && !(f in PUBLIC_ROUTES));
    expect(uncovered, `route files no matrix case exercises: ${uncovered.join(", ")}`).toEqual([]);
    const actionRoutes = files.filter((f) =>
      /export\s+(async\s+)?(function|const)\s+action\b/.test(readFileSync(path.join(ROUTES_DIR, f), "utf8")),
    );
    const unguarded = actionRoutes.filter((f) => !refusedPosts.has(f) && f !== "login.tsx");
    expect(unguarded, `action routes without a refused no-access POST: ${unguarded.join(", ")}`).toEqual([]);
    for (const f of Object.keys(OWN_DATA_ACTIONS)) expect(actionRoutes).toContain(f);
    const scopes = signedIn().filter((a) => adminScopes(a.actor).length > 0).length;
    console.log(
      `[authorization-matrix] ${combinations} combinations checked: ${w.actors.length} actors (${scopes} with admin scope), ${w.docs.length} documents, ${w.items.length} items, ${w.recommendations.length} recommendations, ${w.consultations.length} consultations, ${w.clues.length} clues, ${w.litigation.length} litigation reports (${w.courtActors.length} court actors), ${w.thematicReports.length} thematic report; ${coverage.size} route files covered, ${Object.keys(PUBLIC_ROUTES).length} public`,
    );
  });
});
