import { createHash, randomBytes } from "node:crypto";
import type { Actor } from "~/domain/actor";
import {
  API_SCOPE_LABELS,
  API_TOKEN_MAX_DAYS,
  API_TOKEN_PREFIX_LENGTH,
  isApiScope,
  type ApiScope,
} from "~/domain/api-token";
import { invalid, notFound } from "~/domain/errors";
import { isId } from "~/domain/ids";
import { createApiToken, getApiToken, listApiTokens, revokeApiToken } from "~/models/api-token.server";
import { recordAudit } from "~/models/audit.server";
import { database, transaction } from "~/models/unit-of-work.server";
import { authorizeApiToken } from "~/policies/api-token";
import { enforce } from "~/policies/decision";
import type { CommandContext } from "~/services/context.server";

/** Commands on the data-exchange API's tokens (ADR 027). */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `ct_` and 40 base62 characters from crypto.randomBytes (rejection sampling: no modulo bias). */
export function generateApiToken(): string {
  let out = "";
  while (out.length < 40) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && out.length < 40) out += BASE62[byte % 62];
    }
  }
  return `ct_${out}`;
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

interface Caller {
  id: string;
  displayName: string;
  actor: Actor;
}

export async function loadApiTokens(caller: Caller, orgId: string) {
  enforce(authorizeApiToken(caller.actor, "list", { orgId }));
  return listApiTokens(database(), orgId);
}

export interface CreateApiTokenInput {
  orgId: string;
  name: string;
  scope: string;
  days: number;
}

/** Creates a token; the plain token is returned this once and never stored. */
export async function createToken(
  caller: Caller,
  input: CreateApiTokenInput,
  ctx: Pick<CommandContext, "ip" | "now">,
): Promise<{ id: string; token: string; prefix: string; expiresAt: Date }> {
  enforce(authorizeApiToken(caller.actor, "create", { orgId: input.orgId }));
  const name = input.name.trim();
  if (!name || name.length > 60)
    throw invalid("请填写令牌名称（不超过 60 个字）。", { name: ["请填写令牌名称（不超过 60 个字）。"] });
  if (!isApiScope(input.scope)) throw invalid("请选择权限范围。", { scope: ["请选择权限范围。"] });
  const scope: ApiScope = input.scope;
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > API_TOKEN_MAX_DAYS)
    throw invalid(`有效期应为 1 至 ${API_TOKEN_MAX_DAYS} 天。`, {
      days: [`有效期应为 1 至 ${API_TOKEN_MAX_DAYS} 天。`],
    });
  const token = generateApiToken();
  const prefix = token.slice(0, API_TOKEN_PREFIX_LENGTH);
  const expiresAt = new Date(ctx.now.getTime() + input.days * 86_400_000);
  const row = await transaction(async (tx) => {
    const created = await createApiToken(tx, {
      orgId: input.orgId,
      name,
      scopes: scope,
      tokenHash: hashApiToken(token),
      prefix,
      expiresAt,
      createdById: caller.id,
    });
    await recordAudit(tx, {
      actorId: caller.id,
      actorName: caller.displayName,
      orgId: input.orgId,
      action: "api.token_created",
      targetType: "ApiToken",
      targetId: created.id,
      summary: `创建接口令牌「${name}」（${API_SCOPE_LABELS[scope]}，${prefix}…，有效期 ${input.days} 天）`,
      ip: ctx.ip,
    });
    return created;
  });
  return { id: row.id, token, prefix, expiresAt };
}

export async function revokeToken(caller: Caller, tokenId: string, ctx: Pick<CommandContext, "ip" | "now">) {
  if (!isId(tokenId)) throw notFound("接口令牌不存在。");
  const row = await getApiToken(database(), tokenId);
  if (!row) throw notFound("接口令牌不存在。");
  enforce(authorizeApiToken(caller.actor, "revoke", { orgId: row.orgId }));
  await transaction(async (tx) => {
    if (!(await revokeApiToken(tx, row.id, ctx.now))) return;
    await recordAudit(tx, {
      actorId: caller.id,
      actorName: caller.displayName,
      orgId: row.orgId,
      action: "api.token_revoked",
      targetType: "ApiToken",
      targetId: row.id,
      summary: `吊销接口令牌「${row.name}」（${row.prefix}…）`,
      ip: ctx.ip,
    });
  });
}
