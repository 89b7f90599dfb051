import { personName } from "~/domain/external";
import { database, type Tx } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import { listThreads } from "~/models/comment.server";
import { getLatestRoundVersion } from "~/models/countersign.server";
import { getDocumentSeal, type DocumentSeal } from "~/models/document.server";
import { getVersionById } from "~/models/document-version.server";
import { getOrganizationNames } from "~/models/organization.server";
import { parseOrgIds } from "~/models/tracked-item.server";
import type { DocumentFacts } from "~/domain/document";
import { DOCUMENT_TYPE_LABELS, isSealedStatus, type DocumentType } from "~/domain/document";
import { notFound, unavailable } from "~/domain/errors";
import { itemKindOf } from "~/domain/tracked-item";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { readStoredContent, readStoredJsonWithSuggestions } from "~/services/document-content.server";
import { renderDocx } from "~/services/export/docx.server";
import { ExportError, type ExportCommentThread, type ExportModel, type Progress } from "~/services/export/model";
import { renderPdf } from "~/services/export/pdf.server";
import { loadPinyin } from "~/services/libraries.server";

/**
 * The clean Word and PDF exports, the Word export with the open comment threads (含批注), and the
 * one that adds a draft's open 修订 as Word tracked changes (含修订, ADR 019).
 */
export const EXPORT_FORMATS = ["docx", "docx-comments", "docx-revisions", "pdf"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return (EXPORT_FORMATS as readonly unknown[]).includes(value);
}

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  docx: DOCX_TYPE,
  "docx-comments": DOCX_TYPE,
  "docx-revisions": DOCX_TYPE,
  pdf: "application/pdf",
};

const FORMAT_LABELS: Record<ExportFormat, string> = {
  docx: "Word",
  "docx-comments": "Word（含批注）",
  "docx-revisions": "Word（含修订和批注）",
  pdf: "PDF",
};

/** The Word exports that carry the open comment threads. */
const withComments = (format: ExportFormat) => format === "docx-comments" || format === "docx-revisions";

export type ExportContext = Pick<CommandContext, "ip" | "events" | "collab"> & {
  /** Chosen by the page that asked, to receive progress over socket.io. */
  progressToken: string | null;
};

/** 纪要标志: the series without its year ("2026年度行政执法监督协调会商" → "行政执法监督协调会商纪要"). */
export function minutesHeader(series: string): string {
  const name = series.replace(/^\s*\d{4}\s*年度?\s*/, "").trim();
  return `${name || "会议"}${name.endsWith("纪要") ? "" : "纪要"}`;
}

/**
 * The 版头 of an export: a 书面回复 (REPLY), a 专家咨询意见 (EXPERT_OPINION, the asking unit's) and a
 * 专题报告 (THEMATIC_REPORT) carry
 * the issuing org's name as 发文机关标志 and no 期号; a document of a consultation its 纪要标志 and
 * 第N期; any other type its type name.
 */
export function versionHeader(doc: {
  type: string;
  ownerOrg: { name: string };
  consultation: { series: string; number: number } | null;
}): Pick<ExportModel, "redHeader" | "issueNumber"> {
  if (doc.type === "REPLY" || doc.type === "EXPERT_OPINION" || doc.type === "THEMATIC_REPORT")
    return { redHeader: doc.ownerOrg.name, issueNumber: null };
  // 府院联动通报 (ADR 025): the mechanism's own 版头; the quarter is in the title.
  if (doc.type === "LITIGATION_BULLETIN") return { redHeader: "府院联动工作通报", issueNumber: null };
  if (doc.consultation)
    return { redHeader: minutesHeader(doc.consultation.series), issueNumber: `第${doc.consultation.number}期` };
  return { redHeader: DOCUMENT_TYPE_LABELS[doc.type as DocumentType] ?? "文书", issueNumber: null };
}

type JsonNode = { type?: unknown; attrs?: Record<string, unknown>; content?: unknown };

