import { z } from "zod";
import type { LedgerRow } from "~/models/ledger.server";
import type { RecommendationListRow } from "~/models/recommendation.server";
import { iso, isoDate } from "./contract.server";

/**
 * The API's resources as JSON (ADR 027): the schemas of an item and a recommendation and the
 * mapping of the rows the pages read into them, shared by the list endpoints and the bulk export.
 */

/** The name of the bearer security scheme in the OpenAPI document. */
export const BEARER_SCHEME = "bearer";

export const ItemSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    number: z.number().int(),
    wording: z.string(),
    status: z.string(),
    dueDate: isoDate.nullable(),
    series: z.string().nullable(),
    leadOrg: z.string().nullable(),
    ownerOrg: z.string(),
    supportingOrgs: z.array(z.string()),
    sourceDocument: z.object({ id: z.string(), title: z.string() }),
    activatedAt: isoDate.nullable(),
    closedAt: isoDate.nullable(),
    lastProgressAt: isoDate.nullable(),
    lastProgressText: z.string().nullable(),
    updatedAt: isoDate,
  })
  .openapi("Item");

export const RecommendationSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    docNumber: z.string().nullable(),
    title: z.string(),
    status: z.string(),
    issuerOrg: z.string(),
    recipientOrg: z.string(),
    copiedTo: z.array(z.string()),
    receivedOn: isoDate.nullable(),
    replyDueDate: isoDate.nullable(),
    repliedAt: isoDate.nullable(),
    repliedLate: z.boolean().nullable(),
  })
  .openapi("Recommendation");

/** A ledger row as the API answers it (`Item`): /items and the bulk export's items.jsonl. */
export function itemJson(r: LedgerRow): z.infer<typeof ItemSchema> {
  return {
    id: r.id,
    kind: r.kind,
    number: r.number,
    wording: r.wording,
    status: r.status,
    dueDate: iso(r.dueDate),
    series: r.series,
    leadOrg: r.leadOrg?.name ?? null,
    ownerOrg: r.ownerOrg.name,
    supportingOrgs: r.orgs.map((o) => o.org.name),
    sourceDocument: { id: r.sourceDocument.id, title: r.sourceDocument.title },
    activatedAt: iso(r.activatedAt),
    closedAt: iso(r.closedAt),
    lastProgressAt: iso(r.lastProgressAt),
    lastProgressText: r.lastProgressText,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** A register row as the API answers it (`Recommendation`): /recommendations and recommendations.jsonl. */
export function recommendationJson(r: RecommendationListRow): z.infer<typeof RecommendationSchema> {
  return {
    id: r.id,
    kind: r.kind,
    docNumber: r.docNumber ?? null,
    title: r.title,
    status: r.status,
    issuerOrg: r.issuerOrg.name,
    recipientOrg: r.recipientOrg.name,
    copiedTo: r.copies.map((c) => c.org.name),
    receivedOn: iso(r.receivedOn ?? null),
    replyDueDate: iso(r.replyDueDate ?? null),
    repliedAt: iso(r.repliedAt ?? null),
    repliedLate: r.repliedLate ?? null,
  };
}
