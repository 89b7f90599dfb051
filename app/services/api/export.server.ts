import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { extendZodWithOpenApi, type OpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { chinaDay } from "~/domain/dates";
import { invalid } from "~/domain/errors";
import { itemLabels, supervisingOrgIds } from "~/domain/tracked-item";
import { recordAudit } from "~/models/audit.server";
import {
  EXPORT_BATCH,
  countWholeRegister,
  iterateItemRowsById,
  iterateListingRowsById,
  iterateWholeRegisterById,
  type ListingRow,
} from "~/models/data-export.server";
import { DEFAULT_LEDGER_QUERY, countLedgerRows, ledgerWhere, type LedgerQuery } from "~/models/ledger.server";
import { getRegion } from "~/models/region.server";
import { database } from "~/models/unit-of-work.server";
import { loadJSZip } from "~/services/libraries.server";
import { registerOrgIds } from "~/services/recommendation-pages.server";
import type { ApiClient } from "./client.server";
import { errorResponses, zodMessage } from "./contract.server";
import { BEARER_SCHEME, ItemSchema, itemJson, recommendationJson } from "./resources.server";

// v1.server imports this module (registerExportPath) and this one imports v1.server: the values
// of v1.server are used inside functions only, never while the modules load.
extendZodWithOpenApi(z);

/**
 * GET /api/v1/export (ADR 027, bulk export): everything the token's org may read, as one streamed
 * .zip of JSON Lines for the provincial platform's import — items.jsonl (the ledger, every kind),
 * listings.jsonl (挂牌督办 cases with their 督办单位), recommendations.jsonl (the register's three
 * views, each recommendation once) and, written last, manifest.json with each file's record count
 * and SHA-256. Rows are read in keyset pages and pushed into the zip as it is sent: neither the
 * archive nor the rows are ever held whole in memory.
 */

export const EXPORT_FORMAT = "consult-export";
export const EXPORT_VERSION = 1;
export const ZIP_CONTENT_TYPE = "application/zip";

const ExportParams = z
  .object({
    region: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/)
      .optional()
      .openapi({ description: "只导出召集单位在该区划（含下级）的台账事项和挂牌督办案件；不影响建议书" }),
  })
  .strict();

/** What a line of listings.jsonl (and a listing of /api/v1/listings) adds to an `Item`. */
export const ListingExtra = z.object({
  supervisingOrgs: z.array(z.string()).openapi({ description: "督办单位（未指定时为挂牌单位）" }),
  statusLabel: z.string().openapi({ description: "状态的中文说法，如“已办结待解除挂牌”“已解除挂牌”" }),
});

const ManifestFileSchema = z.object({
  name: z.string(),
  records: z.number().int().openapi({ description: "行数（记录数）" }),
  sha256: z.string().openapi({ description: "文件内容的 SHA-256（十六进制）" }),
});

export const ManifestSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    generatedAt: z.string().openapi({ format: "date-time" }),
    org: z.object({ id: z.string(), name: z.string() }),
    region: z.object({ id: z.string(), name: z.string() }).nullable(),
    files: z.array(ManifestFileSchema),
  })
  .openapi("ExportManifest");

type Manifest = z.infer<typeof ManifestSchema>;
type ManifestFile = z.infer<typeof ManifestFileSchema>;
type ListingLine = z.infer<typeof ItemSchema> & z.infer<typeof ListingExtra>;

// --- lines ---

/** A supervised case as a line of listings.jsonl: the `Item` fields, its 督办单位 and status in words. */
export function listingJson(r: ListingRow): ListingLine {
  const supporting = r.orgs.filter((o) => o.role === "SUPPORTING");
  const names = new Map([[r.ownerOrgId, r.ownerOrg.name], ...r.orgs.map((o) => [o.orgId, o.org.name] as const)]);
  return {
    ...itemJson({ ...r, orgs: supporting }),
    supervisingOrgs: supervisingOrgIds(r).map((id) => names.get(id) ?? id),
    statusLabel: itemLabels("SUPERVISED_CASE").statusLabel(r.status),
  };
}

interface JsonLinesFile {
  name: string;
  stream: Readable;
  /** The file's manifest entry, once its last line is written. */
  done: Promise<ManifestFile>;
}

