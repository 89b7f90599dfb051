import { prosemirrorJSONToYDoc } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { database, transaction, type Tx } from "~/models/unit-of-work.server";
import { documentText } from "~/editor/schema/chart";
import { editorSchema, YJS_FRAGMENT } from "~/editor/schema/extensions";
import { recordAudit } from "~/models/audit.server";
import { insertDocument, insertDocumentSnapshot, type NewDocumentMember } from "~/models/document.server";
import { countActiveOrganizations } from "~/models/organization.server";
import { syncTrackedItems } from "~/models/tracked-item.server";
import { documentTemplate } from "~/services/document-templates";
import type { CurrentUser } from "~/services/auth/current-user.server";
import type { CommandContext } from "~/services/context.server";
import { canCreateDocument } from "~/policies/document";
import { DOCUMENT_TYPE_LABELS, type DocumentType } from "~/domain/document";
import { invalid, isDomainError } from "~/domain/errors";
import type { WordImportReport } from "~/domain/word-import";
import { docxSizeProblem } from "~/services/import/docx-archive";
import { cleanTitle, readWordDocument } from "~/services/import/word-document.server";
import { safeFileName } from "~/services/uploads.server";
import { newId } from "~/utils/ids";

export interface CreateDocumentInput {
  title: string;
  type: DocumentType;
  ownerOrgId: string;
  writerOrgIds: string[];
  readerOrgIds: string[];
}

/** Creates a draft document with its member orgs; audited in the same transaction. */
export async function createDocument(
  user: CurrentUser,
  input: CreateDocumentInput,
  ctx: Pick<CommandContext, "ip">,
): Promise<{ id: string }> {
  const memberIds = await checkNewDocument(user, input);
  return writeNewDocument(user, input, memberIds, documentTemplate(input.type), "", ctx);
}

/**
 * 从 Word 导入 (ADR 020): a draft whose first content is a .docx read into the editor schema. The
 * title may be left empty: Word's own title, then the file's name, stand in. Refusals (who may, the
 * member units, a file that is not a readable .docx or holds nothing) come before anything is written.
 * Returns what the import left out, for the user.
 */
export async function createDocumentFromWord(
  user: CurrentUser,
  input: Omit<CreateDocumentInput, "title"> & { title: string | null },
  file: { name: string; data: Uint8Array },
  ctx: Pick<CommandContext, "ip">,
): Promise<{ id: string; report: WordImportReport }> {
  const sizeProblem = docxSizeProblem(file.data.byteLength);
  if (sizeProblem) throw invalid(sizeProblem, { wordFile: [sizeProblem] });
  const memberIds = await checkNewDocument(user, { ...input, title: input.title ?? "" });
  let word: Awaited<ReturnType<typeof readWordDocument>>;
  try {
    word = await readWordDocument(file.data, { minutes: input.type === "MINUTES" });
  } catch (error) {
    // The file's refusal belongs to the file field.
    if (isDomainError(error) && error.id === "VALIDATION" && !error.fieldErrors)
      throw invalid(error.message, { wordFile: [error.message] });
    throw error;
  }
  const title = input.title ?? word.title ?? cleanTitle(safeFileName(file.name).replace(/\.docx$/i, ""));
  if (!title) throw invalid("请填写标题", { title: ["请填写标题"] });
  // Word's title paragraph stays in the body when the document is given another title.
  const body =
    word.titleBlock && input.title && input.title !== word.title
      ? { ...word.content, content: [word.titleBlock, ...(word.content.content ?? [])] }
      : word.content;
  const created = await writeNewDocument(user, { ...input, title }, memberIds, body, "（从 Word 导入）", ctx);
  return { id: created.id, report: word.report };
}

/** Who may create it for that unit, and its member units: the units other than the owner, checked. */
async function checkNewDocument(user: CurrentUser, input: CreateDocumentInput): Promise<string[]> {
  if (!canCreateDocument(user.actor, input.ownerOrgId))
    throw invalid("您不能以该单位名义新建文书", { ownerOrgId: ["您不能以该单位名义新建文书"] });
  const overlap = input.writerOrgIds.filter((id) => input.readerOrgIds.includes(id));
  if (overlap.length) throw invalid("同一单位不能既共同起草又只读", { readerOrgIds: ["同一单位不能既共同起草又只读"] });
  const memberIds = [...new Set([...input.writerOrgIds, ...input.readerOrgIds])].filter(
    (id) => id !== input.ownerOrgId,
  );
  if ((await countActiveOrganizations(database(), memberIds)) !== memberIds.length)
    throw invalid("所选单位不存在或已停用", { writerOrgIds: ["所选单位不存在或已停用"] });
  return memberIds;
}

async function writeNewDocument(
  user: CurrentUser,
  input: CreateDocumentInput,
  memberIds: string[],
  content: JsonDoc | null,
  note: string,
  ctx: Pick<CommandContext, "ip">,
): Promise<{ id: string }> {
  const id = newId();
  await transaction(async (tx) => {
    await createDocumentTx(tx, {
      id,
      type: input.type,
      title: input.title,
      ownerOrgId: input.ownerOrgId,
      createdById: user.id,
      members: memberIds.map((orgId) => ({ orgId, access: input.writerOrgIds.includes(orgId) ? "WRITE" : "READ" })),
      content,
    });
    await recordAudit(tx, {
      actorId: user.id,
      actorName: user.displayName,
      orgId: input.ownerOrgId,
      action: "document.created",
      targetType: "Document",
      targetId: id,
      summary: `新建${DOCUMENT_TYPE_LABELS[input.type]}《${input.title}》${note}，共同起草单位 ${input.writerOrgIds.length} 个，只读单位 ${input.readerOrgIds.length} 个`,
      ip: ctx.ip,
    });
  });
  return { id };
}

type JsonDoc = { type: string; content?: unknown[] };

/**
 * Creates a document row with its member orgs and, when given, its first content (a template): the
 * Yjs state and the derived JSON/text are stored as the snapshot, and the template's tracked items
 * become DRAFT rows at once. Runs inside the caller's transaction.
 */
export async function createDocumentTx(
  tx: Tx,
  input: {
    id: string;
    type: string;
    title: string;
    ownerOrgId: string;
    createdById: string;
    members: ReadonlyArray<NewDocumentMember>;
    content: JsonDoc | null;
  },
): Promise<void> {
  await insertDocument(tx, input);
  if (!input.content) return;
  const schema = editorSchema();
  const state = Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(schema, input.content, YJS_FRAGMENT));
  const node = schema.nodeFromJSON(input.content);
  const json = node.toJSON();
  await insertDocumentSnapshot(tx, {
    documentId: input.id,
    state,
    json: JSON.stringify(json),
    text: documentText(node),
  });
  await syncTrackedItems(tx, input.id, json);
}
