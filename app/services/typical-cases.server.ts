import { isId } from "~/domain/ids";
import { database, isUniqueViolation, transaction, type Tx } from "~/models/unit-of-work.server";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import { getLatestRoundVersionJson } from "~/models/countersign.server";
import {
  getDocumentFacts,
  getDocumentSeal,
  reopenDocument,
  setDocumentStatus,
  transitionDocumentStatus,
  updateDocumentTitle,
} from "~/models/document.server";
import { getVersionById } from "~/models/document-version.server";
import { countActiveOrganizations } from "~/models/organization.server";
import {
  addRelease,
  firstPublishedAtByDocument,
  getCurrentPublication,
  getLatestPublication,
  listSlugsWithPrefix,
} from "~/models/publication.server";
import {
  createCaseMeta,
  createRedactionOverride,
  getCaseCheckFacts,
  getCaseMeta,
  getCaseRelease,
  listTypicalCases,
  saveCaseMeta,
} from "~/models/typical-case.server";
import { enforce } from "~/policies/decision";
import { canCreateDocument, canRequestCountersign, documentAccess } from "~/policies/document";
import { PUBLISHING_ROLES, hasRole } from "~/policies/rules";
import {
  authorizeCase,
  canEditCaseMeta,
  canOverrideFinding,
  canPublishCase,
  canReopenForCorrection,
  canSeeParties,
  canWithdrawCase,
} from "~/policies/typical-case";
import { chinaDay, endOfChinaDay, formatDate } from "~/domain/dates";
import { isSealedStatus, type DocumentFacts } from "~/domain/document";
import { conflict, forbidden, invalid, notFound } from "~/domain/errors";
import {
  batchDeadline,
  CASE_FIELDS,
  CASE_STATUS_LABELS,
  isBatchLabel,
  releasingOrgIds,
  SLUG_PATTERN,
  type CaseCheck,
  type CaseField,
  type CaseFinding,
  type CasePanelData,
  batchSlugPrefix,
  nextBatchSlug,
} from "~/domain/typical-case";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { requestCountersign } from "~/services/countersign.server";
import { createDocumentTx } from "~/services/create-document.server";
import { readStoredContent } from "~/services/document-content.server";
import { caseTemplate } from "~/services/document-templates";
import {
  detectPii,
  findingKey,
  findingLabel,
  legacyFindingKey,
  loadSegmenter,
  type Finding,
} from "~/services/redaction/detect";
import { caseAttributeText, caseKeywords, caseText, readCaseSections } from "~/services/typical-case-content";
import { newId } from "~/utils/ids";

/**
 * The typical-case workflow (典型案例) around the shared editor: drafting with private metadata,
 * 脱敏检查 with publishers' overrides, 提交审核 (a countersign of the releasing orgs' PUBLISHERs),
 * 发布 / 撤回 / 更正 of the public release. Commands throw domain errors (ADR 016).
 */

export type CaseContext = Pick<CommandContext, "ip" | "events" | "collab">;

type Facts = DocumentFacts & { id: string; title: string; type: string };

const MAX_PARTIES = 50;

export interface CaseMetaInput {
  title: string;
  field: CaseField;
  batch: string;
  /** 当事人: one name per entry (people and companies). */
  parties: string[];
}