/**
 * One .jsonl file as a stream: a page of rows becomes one chunk of lines, counted and hashed on
 * the way out. At most one page waits in the stream (highWaterMark 1), so the database is read
 * only as fast as the zip is sent.
 */
function jsonLinesFile<T>(name: string, pages: AsyncIterable<T[]>, toJson: (row: T) => unknown): JsonLinesFile {
  let finish!: (entry: ManifestFile) => void;
  const done = new Promise<ManifestFile>((resolve) => (finish = resolve));
  async function* chunks() {
    const hash = createHash("sha256");
    let records = 0;
    for await (const page of pages) {
      const chunk = Buffer.from(page.map((row) => `${JSON.stringify(toJson(row))}\n`).join(""), "utf8");
      hash.update(chunk);
      records += page.length;
      yield chunk;
    }
    finish({ name, records, sha256: hash.digest("hex") });
  }
  return { name, stream: Readable.from(chunks(), { objectMode: true, highWaterMark: 1 }), done };
}

// --- the archive ---

interface ExportScope {
  items: Parameters<typeof iterateItemRowsById>[1];
  listings: Parameters<typeof iterateListingRowsById>[1];
  orgIds: string[];
}

/**
 * The zip as a web stream: the three .jsonl files are read while jszip deflates them (streamFiles:
 * sizes and CRC go in data descriptors after each entry), manifest.json is added last and resolves
 * when they are done. A client that goes away stops the reads; a failed read aborts the download.
 */
