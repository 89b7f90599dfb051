import { createHash } from "node:crypto";
import type { Prisma, Tx } from "~/db.server";
import { newId } from "~/utils/ids";

/**
 * Files kept in the database (one backup, both engines): a progress report's attachments, a
 * recommendation's originals (原件), a clue's materials (移送材料, 反馈材料) and a consultation's
 * materials (会议材料, a 个案咨询's case file), each with its SHA-256.
 */

/** A checked upload: its safe name, MIME type and bytes. */
export interface StoredFile {
  name: string;
  mime: string;
  data: Uint8Array;
}

/** The columns of a new attachment row. */
export function attachmentData(file: StoredFile) {
  return {
    id: newId(),
    fileName: file.name,
    mimeType: file.mime,
    size: file.data.byteLength,
    sha256: createHash("sha256").update(file.data).digest("hex"),
    data: new Uint8Array(file.data),
  };
}

const fileSelect = { fileName: true, mimeType: true, size: true, data: true, sha256: true } as const;

export type AttachmentFile = Prisma.AttachmentGetPayload<{ select: typeof fileSelect }>;

/** An attachment of one of the item's progress reports, or null. */
export async function getReportAttachment(
  tx: Tx,
  itemId: string,
  attachmentId: string,
): Promise<AttachmentFile | null> {
  return tx.attachment.findFirst({ where: { id: attachmentId, report: { itemId } }, select: fileSelect });
}

/** An original of the recommendation, or null. */
export async function getRecommendationFile(
  tx: Tx,
  recommendationId: string,
  fileId: string,
): Promise<AttachmentFile | null> {
  return tx.attachment.findFirst({ where: { id: fileId, recommendationId }, select: fileSelect });
}

export async function countRecommendationFiles(tx: Tx, recommendationId: string): Promise<number> {
  return tx.attachment.count({ where: { recommendationId } });
}

export async function addRecommendationFile(tx: Tx, recommendationId: string, file: StoredFile): Promise<void> {
  await tx.attachment.create({ data: { ...attachmentData(file), recommendationId }, select: { id: true } });
}

/** A material (移送材料 or 反馈材料) of the clue, with which of the two it is, or null. */
export async function getClueFile(
  tx: Tx,
  clueId: string,
  fileId: string,
): Promise<(AttachmentFile & { cluePart: string | null }) | null> {
  return tx.attachment.findFirst({ where: { id: fileId, clueId }, select: { ...fileSelect, cluePart: true } });
}

/** A material of the consultation, or null. */
export async function getConsultationFile(
  tx: Tx,
  consultationId: string,
  fileId: string,
): Promise<AttachmentFile | null> {
  return tx.attachment.findFirst({ where: { id: fileId, consultationId }, select: fileSelect });
}

/** The consultation's materials (inside the transaction that convenes it). */
export async function addConsultationFiles(
  tx: Tx,
  consultationId: string,
  files: readonly StoredFile[],
): Promise<void> {
  for (const file of files)
    await tx.attachment.create({ data: { ...attachmentData(file), consultationId }, select: { id: true } });
}
