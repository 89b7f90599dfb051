import { getDb, isUniqueViolation, type Tx } from "~/db.server";
import type { CollabControls } from "~/load-context";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { readStoredContent } from "~/models/document-version.server";
import type { CasePanelData } from "~/components/case-panel";
import { canCreateDocument, canRequestCountersign, documentAccess } from "~/policies/document";
import { type DocumentFacts } from "~/domain/document";
import {
  canEditCaseMeta,
  canOverrideFinding,
  canPublishCase,
  canReopenForCorrection,
  canSeeParties,
  canWithdrawCase,
} from "~/policies/typical-case";
import { CASE_FIELDS, isBatchLabel, releasingOrgIds, SLUG_PATTERN, type CaseField } from "~/domain/typical-case";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { requestCountersign } from "~/services/countersign.server";
import { isDomainError } from "~/domain/errors";
import { createDocumentTx } from "~/services/create-document.server";
import { caseTemplate } from "~/services/document-templates";
import type { EventBus } from "~/domain/events";
import { detectPii, findingKey, findingLabel, legacyFindingKey, type Finding } from "~/services/redaction/detect";
import {
  caseAttributeText,
  caseKeywords,
  caseText,
  readCaseSections,
  type CaseFinding,
} from "~/services/typical-case-content";
import { newId } from "~/utils/ids";

export interface CaseContext {
  ip: string | null;
  events: EventBus;
  collab: Pick<CollabControls, "storeDocument">;
}

export type CaseFailure = {
  ok: false;
  status: 400 | 403 | 404 | 409;
  message: string;
  fieldErrors?: Record<string, string[]>;
};
export type CaseResult<T = object> = ({ ok: true } & T) | CaseFailure;

type Facts = DocumentFacts & { id: string; title: string; type: string };

const MAX_PARTIES = 50;

export interface CaseMetaInput {
  title: string;
  field: CaseField;
  batch: string;
  /** 当事人: one name per entry (people and companies). */
  parties: string[];
}

function metaErrors(input: CaseMetaInput): Record<string, string[]> | null {
  if (!isBatchLabel(input.batch)) return { batch: ["批次应写作「2026年上半年」或「2026年下半年」"] };
  if (!(CASE_FIELDS as readonly string[]).includes(input.field)) return { field: ["请选择领域"] };
  if (input.parties.length > MAX_PARTIES) return { parties: [`当事人最多 ${MAX_PARTIES} 个`] };
  if (input.parties.some((p) => p.length < 2 || p.length > 60))
    return { parties: ["每个当事人姓名或名称应为 2 至 60 个字符"] };
  return null;
}

function audit(
  tx: Tx,
  user: CurrentUser,
  orgId: string | null,
  action: AuditAction,
  documentId: string,
  summary: string,
  ip: string | null,
) {
  return recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId,
    action,
    targetType: "Document",
    targetId: documentId,
    summary,
    ip,
  });
}

/** 新建典型案例: a TYPICAL_CASE document from the section template, with its private metadata. */
export async function createTypicalCase(
  user: CurrentUser,
  input: CaseMetaInput & { ownerOrgId: string; writerOrgIds: string[] },
  ctx: Pick<CaseContext, "ip">,
): Promise<CaseResult<{ id: string }>> {
  if (!canCreateDocument(user.actor, input.ownerOrgId))
    return {
      ok: false,
      status: 403,
      message: "您不能以该单位名义起草典型案例。",
      fieldErrors: { ownerOrgId: ["您不能以该单位名义起草典型案例"] },
    };
  const errors = metaErrors(input);
  if (errors) return { ok: false, status: 400, message: Object.values(errors)[0][0], fieldErrors: errors };
  const writers = [...new Set(input.writerOrgIds)].filter((id) => id !== input.ownerOrgId);
  const db = getDb();
  const found = await db.organization.count({ where: { id: { in: writers }, active: true } });
  if (found !== writers.length)
    return {
      ok: false,
      status: 400,
      message: "所选共同发布单位不存在或已停用。",
      fieldErrors: { writerOrgIds: ["所选共同发布单位不存在或已停用"] },
    };
  const id = newId();
  await db.$transaction(async (tx) => {
    await createDocumentTx(tx, {
      id,
      type: "TYPICAL_CASE",
      title: input.title,
      ownerOrgId: input.ownerOrgId,
      createdById: user.id,
      members: writers.map((orgId) => ({ orgId, access: "WRITE" as const })),
      content: caseTemplate(),
    });
    await tx.typicalCase.create({
      data: { documentId: id, field: input.field, batch: input.batch, parties: JSON.stringify(input.parties) },
    });
    await audit(
      tx,
      user,
      input.ownerOrgId,
      "case.created",
      id,
      `起草典型案例《${input.title}》（${input.batch}，${input.field}），共同发布单位 ${writers.length} 个`,
      ctx.ip,
    );
  });
  return { ok: true, id };
}

