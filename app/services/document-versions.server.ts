import { updateYFragment } from "@tiptap/y-tiptap";
import type { Node as PMNode } from "@tiptap/pm/model";
import { database, transaction } from "~/models/unit-of-work.server";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { recordAudit } from "~/models/audit.server";
import { getDocumentSeal } from "~/models/document.server";
import {
  findVersionNumberByHash,
  getVersion,
  getVersionById,
  getVersionState,
  listAuthorsBetween,
  listVersions,
  saveVersion,
  saveVersionTx,
} from "~/models/document-version.server";
import { enforce } from "~/policies/decision";
import { actingMembership, authorizeDocument } from "~/policies/document";
import { VERSION_KIND_LABELS, type DocumentFacts, type VersionKind } from "~/domain/document";
import { invalid, notFound } from "~/domain/errors";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { contentHash, contentOfState, readStoredContent } from "~/services/document-content.server";

type Ctx = Pick<CommandContext, "ip" | "collab">;
type Doc = DocumentFacts & { id: string; title: string };

/** Who changes the text, as versions record them: the user and the org they act for on the document. */
function authorOf(user: CurrentUser, doc: Doc) {
  const acting = actingMembership(user.actor, doc);
  const org = acting ? (user.memberships.find((m) => m.org.id === acting.orgId)?.org ?? null) : null;
  return { userId: user.id, name: user.displayName, org: org?.name ?? null, orgId: org?.id ?? null };
}

/** 保存为命名版本: the current text under a name (e.g. 会前稿), audited. */
export async function saveNamedVersion(
  user: CurrentUser,
  doc: Doc,
  name: string,
  ctx: Ctx,
): Promise<{ number: number }> {
  enforce(authorizeDocument(user.actor, "saveVersion", doc));
  await ctx.collab.storeDocument(doc.id);
  const saved = await transaction(async (tx) => {
    const content = await readStoredContent(tx, doc.id);
    const version = await saveVersionTx(tx, doc.id, {
      kind: "NAMED",
      name,
      createdById: user.id,
      authors: [],
      content,
    });
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: doc.ownerOrgId,
      action: "document.version_saved",
      targetType: "Document",
      targetId: doc.id,
      summary: `《${doc.title}》保存命名版本 第${version.number}版「${name}」`,
      ip: ctx.ip,
    });
    return version;
  });
  return { number: saved.number };
}

/** A version's text as a node of the current editor schema, or a refusal when the schema no longer reads it. */
function restorableNode(number: number, json: string): PMNode {
  try {
    return editorSchema().nodeFromJSON(JSON.parse(json));
  } catch {
    throw invalid(`第${number}版的内容无法恢复（格式不被当前编辑器识别）。`);
  }
}

/**
 * 恢复版本: brings an earlier version's text back into the live document (every open editor sees the
 * change at once, merged as the smallest edit) and records the result as a new version, audited.
 */
export async function restoreVersion(
  user: CurrentUser,
  doc: Doc,
  number: number,
  ctx: Ctx,
): Promise<{ number: number }> {
  enforce(authorizeDocument(user.actor, "saveVersion", doc));
  const db = database();
  const source = await getVersion(db, doc.id, number);
  if (!source) throw notFound(`第${number}版不存在。`);
  const node = restorableNode(number, source.json);
  const author = authorOf(user, doc);
  // Whatever was typed before the restore becomes a version of its own first, so nothing is lost.
  await ctx.collab.storeDocument(doc.id);
  await ctx.collab.applyChange(
    doc.id,
    {
      userId: user.id,
      sessionId: user.sessionId,
      displayName: user.displayName,
      orgId: author.orgId,
      orgName: author.org,
      readOnly: false,
      suggestOnly: false,
    },
    (ydoc) => {
      updateYFragment(ydoc, ydoc.getXmlFragment(YJS_FRAGMENT), node, { mapping: new Map(), isOMark: new Map() });
    },
  );
  const content = await readStoredContent(db, doc.id);
  const saved = await saveVersion(doc.id, {
    kind: "RESTORE",
    name: `恢复自第${number}版`,
    createdById: user.id,
    authors: [{ userId: author.userId, name: author.name, org: author.org }],
    content,
    restoredFromNumber: number,
  });
  await recordAudit(db, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: doc.ownerOrgId,
    action: "document.version_restored",
    targetType: "Document",
    targetId: doc.id,
    summary: `《${doc.title}》恢复第${number}版（${source.name ?? VERSION_KIND_LABELS[source.kind as VersionKind] ?? ""}）为第${saved.number}版`,
    ip: ctx.ip,
  });
  return { number: saved.number };
}

/** The version list of a readable document, newest first. */
export async function listDocumentVersions(doc: { id: string }) {
  return listVersions(database(), doc.id);
}

/** One version of a readable document; 404 when it has no such number. */
export async function getDocumentVersion(doc: { id: string }, number: number) {
  const version = await getVersion(database(), doc.id, number);
  if (!version) throw notFound(`第${number}版不存在。`);
  return version;
}

/**
 * 版本对比: two versions and who changed the text between them (the authors of every version after
 * the older one, up to the newer).
 */
export async function compareVersions(doc: { id: string }, fromNumber: number, toNumber: number) {
  const db = database();
  const [from, to] = await Promise.all([getVersion(db, doc.id, fromNumber), getVersion(db, doc.id, toNumber)]);
  if (!from || !to) throw notFound(`第${!from ? fromNumber : toNumber}版不存在。`);
  const [lo, hi] = from.number < to.number ? [from.number, to.number] : [to.number, from.number];
  const authors = (await listAuthorsBetween(db, doc.id, lo, hi)).flat();
  return { from, to, authors };
}

/**
 * 定稿校验: the SHA-256 of the finalized version recomputed from what is stored (its JSON, and the JSON
 * derived again from its Yjs state) next to the hash stamped at finalization; and, for a hash copied
 * from an export (`candidate`, already checked to be 64 hex digits), the version it matches.
 */
export async function verifyFinal(doc: { id: string }, candidate: string | null) {
  const db = database();
  const seal = await getDocumentSeal(db, doc.id);
  if (!seal) throw notFound("文书不存在或已被删除。");
  let final: null | {
    number: number;
    createdAt: Date;
    stamped: string;
    stored: string;
    recomputed: string;
    fromState: string;
  } = null;
  if (seal.finalVersionId && seal.finalHash) {
    const [version, state] = await Promise.all([
      getVersionById(db, seal.finalVersionId),
      getVersionState(db, seal.finalVersionId),
    ]);
    if (!version || !state) throw notFound("定稿版本不存在。");
    final = {
      number: version.number,
      createdAt: version.createdAt,
      stamped: seal.finalHash,
      stored: version.sha256,
      recomputed: contentHash(version.json),
      fromState: contentOfState(state).sha256,
    };
  }
  const matching = candidate ? await findVersionNumberByHash(db, doc.id, candidate) : null;
  return { final, finalHash: seal.finalHash, matching };
}