/** Refuses metadata the forms cannot refuse alone (the batch's wording, the parties' lengths). */
function checkMeta(input: CaseMetaInput): void {
  const refuse = (field: string, message: string) => invalid(message, { [field]: [message] });
  if (!isBatchLabel(input.batch)) throw refuse("batch", "批次应写作「2026年上半年」或「2026年下半年」");
  if (!(CASE_FIELDS as readonly string[]).includes(input.field)) throw refuse("field", "请选择领域");
  if (input.parties.length > MAX_PARTIES) throw refuse("parties", `当事人最多 ${MAX_PARTIES} 个`);
  if (input.parties.some((p) => p.length < 2 || p.length > 60))
    throw refuse("parties", "每个当事人姓名或名称应为 2 至 60 个字符");
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

/** The case named by a URL, if the user may read it: 404 for anything but a typical case, 403 for non-members. */
export async function loadCaseFacts(user: CurrentUser, id: string | undefined): Promise<Facts> {
  if (!isId(id)) throw notFound("文书不存在。");
  const facts = await getDocumentFacts(database(), id);
  if (!facts || facts.type !== "TYPICAL_CASE") throw notFound("典型案例不存在。");
  if (documentAccess(user.actor, facts) === "none") throw forbidden("您不是此案例的发布单位成员，无权操作。");
  return facts;
}

/** 新建典型案例: a TYPICAL_CASE document from the section template, with its private metadata. */
export async function createTypicalCase(
  user: CurrentUser,
  input: CaseMetaInput & { ownerOrgId: string; writerOrgIds: string[] },
  ctx: Pick<CaseContext, "ip">,
): Promise<{ id: string }> {
  if (!canCreateDocument(user.actor, input.ownerOrgId))
    throw forbidden("您不能以该单位名义起草典型案例。", { ownerOrgId: ["您不能以该单位名义起草典型案例"] });
  checkMeta(input);
  const writers = [...new Set(input.writerOrgIds)].filter((id) => id !== input.ownerOrgId);
  const db = database();
  if ((await countActiveOrganizations(db, writers)) !== writers.length)
    throw invalid("所选共同发布单位不存在或已停用。", { writerOrgIds: ["所选共同发布单位不存在或已停用"] });
  const id = newId();
  await transaction(async (tx) => {
    await createDocumentTx(tx, {
      id,
      type: "TYPICAL_CASE",
      title: input.title,
      ownerOrgId: input.ownerOrgId,
      createdById: user.id,
      members: writers.map((orgId) => ({ orgId, access: "WRITE" as const })),
      content: caseTemplate(),
    });
    await createCaseMeta(tx, id, input);
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
  return { id };
}

/** 标题 / 领域 / 批次 / 当事人 change with the text: by its writers while it is a draft. */
export async function updateCaseMeta(
  user: CurrentUser,
  facts: Facts,
  input: CaseMetaInput,
  ctx: Pick<CaseContext, "ip">,
): Promise<void> {
  enforce(authorizeCase(user.actor, "editMeta", facts));
  checkMeta(input);
  await transaction(async (tx) => {
    await updateDocumentTitle(tx, facts.id, input.title);
    await saveCaseMeta(tx, facts.id, input);
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
}

export function parseParties(raw: string): string[] {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** The content the case is judged on: the live draft, the version under review, or the final version. */
async function caseContent(facts: Facts, ctx: Pick<CaseContext, "collab">): Promise<unknown> {
  const db = database();
  const seal = await getDocumentSeal(db, facts.id);
  if (!seal) throw notFound("典型案例不存在。");
  if (seal.finalVersionId && isSealedStatus(seal.status)) {
    const final = await getVersionById(db, seal.finalVersionId);
    if (!final) throw notFound("定稿版本不存在。");
    return JSON.parse(final.json);
  }
  if (seal.status === "COUNTERSIGNING") {
    const json = await getLatestRoundVersionJson(db, facts.id, "");
    if (json !== null) return JSON.parse(json);
  }
  await ctx.collab.storeDocument(facts.id);
  return JSON.parse((await readStoredContent(db, facts.id)).json);
}

/** Runs the redaction check (脱敏检查) over a given content and title with the case's parties and overrides. */
export async function checkContent(tx: Tx, documentId: string, title: string, content: unknown): Promise<CaseCheck> {
  await loadSegmenter();
  const meta = await getCaseCheckFacts(tx, documentId);
  const parties = parseParties(meta?.parties ?? "[]");
  const overrides = new Map((meta?.overrides ?? []).map((o) => [o.key, o]));
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
      override: o ? { reason: o.reason, by: meta?.overriders.get(o.byId) ?? "", at: o.createdAt.toISOString() } : null,
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
): Promise<{ check: CaseCheck }> {
  if (facts.type !== "TYPICAL_CASE") throw invalid("只有典型案例需要脱敏检查。");
  if (documentAccess(user.actor, facts) === "none") throw notFound("文书不存在或您无权查看。");
  const content = await caseContent(facts, ctx);
  return { check: await checkContent(database(), facts.id, facts.title, content) };
}

/** A PUBLISHER of a releasing org declares one finding not personal data, with a reason (audited). */
export async function overrideFinding(
  user: CurrentUser,
  facts: Facts,
  input: { key: string; reason: string },
  ctx: Pick<CaseContext, "ip">,
): Promise<void> {
  enforce(authorizeCase(user.actor, "overrideFinding", facts));
  if (!/^[A-Z_]+:.{1,200}$/su.test(input.key)) throw invalid("检查结果无效，请重新检查后再试。");
  try {
    await transaction(async (tx) => {
      await createRedactionOverride(tx, { documentId: facts.id, key: input.key, reason: input.reason, byId: user.id });
      await audit(
        tx,
        user,
        releasingOrgIds(facts).find((id) => hasRole(user.actor, id, PUBLISHING_ROLES)) ?? null,
        "case.finding_overridden",
        facts.id,
        `认定脱敏检查结果「${input.key.split(":")[0]}」无需处理：${input.reason}`,
        ctx.ip,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict("该项已被认定无需处理。");
    throw error;
  }
}

/** Refuses to submit or publish (`verb`) while sections are empty or findings wait. */
function enforceCheck(check: CaseCheck, verb: string): void {
  if (check.missingSections.length)
    throw invalid(`以下部分不能为空：${check.missingSections.join("、")}。请补充后再${verb}。`);
  if (check.blocking > 0) {
    const kinds = [...new Set(check.findings.filter((f) => !f.override).map((f) => f.label))].join("、");
    throw conflict(`脱敏检查发现 ${check.blocking} 处需处理的内容（${kinds}），请修正后再${verb}。`);
  }
}

/**
 * 提交审核: the check and the sections must pass; then every releasing org's PUBLISHER reviews a frozen
 * version (the countersign decides who may ask for it).
 */
export async function submitCase(
  user: CurrentUser,
  facts: Facts,
  ctx: CaseContext,
  options: { confirmOpenThreads?: boolean } = {},
): Promise<{ status: string }> {
  if (facts.type !== "TYPICAL_CASE") throw invalid("只有典型案例可以提交审核。");
  if (facts.status !== "DRAFT") throw conflict("只有起草中的案例可以提交审核。");
  const content = await caseContent(facts, ctx);
  enforceCheck(await checkContent(database(), facts.id, facts.title, content), "提交");
  return requestCountersign(user, facts, ctx, options);
}

/**
 * 发布: the approved (FINALIZED) version, checked again, becomes the public page under `slug`. A
 * case published before (a correction) keeps its slug and adds a version with the 更正说明.
 */
export async function publishCase(
  user: CurrentUser,
  facts: Facts,
  input: { slug: string; note: string | null },
  ctx: Pick<CaseContext, "ip" | "events">,
): Promise<{ slug: string }> {
  if (facts.type !== "TYPICAL_CASE") throw invalid("只有典型案例可以发布。");
  enforce(authorizeCase(user.actor, "publish", facts));
  const db = database();
  const release = await getCaseRelease(db, facts.id);
  const version = release?.finalVersionId ? await getVersionById(db, release.finalVersionId) : null;
  if (!release?.typicalCase || !version) throw conflict("案例尚未定稿。");
  const content: unknown = JSON.parse(version.json);
  enforceCheck(await checkContent(db, facts.id, facts.title, content), "发布");
  const previous = await getLatestPublication(db, facts.id);
  const slug = previous?.slug ?? input.slug;
  if (!previous && !SLUG_PATTERN.test(slug))
    throw invalid("网址名称只能由小写字母、数字和连字符组成，例如 2026h1-shipin-xuke。", {
      slug: ["网址名称只能由小写字母、数字和连字符组成"],
    });
  if (previous && !input.note) throw invalid("更正后重新发布，请填写更正说明。", { note: ["请填写更正说明"] });
  const orgs = [release.ownerOrg.name, ...release.members.flatMap((m) => (m.org ? [m.org.name] : []))];
  try {
    await transaction(async (tx) => {
      if (!(await transitionDocumentStatus(tx, facts.id, "FINALIZED", "PUBLISHED")))
        throw conflict("案例状态已变化，请刷新后重试。");
      await addRelease(tx, {
        documentId: facts.id,
        slug,
        version: (previous?.version ?? 0) + 1,
        title: facts.title,
        keywords: JSON.stringify(caseKeywords(readCaseSections(content).sections)),
        field: release.typicalCase!.field,
        batch: release.typicalCase!.batch,
        orgs: JSON.stringify(orgs),
        json: version.json,
        text: version.text,
        sha256: version.sha256,
        state: "PUBLISHED",
        note: previous ? input.note : null,
        publishedById: user.id,
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
    if (isUniqueViolation(error))
      throw invalid(`网址名称「${slug}」已被其他案例使用，请换一个。`, {
        slug: [`网址名称「${slug}」已被其他案例使用`],
      });
    throw error;
  }
  ctx.events.publish({ type: "document.access_changed", documentId: facts.id });
  return { slug };
}

/** 撤回: the public page shows a withdrawal notice instead of the text (a new publication version). */
export async function withdrawCase(
  user: CurrentUser,
  facts: Facts,
  note: string,
  ctx: Pick<CaseContext, "ip">,
): Promise<void> {
  enforce(authorizeCase(user.actor, "withdraw", facts));
  const db = database();
  const current = await getCurrentPublication(db, facts.id);
  if (!current || current.state === "WITHDRAWN") throw conflict("该案例已撤回。");
  await transaction(async (tx) => {
    await addRelease(tx, {
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
    });
    await setDocumentStatus(tx, facts.id, "FINALIZED");
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
}

/** 更正: reopens a published case for editing; the public page keeps the published text until the corrected version is published. */
export async function reopenForCorrection(
  user: CurrentUser,
  facts: Facts,
  reason: string,
  ctx: Pick<CaseContext, "ip" | "events">,
): Promise<void> {
  enforce(authorizeCase(user.actor, "reopen", facts));
  await transaction(async (tx) => {
    await reopenDocument(tx, facts.id);
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
}

/** What the case panel of the document page shows and allows. */
export async function presentCasePanel(user: CurrentUser, facts: Facts, title: string): Promise<CasePanelData> {
  const db = database();
  const [meta, publication] = await Promise.all([getCaseMeta(db, facts.id), getCurrentPublication(db, facts.id)]);
  const prefix = batchSlugPrefix(meta?.batch ?? "");
  const suggestedSlug = publication?.slug ?? nextBatchSlug(prefix, await listSlugsWithPrefix(db, prefix));
  return {
    documentId: facts.id,
    status: facts.status,
    title,
    field: meta?.field ?? "其他",
    batch: meta?.batch ?? "",
    parties: meta && canSeeParties(user.actor, facts) ? parseParties(meta.parties) : null,
    publication: publication
      ? { slug: publication.slug, version: publication.version, state: publication.state }
      : null,
    suggestedSlug,
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

/** Whether a batch was published by its deadline (the end of its half-year), is late, or is still due. */
function batchState(deadline: string | null, publishedAt: Date[], today: string) {
  const onTime = deadline ? publishedAt.some((at) => at.getTime() <= endOfChinaDay(deadline).getTime()) : false;
  if (onTime) return { tone: "green" as const, label: "已按时发布" };
  if (deadline && today > deadline)
    return { tone: "red" as const, label: publishedAt.length ? "逾期发布" : "逾期未发布" };
  return { tone: "amber" as const, label: publishedAt.length ? "已发布" : "待发布" };
}

/**
 * The 典型案例 page: the user's cases by batch, newest batch first, each batch with its deadline and
 * whether it was published in time (a justice bureau also sees the cases of its region and below).
 */
export async function listCaseBatches(user: CurrentUser) {
  const orgIds = user.actor.memberships.map((m) => m.orgId);
  const regionPaths = [
    ...new Set(user.actor.memberships.filter((m) => m.orgKind === "JUSTICE_BUREAU").map((m) => m.regionPath)),
  ];
  const db = database();
  const cases = await listTypicalCases(db, { orgIds, regionPaths });
  const publishedAt = await firstPublishedAtByDocument(
    db,
    cases.map((c) => c.id),
  );
  const today = chinaDay();
  const batches = new Map<string, typeof cases>();
  for (const c of cases) {
    const batch = c.typicalCase?.batch ?? "未分批";
    batches.set(batch, [...(batches.get(batch) ?? []), c]);
  }
  return [...batches.entries()]
    .sort((a, b) => b[0].localeCompare(a[0], "zh-CN"))
    .map(([batch, list]) => {
      const deadline = batchDeadline(batch);
      const published = list.flatMap((c) => publishedAt.get(c.id) ?? []);
      return {
        batch,
        deadline: deadline ? formatDate(endOfChinaDay(deadline)) : null,
        state: batchState(deadline, published, today),
        total: list.length,
        published: published.length,
        cases: list.map((c) => ({
          id: c.id,
          title: c.title,
          owner: c.ownerOrg.name,
          field: c.typicalCase?.field ?? "",
          status: CASE_STATUS_LABELS[c.status] ?? c.status,
          statusCode: c.status,
          publicSlug: c.publications[0]?.state === "PUBLISHED" ? c.publications[0].slug : null,
        })),
      };
    });
}