/** 标题 / 领域 / 批次 / 当事人 change with the text: by its writers while it is a draft. */
export async function updateCaseMeta(
  user: CurrentUser,
  facts: Facts,
  input: CaseMetaInput,
  ctx: Pick<CaseContext, "ip" | "events">,
): Promise<CaseResult> {
  if (!canEditCaseMeta(user.actor, facts))
    return {
      ok: false,
      status: facts.status === "DRAFT" ? 403 : 409,
      message: facts.status === "DRAFT" ? "您对此案例只有查看权限。" : "案例已提交审核或已发布，信息不可修改。",
    };
  const errors = metaErrors(input);
  if (errors) return { ok: false, status: 400, message: Object.values(errors)[0][0], fieldErrors: errors };
  const db = getDb();
  await db.$transaction(async (tx) => {
    await tx.document.update({ where: { id: facts.id }, data: { title: input.title } });
    await tx.typicalCase.update({
      where: { documentId: facts.id },
      data: { field: input.field, batch: input.batch, parties: JSON.stringify(input.parties) },
    });
    await audit(
      tx,
      user,
      null,
      "case.meta_changed",
      facts.id,
      `修改典型案例信息：《${input.title}》，${input.batch}，${input.field}，当事人 ${input.parties.length} 个`,
      ctx.ip,
    );
  });
  return { ok: true };
}