function isJsonNode(v: unknown): v is JsonNode {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/**
 * Adds `leadOrgName`, `supportingOrgNames` and `supervisorOrgNames` to every `trackedItem` node of
 * the content, looked up from `leadOrgId` / `supportingOrgIds` / `supervisorOrgIds` in one query, so
 * the renderers print names (architecture.md "Document formats", agreed item line). Returns a new tree; the input is not
 * changed. Unknown ids get no name.
 */
export async function resolveItemOrgNames(tx: Tx, content: unknown): Promise<unknown> {
  const ids = new Set<string>();
  const collect = (node: unknown) => {
    if (!isJsonNode(node)) return;
    if (node.type === "trackedItem") {
      const a = node.attrs ?? {};
      if (typeof a.leadOrgId === "string" && a.leadOrgId) ids.add(a.leadOrgId);
      for (const id of parseOrgIds(a.supportingOrgIds)) ids.add(id);
      for (const id of parseOrgIds(a.supervisorOrgIds)) ids.add(id);
    }
    if (Array.isArray(node.content)) node.content.forEach(collect);
  };
  collect(content);
  if (ids.size === 0) return content;
  const names = await getOrganizationNames(tx, [...ids]);
  const rewrite = (node: unknown): unknown => {
    if (!isJsonNode(node)) return node;
    const next: JsonNode = { ...node };
    if (Array.isArray(node.content)) next.content = node.content.map(rewrite);
    if (node.type === "trackedItem") {
      const a = node.attrs ?? {};
      const lead = typeof a.leadOrgId === "string" ? a.leadOrgId : null;
      next.attrs = {
        ...a,
        leadOrgName: lead ? (names.get(lead) ?? null) : null,
        supportingOrgNames: parseOrgIds(a.supportingOrgIds)
          .filter((id) => id !== lead)
          .map((id) => names.get(id))
          .filter((n): n is string => Boolean(n)),
        supervisorOrgNames: parseOrgIds(a.supervisorOrgIds)
          .map((id) => names.get(id))
          .filter((n): n is string => Boolean(n)),
      };
    }
    return next;
  };
  return rewrite(content);
}

/** The text an export prints: the final version (sealed), the version under countersign, or the current draft. */
async function exportedText(
  facts: DocumentFacts & { id: string },
  seal: DocumentSeal,
  ctx: ExportContext,
  withSuggestions = false,
) {
  const db = database();
  if (isSealedStatus(facts.status) && seal.finalVersionId) {
    const v = await getVersionById(db, seal.finalVersionId);
    if (!v) throw notFound("定稿版本不存在。");
    return {
      content: JSON.parse(v.json) as unknown,
      hash: seal.finalHash ?? v.sha256,
      versionLabel: `第${v.number}版（定稿）`,
      date: v.createdAt,
    };
  }
  if (facts.status === "COUNTERSIGNING") {
    const round = await getLatestRoundVersion(db, facts.id, "");
    if (!round) throw new Error("countersigning document without a round");
    return {
      content: JSON.parse(round.version.json) as unknown,
      hash: null,
      versionLabel: `第${round.version.number}版（第${round.round}轮会签稿）`,
      date: new Date(),
    };
  }
  await ctx.collab.storeDocument(facts.id);
  return {
    // A frozen version has no open 修订 (they are decided before countersign): only a draft has some to show.
    content: withSuggestions
      ? await readStoredJsonWithSuggestions(db, facts.id)
      : (JSON.parse((await readStoredContent(db, facts.id)).json) as unknown),
    hash: null,
    versionLabel: "当前草稿",
    date: new Date(),
  };
}

/** The fields of a comment thread row the 含批注 export reads. */
interface CommentThreadSource {
  id: string;
  status: string;
  comments: Array<{
    body: string;
    createdAt: Date;
    deletedAt: Date | null;
    author: { displayName: string; externalPerson?: { kind: string; name: string; fields: string } | null };
    org: { name: string } | null;
  }>;
}

/**
 * The Word comments of the 含批注 export: every OPEN thread, its first comment then each reply in
 * order, attributed as 显示名（单位名） and dated when written; a reply's text starts with the replier.
 * Resolved threads and deleted comments are left out (a thread with nothing left, too).
 */
export async function exportCommentThreads(rows: readonly CommentThreadSource[]): Promise<ExportCommentThread[]> {
  const pinyin = await loadPinyin();
  const initialsOf = (name: string) =>
    pinyin(name, { pattern: "first", toneType: "none", type: "array" }).join("").toUpperCase().slice(0, 9);
  return rows
    .filter((row) => row.status === "OPEN")
    .map((row) => ({
      threadId: row.id,
      entries: row.comments.flatMap((c, i) =>
        c.deletedAt
          ? []
          : [
              {
                author: c.org ? `${c.author.displayName}（${c.org.name}）` : personName(c.author),
                initials: initialsOf(c.author.displayName),
                date: c.createdAt,
                text: i === 0 ? c.body : `${personName(c.author)}回复：${c.body}`,
              },
            ],
      ),
    }))
    .filter((thread) => thread.entries.length > 0);
}

/**
 * Renders the model; a failed renderer (Chromium, …) is unavailable for now, with its safe message.
 * Only the 含批注 Word export is given the comment threads: the clean exports never carry comments.
 */
async function render(
  model: ExportModel,
  format: ExportFormat,
  progress: Progress,
  documentId: string,
  threads: ExportCommentThread[],
) {
  try {
    if (format === "pdf") return await renderPdf(model, progress);
    return await renderDocx(model, progress, withComments(format) ? threads : undefined);
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    console.error(`[export] ${format} of ${documentId} failed:`, error.cause ?? error);
    throw unavailable(error.message);
  }
}

/**
 * Builds the export of a document: the FINALIZED version with its SHA-256 when there is one
 * (immutable), the version under countersign while countersigning, else the current draft — both
 * of the latter watermarked 草稿. Progress goes to the user's socket; every export is audited.
 */
export async function exportDocument(
  user: CurrentUser,
  facts: DocumentFacts & { id: string; title: string; type: string },
  format: ExportFormat,
  ctx: ExportContext,
) {
  const progress = (fraction: number, label: string) => {
    if (ctx.progressToken)
      ctx.events.publish({ type: "export.progress", userId: user.id, token: ctx.progressToken, fraction, label });
  };
  progress(0.05, isSealedStatus(facts.status) ? "读取定稿版本" : "读取当前内容");
  const db = database();
  const seal = await getDocumentSeal(db, facts.id);
  if (!seal) throw notFound("文书不存在或已被删除。");
  const { content, hash, versionLabel, date } = await exportedText(facts, seal, ctx, format === "docx-revisions");
  const model: ExportModel = {
    ...versionHeader(seal),
    issuer: seal.ownerOrg.name,
    date,
    title: seal.title,
    content: (await resolveItemOrgNames(db, content)) as ExportModel["content"],
    hash,
    versionLabel,
    draft: hash === null,
    itemKind: itemKindOf(seal.type) ?? "AGREED_ITEM",
  };
  const threads = withComments(format) ? await exportCommentThreads(await listThreads(db, facts.id)) : [];
  const body = await render(model, format, progress, facts.id, threads);
  await recordAudit(db, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: null,
    action: "document.exported",
    targetType: "Document",
    targetId: facts.id,
    summary: `导出《${seal.title}》${FORMAT_LABELS[format]}（${hash ? `定稿 SHA-256 ${hash.slice(0, 12)}…` : `${versionLabel}，草稿水印`}）`,
    ip: ctx.ip,
  });
  progress(1, "完成");
  return {
    body,
    filename:
      format === "docx-comments"
        ? `《${seal.title}》（含批注）.docx`
        : format === "docx-revisions"
          ? `《${seal.title}》（含修订）.docx`
          : `${seal.title}${hash ? "" : "（草稿）"}.${format}`,
    contentType: EXPORT_CONTENT_TYPES[format],
  };
}
