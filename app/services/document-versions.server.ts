import { updateYFragment } from "@tiptap/y-tiptap";
import { getDb } from "~/db.server";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import type { CollabControls } from "~/load-context";
import { recordAudit } from "~/models/audit.server";
import {
  getVersion,
  readStoredContent,
  saveVersion,
  saveVersionTx,
  VERSION_KIND_LABELS,
  type VersionKind,
} from "~/models/document-version.server";
import { documentAccess } from "~/policies/document";
import { type DocumentFacts } from "~/domain/document";
import type { CurrentUser } from "~/services/auth/current-user.server";

export interface VersionContext {
  ip: string | null;
  collab: CollabControls;
}

export type VersionResult =
  { ok: true; number: number } | { ok: false; status: 400 | 403 | 404 | 409; message: string };

type Doc = DocumentFacts & { id: string; title: string };

function writeRefusal(user: CurrentUser, doc: Doc): VersionResult | null {
  if (documentAccess(user.actor, doc) === "write") return null;
  if (doc.status !== "DRAFT")
    return { ok: false, status: 409, message: "文书已冻结（会签中或已定稿），不能再保存或恢复版本。" };
  return { ok: false, status: 403, message: "您对此文书只有查看权限，不能保存或恢复版本。" };
}

function authorOf(user: CurrentUser, doc: Doc) {
  const org =
    user.memberships.find((m) => m.org.id === doc.ownerOrgId || doc.members.some((x) => x.orgId === m.org.id)) ??
    user.memberships[0];
  return { userId: user.id, name: user.displayName, org: org?.org.name ?? null, orgId: org?.org.id ?? null };
}

/** 保存为命名版本: the current text under a name (e.g. 会前稿), audited. */
export async function saveNamedVersion(
  user: CurrentUser,
  doc: Doc,
  name: string,
  ctx: VersionContext,
): Promise<VersionResult> {
  const refusal = writeRefusal(user, doc);
  if (refusal) return refusal;
  await ctx.collab.storeDocument(doc.id);
  const db = getDb();
  const saved = await db.$transaction(async (tx) => {
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
  return { ok: true, number: saved.number };
}

/**
 * 恢复版本: brings an earlier version's text back into the live document (every open editor sees the
 * change at once, merged as the smallest edit) and records the result as a new version, audited.
 */
export async function restoreVersion(
  user: CurrentUser,
  doc: Doc,
  number: number,
  ctx: VersionContext,
): Promise<VersionResult> {
  const refusal = writeRefusal(user, doc);
  if (refusal) return refusal;
  const db = getDb();
  const source = await getVersion(db, doc.id, number);
  if (!source) return { ok: false, status: 404, message: `第${number}版不存在。` };
  const schema = editorSchema();
  let node;
  try {
    node = schema.nodeFromJSON(JSON.parse(source.json));
  } catch {
    return { ok: false, status: 400, message: `第${number}版的内容无法恢复（格式不被当前编辑器识别）。` };
  }
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
  return { ok: true, number: saved.number };
}