export function parseParties(raw: string): string[] {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export interface CaseCheck {
  findings: CaseFinding[];
  /** Findings not overridden: publishing and submitting wait for them. */
  blocking: number;
  missingSections: string[];
}

/** The content the case is judged on: the live draft, the version under review, or the final version. */
async function caseContent(facts: Facts, ctx: Pick<CaseContext, "collab">): Promise<unknown> {
  const db = getDb();
  const doc = await db.document.findUniqueOrThrow({
    where: { id: facts.id },
    select: { status: true, finalVersionId: true },
  });
  if (doc.finalVersionId && (doc.status === "FINALIZED" || doc.status === "PUBLISHED")) {
    return JSON.parse(
      (await db.documentVersion.findUniqueOrThrow({ where: { id: doc.finalVersionId }, select: { json: true } })).json,
    );
  }
  if (doc.status === "COUNTERSIGNING") {
    const round = await db.countersign.findFirst({
      where: { documentId: facts.id, subject: "" },
      orderBy: { round: "desc" },
      select: { version: { select: { json: true } } },
    });
    if (round) return JSON.parse(round.version.json);
  }
  await ctx.collab.storeDocument(facts.id);
  return JSON.parse((await readStoredContent(db, facts.id)).json);
}

/** Runs the redaction check (脱敏检查) over a given content and title with the case's parties and overrides. */
export async function checkContent(tx: Tx, documentId: string, title: string, content: unknown): Promise<CaseCheck> {
  const meta = await tx.typicalCase.findUnique({
    where: { documentId },
    select: { parties: true, overrides: { select: { key: true, reason: true, byId: true, createdAt: true } } },
  });
  const parties = parseParties(meta?.parties ?? "[]");
  const overrides = new Map((meta?.overrides ?? []).map((o) => [o.key, o]));
  const names = new Map(
    (
      await tx.user.findMany({
        where: { id: { in: [...new Set((meta?.overrides ?? []).map((o) => o.byId))] } },
        select: { id: true, displayName: true },
      })
    ).map((u) => [u.id, u.displayName]),
  );
  const byKey = new Map<string, CaseFinding>();
  const add = (f: Finding, where: CaseFinding["where"]) => {
    const key = findingKey(f);
    const seen = byKey.get(`${where}:${key}`);
    if (seen) {
      seen.count++;
      return;
    }
    const legacy = legacyFindingKey(f);
    const o = overrides.get(key) ?? (legacy ? overrides.get(legacy) : undefined);
    byKey.set(`${where}:${key}`, {
      key,
      kind: f.kind,
      label: findingLabel(f),
      text: f.text,
      replacement: f.replacement,
      where,
      count: 1,
      override: o ? { reason: o.reason, by: names.get(o.byId) ?? "", at: o.createdAt.toISOString() } : null,
    });
  };
  for (const f of detectPii(title, { parties })) add(f, "title");
  for (const f of detectPii(caseText(content), { parties })) add(f, "body");
  for (const f of detectPii(caseAttributeText(content), { parties })) add(f, "link");
  const findings = [...byKey.values()];
  return {
    findings,
    blocking: findings.filter((f) => !f.override).length,
    missingSections: readCaseSections(content).missing,
  };
}

/** 脱敏检查 on demand: readers of the case see the findings (the check reads 当事人 but does not show them). */
export async function runCaseCheck(
  user: CurrentUser,
  facts: Facts,
  ctx: Pick<CaseContext, "collab">,
): Promise<CaseResult<{ check: CaseCheck }>> {
  if (facts.type !== "TYPICAL_CASE") return { ok: false, status: 400, message: "只有典型案例需要脱敏检查。" };
  if (documentAccess(user.actor, facts) === "none")
    return { ok: false, status: 404, message: "文书不存在或您无权查看。" };
  const content = await caseContent(facts, ctx);
  return { ok: true, check: await checkContent(getDb(), facts.id, facts.title, content) };
}

/** A PUBLISHER of a releasing org declares one finding not personal data, with a reason (audited). */
export async function overrideFinding(
  user: CurrentUser,
  facts: Facts,
  input: { key: string; reason: string },
  ctx: Pick<CaseContext, "ip">,
): Promise<CaseResult> {
  if (!canOverrideFinding(user.actor, facts))
    return { ok: false, status: 403, message: "只有发布单位的发布审核人可以认定某项检查结果无需脱敏。" };
  if (!/^[A-Z_]+:.{1,200}$/su.test(input.key))
    return { ok: false, status: 400, message: "检查结果无效，请重新检查后再试。" };
  const db = getDb();
  try {
    await db.$transaction(async (tx) => {
      await tx.redactionOverride.create({
        data: { id: newId(), documentId: facts.id, key: input.key, reason: input.reason, byId: user.id },
      });
      await audit(
        tx,
        user,
        releasingOrgIds(facts).find((id) =>
          user.actor.memberships.some((m) => m.orgId === id && m.role === "PUBLISHER"),
        ) ?? null,
        "case.finding_overridden",
        facts.id,
        `认定脱敏检查结果「${input.key.split(":")[0]}」无需处理：${input.reason}`,
        ctx.ip,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, status: 409, message: "该项已被认定无需处理。" };
    throw error;
  }
  return { ok: true };
}

function checkRefusal(check: CaseCheck, verb: string): CaseFailure | null {
  if (check.missingSections.length)
    return {
      ok: false,
      status: 400,
      message: `以下部分不能为空：${check.missingSections.join("、")}。请补充后再${verb}。`,
    };
  if (check.blocking > 0) {
    const kinds = [...new Set(check.findings.filter((f) => !f.override).map((f) => f.label))].join("、");
    return {
      ok: false,
      status: 409,
      message: `脱敏检查发现 ${check.blocking} 处需处理的内容（${kinds}），请修正后再${verb}。`,
    };
  }
  return null;
}

/** 提交审核: the check and the sections must pass; then every releasing org's PUBLISHER reviews a frozen version (countersign). */
export async function submitCase(
  user: CurrentUser,
  facts: Facts,
  ctx: CaseContext,
): Promise<CaseResult<{ status: string }>> {
  if (facts.type !== "TYPICAL_CASE") return { ok: false, status: 400, message: "只有典型案例可以提交审核。" };
  if (facts.status !== "DRAFT") return { ok: false, status: 409, message: "只有起草中的案例可以提交审核。" };
  const content = await caseContent(facts, ctx);
  const refused = checkRefusal(await checkContent(getDb(), facts.id, facts.title, content), "提交");
  if (refused) return refused;
  try {
    return { ok: true, status: (await requestCountersign(user, facts, ctx)).status };
  } catch (error) {
    // Until this service speaks the command contract itself (ADR 016).
    if (isDomainError(error)) return { ok: false, status: error.status as 400 | 403 | 409, message: error.message };
    throw error;
  }
}

/**
 * 发布: the approved (FINALIZED) version, checked again, becomes the public page under `slug`. A
 * case published before (a correction) keeps its slug and adds a version with the 更正说明.
 */
export async function publishCase(
  user: CurrentUser,
  facts: Facts,
  input: { slug: string; note: string | null },
  ctx: Pick<CaseContext, "ip" | "events" | "collab">,
): Promise<CaseResult<{ slug: string }>> {
  if (facts.type !== "TYPICAL_CASE") return { ok: false, status: 400, message: "只有典型案例可以发布。" };
  if (!canPublishCase(user.actor, facts)) {
    if (facts.status === "PUBLISHED") return { ok: false, status: 409, message: "该案例已经发布。" };
    if (facts.status !== "FINALIZED")
      return { ok: false, status: 409, message: "案例须经全部发布单位审核同意后才能发布。" };
    return { ok: false, status: 403, message: "只有牵头发布单位的发布审核人可以发布。" };
  }
  const db = getDb();
  const doc = await db.document.findUniqueOrThrow({
    where: { id: facts.id },
    select: {
      finalVersionId: true,
      finalHash: true,
      ownerOrg: { select: { name: true } },
      members: { where: { access: "WRITE" }, select: { org: { select: { name: true } } } },
      typicalCase: { select: { field: true, batch: true } },
    },
  });
  if (!doc.finalVersionId || !doc.typicalCase) return { ok: false, status: 409, message: "案例尚未定稿。" };
  const version = await db.documentVersion.findUniqueOrThrow({
    where: { id: doc.finalVersionId },
    select: { json: true, text: true, sha256: true },
  });
  const content: unknown = JSON.parse(version.json);
  const refused = checkRefusal(await checkContent(db, facts.id, facts.title, content), "发布");
  if (refused) return refused;
  const previous = await db.publication.findFirst({
    where: { documentId: facts.id },
    orderBy: { version: "desc" },
    select: { slug: true, version: true },
  });
  const slug = previous?.slug ?? input.slug;
  if (!previous && !SLUG_PATTERN.test(slug))
    return {
      ok: false,
      status: 400,
      message: "网址名称只能由小写字母、数字和连字符组成，例如 2026h1-shipin-xuke。",
      fieldErrors: { slug: ["网址名称只能由小写字母、数字和连字符组成"] },
    };
  if (previous && !input.note)
    return {
      ok: false,
      status: 400,
      message: "更正后重新发布，请填写更正说明。",
      fieldErrors: { note: ["请填写更正说明"] },
    };
  const sections = readCaseSections(content).sections;
  try {
    await db.$transaction(async (tx) => {
      const moved = await tx.document.updateMany({
        where: { id: facts.id, status: "FINALIZED" },
        data: { status: "PUBLISHED" },
      });
      if (moved.count === 0) throw new Conflict();
      await tx.publication.updateMany({ where: { documentId: facts.id, current: true }, data: { current: false } });
      await tx.publication.create({
        data: {
          id: newId(),
          documentId: facts.id,
          slug,
          version: (previous?.version ?? 0) + 1,
          title: facts.title,
          keywords: JSON.stringify(caseKeywords(sections)),
          field: doc.typicalCase!.field,
          batch: doc.typicalCase!.batch,
          orgs: JSON.stringify([
            doc.ownerOrg.name,
            ...doc.members.map((m) => m.org?.name).filter((n): n is string => Boolean(n)),
          ]),
          json: version.json,
          text: version.text,
          sha256: version.sha256,
          note: previous ? input.note : null,
          publishedById: user.id,
        },
      });
      await audit(
        tx,
        user,
        facts.ownerOrgId,
        previous ? "case.corrected" : "case.published",
        facts.id,
        `${previous ? "更正并重新发布" : "发布"}典型案例《${facts.title}》（/cases/${slug}，SHA-256 ${version.sha256.slice(0, 12)}…）${previous ? `：${input.note}` : ""}`,
        ctx.ip,
      );
    });
  } catch (error) {
    if (error instanceof Conflict) return { ok: false, status: 409, message: "案例状态已变化，请刷新后重试。" };
    if (isUniqueViolation(error))
      return {
        ok: false,
        status: 400,
        message: `网址名称「${slug}」已被其他案例使用，请换一个。`,
        fieldErrors: { slug: [`网址名称「${slug}」已被其他案例使用`] },
      };
    throw error;
  }
  ctx.events.publish({ type: "document.access_changed", documentId: facts.id });
  return { ok: true, slug };
}

class Conflict extends Error {}

/** 撤回: the public page shows a withdrawal notice instead of the text (a new publication version). */
export async function withdrawCase(
  user: CurrentUser,
  facts: Facts,
  note: string,
  ctx: Pick<CaseContext, "ip">,
): Promise<CaseResult> {
  if (!canWithdrawCase(user.actor, facts))
    return {
      ok: false,
      status: facts.status === "PUBLISHED" ? 403 : 409,
      message: facts.status === "PUBLISHED" ? "只有牵头发布单位的发布审核人可以撤回。" : "只有已发布的案例可以撤回。",
    };
  const db = getDb();
  const current = await db.publication.findFirst({
    where: { documentId: facts.id, current: true },
    select: {
      id: true,
      slug: true,
      version: true,
      title: true,
      keywords: true,
      field: true,
      batch: true,
      orgs: true,
      sha256: true,
      state: true,
    },
  });
  if (!current || current.state === "WITHDRAWN") return { ok: false, status: 409, message: "该案例已撤回。" };
  await db.$transaction(async (tx) => {
    await tx.publication.update({ where: { id: current.id }, data: { current: false } });
    await tx.publication.create({
      data: {
        id: newId(),
        documentId: facts.id,
        slug: current.slug,
        version: current.version + 1,
        title: current.title,
        keywords: current.keywords,
        field: current.field,
        batch: current.batch,
        orgs: current.orgs,
        json: "{}",
        text: "",
        sha256: current.sha256,
        state: "WITHDRAWN",
        note,
        publishedById: user.id,
      },
    });
    await tx.document.update({ where: { id: facts.id }, data: { status: "FINALIZED" } });
    await audit(
      tx,
      user,
      facts.ownerOrgId,
      "case.withdrawn",
      facts.id,
      `撤回典型案例《${facts.title}》：${note}`,
      ctx.ip,
    );
  });
  return { ok: true };
}

/** 更正: reopens a published case for editing; the public page keeps the published text until the corrected version is published. */
export async function reopenForCorrection(
  user: CurrentUser,
  facts: Facts,
  reason: string,
  ctx: Pick<CaseContext, "ip" | "events">,
): Promise<CaseResult> {
  if (!canReopenForCorrection(user.actor, facts))
    return {
      ok: false,
      status: facts.status === "PUBLISHED" ? 403 : 409,
      message: facts.status === "PUBLISHED" ? "只有牵头发布单位的发布审核人可以更正。" : "只有已发布的案例可以更正。",
    };
  const db = getDb();
  await db.$transaction(async (tx) => {
    await tx.document.update({
      where: { id: facts.id },
      data: { status: "DRAFT", finalVersionId: null, finalHash: null },
    });
    await audit(
      tx,
      user,
      facts.ownerOrgId,
      "case.reopened",
      facts.id,
      `为更正重新打开典型案例《${facts.title}》：${reason}`,
      ctx.ip,
    );
  });
  ctx.events.publish({ type: "document.access_changed", documentId: facts.id });
  return { ok: true };
}

/** What the case panel of the document page shows and allows. */
export async function presentCasePanel(user: CurrentUser, facts: Facts, title: string): Promise<CasePanelData> {
  const db = getDb();
  const meta = await db.typicalCase.findUnique({
    where: { documentId: facts.id },
    select: { field: true, batch: true, parties: true },
  });
  const publication = await db.publication.findFirst({
    where: { documentId: facts.id, current: true },
    select: { slug: true, version: true, state: true },
  });
  const half = /^(\d{4})年(上|下)半年$/.exec(meta?.batch ?? "");
  return {
    documentId: facts.id,
    status: facts.status,
    title,
    field: meta?.field ?? "其他",
    batch: meta?.batch ?? "",
    parties: meta && canSeeParties(user.actor, facts) ? parseParties(meta.parties) : null,
    publication,
    suggestedSlug: `${half ? `${half[1]}h${half[2] === "上" ? 1 : 2}` : "case"}-${facts.id.slice(0, 8).toLowerCase()}`,
    abilities: {
      editMeta: canEditCaseMeta(user.actor, facts),
      submit: canRequestCountersign(user.actor, facts),
      override: canOverrideFinding(user.actor, facts),
      publish: canPublishCase(user.actor, facts),
      withdraw: canWithdrawCase(user.actor, facts),
      reopen: canReopenForCorrection(user.actor, facts),
    },
  };
}