async function exportArchive(
  scope: ExportScope,
  head: Omit<Manifest, "files">,
  opts: { now: Date; batch: number },
): Promise<ReadableStream<Uint8Array>> {
  const JSZip = await loadJSZip();
  const db = database();
  const files = [
    jsonLinesFile("items.jsonl", iterateItemRowsById(db, scope.items, opts.batch), itemJson),
    jsonLinesFile("listings.jsonl", iterateListingRowsById(db, scope.listings, opts.batch), listingJson),
    jsonLinesFile("recommendations.jsonl", iterateWholeRegisterById(db, scope.orgIds, opts.batch), recommendationJson),
  ];
  const zip = new JSZip();
  for (const f of files) zip.file(f.name, f.stream, { date: opts.now });
  const manifest = Promise.all(files.map((f) => f.done)).then((entries) => {
    const body: Manifest = { ...head, files: entries };
    // jszip reads a promised value as bytes: hand it UTF-8, not a string (org names are Chinese).
    return Buffer.from(`${JSON.stringify(body, null, 2)}\n`, "utf8");
  });
  zip.file("manifest.json", manifest, { date: opts.now });

  const zipped = zip.generateNodeStream({ type: "nodebuffer", streamFiles: true, compression: "DEFLATE" });
  const out = new PassThrough();
  let complete = false;
  zipped.on("end", () => (complete = true));
  const fail = (error: unknown) => {
    if (out.destroyed) return;
    console.error("[api] export failed:", error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  };
  zipped.on("error", fail);
  // jszip drops an error of a source it has paused (its adapter stores it on the wrong object):
  // a failed read must still end the download rather than leave it hanging.
  for (const f of files) f.stream.on("error", fail);
  out.on("close", () => {
    if (complete) return;
    // The client went away (or a read failed): stop reading the database.
    zipped.unpipe(out);
    for (const f of files) f.stream.destroy();
  });
  zipped.pipe(out);
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

// --- the handler ---

export interface ExportContext {
  ip: string | null;
  now?: Date;
  /** Rows per database query (tests may use small pages). */
  batch?: number;
}

function parseParams(url: URL) {
  const parsed = ExportParams.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw invalid(zodMessage(parsed.error));
  return parsed.data;
}

/** GET /api/v1/export: counts, audits, then streams the archive (see the module's comment). */
export async function exportData(client: ApiClient, url: URL, ctx: ExportContext): Promise<Response> {
  const params = parseParams(url);
  const now = ctx.now ?? new Date();
  const db = database();
  const region = params.region ? await getRegion(db, params.region) : null;
  if (params.region && !region) throw invalid("参数 region 指定的区划不存在，请核对区划 id。");
  const actor = client.user.actor;
  // The ledger's tracked statuses, no 草拟中 items; the region filter as on the 台账 page.
  const query: LedgerQuery = { ...DEFAULT_LEDGER_QUERY, region: region?.id ?? null, drafts: false };
  const ledgerCtx = { now, regionPath: region?.path ?? null };
  const scope: ExportScope = {
    items: ledgerWhere(actor, query, ledgerCtx),
    listings: ledgerWhere(actor, { ...query, kind: "SUPERVISED_CASE" }, ledgerCtx),
    orgIds: registerOrgIds(actor),
  };
  const [items, listings, recommendations] = await Promise.all([
    countLedgerRows(db, scope.items),
    countLedgerRows(db, scope.listings),
    countWholeRegister(db, scope.orgIds),
  ]);
  const total = items + listings + recommendations;
  await recordAudit(db, {
    actorId: null,
    actorName: `接口令牌 ${client.user.username.slice(4)}…`,
    orgId: client.orgId,
    action: "api.export",
    targetType: "ApiToken",
    targetId: client.tokenId,
    summary: `批量导出：事项 ${items} 条，挂牌督办 ${listings} 条，建议书 ${recommendations} 条，共 ${total} 条`,
    ip: ctx.ip,
  });
  const org = client.user.memberships[0].org;
  const head: Omit<Manifest, "files"> = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    generatedAt: now.toISOString(),
    org: { id: org.id, name: org.name },
    region: region ? { id: region.id, name: region.name } : null,
  };
  const filename = `consult-export-${chinaDay(now)}.zip`;
  return new Response(await exportArchive(scope, head, { now, batch: ctx.batch ?? EXPORT_BATCH }), {
    headers: {
      "Content-Type": ZIP_CONTENT_TYPE,
      "Content-Disposition": `attachment; filename="${filename}"; filename*=UTF-8''${filename}`,
      "Cache-Control": "no-store",
      "X-Export-Records": String(total),
    },
  });
}

// --- the OpenAPI path ---

const DESCRIPTION = [
  "一次下载本单位（按本单位协调员的权限）可读的全部数据，供省级平台导入。应答为 ZIP 压缩包，依次包含：",
  "items.jsonl（台账事项，所有类型，不含草拟中事项；每行一个 Item）、",
  "listings.jsonl（挂牌督办案件，每行一个 ExportListing：Item 的字段加督办单位和中文状态）、",
  "recommendations.jsonl（本单位收到、发出和抄送的建议书，每件只出现一次；每行一个 Recommendation），",
  "最后是 manifest.json（ExportManifest：格式、版本、生成时间、单位、区划筛选，以及每个文件的记录数和 SHA-256）。",
  "JSON Lines 为 UTF-8 编码，每行一个 JSON 对象，以换行符结尾。",
  "应答边读取边发送（分块传输，没有 Content-Length）。",
  "显示进度：应答头 X-Export-Records 是开始导出时统计的记录总数（三个 .jsonl 文件行数之和），",
  "客户端边下载边解压、按已读到的行数与该值之比显示进度即可。",
  "导出期间数据如有变化，行数可能与该值略有出入，以 manifest.json 为准；请用其中的 SHA-256 校验各文件。",
  "不支持的查询参数返回 400。",
].join("");

/** Adds GET /api/v1/export to the OpenAPI document (called by `openApiDocument`). */
export function registerExportPath(registry: OpenAPIRegistry): void {
  registry.register("ExportListing", ItemSchema.extend(ListingExtra.shape));
  registry.register("ExportManifest", ManifestSchema);
  registry.registerPath({
    method: "get",
    path: "/api/v1/export",
    summary: "批量导出（ZIP 压缩包，JSON Lines）",
    description: DESCRIPTION,
    tags: ["批量导出"],
    security: [{ [BEARER_SCHEME]: [] }],
    request: { query: ExportParams },
    responses: {
      200: {
        description: "ZIP 压缩包：items.jsonl、listings.jsonl、recommendations.jsonl、manifest.json",
        headers: {
          "X-Export-Records": {
            description: "开始导出时统计的记录总数（三个 .jsonl 文件的行数之和），用于显示进度",
            schema: { type: "integer", minimum: 0 },
          },
          "Content-Disposition": {
            description: 'attachment; filename="consult-export-<日期>.zip"',
            schema: { type: "string" },
          },
        },
        content: { [ZIP_CONTENT_TYPE]: { schema: { type: "string", format: "binary" } } },
      },
      ...errorResponses([400, 401, 403, 429]),
    },
  });
}
