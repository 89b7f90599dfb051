import { getDb } from "../app/db.server";
import { createApiToken, findApiTokenByHash } from "../app/models/api-token.server";
import { hashApiToken } from "../app/services/api-tokens.server";

/**
 * A read-only data-exchange token of 示例市司法局 (ADR 027) with a published value, so the demo's
 * API can be tried with curl at once — the demo's counterpart of the demo password. Demo data only:
 * a real deployment creates its tokens on /admin/api-tokens, where they are shown once. Idempotent.
 */
export const DEMO_API_TOKEN = `ct_${"DemoSfjReadOnly".padEnd(40, "0")}`;

export async function seedApiToken(): Promise<string[]> {
  const db = getDb();
  const tokenHash = hashApiToken(DEMO_API_TOKEN);
  if (await findApiTokenByHash(db, tokenHash)) return [];
  const sfj = await db.organization.findUniqueOrThrow({ where: { name: "示例市司法局" }, select: { id: true } });
  const admin = await db.user.findUniqueOrThrow({ where: { username: "admin" }, select: { id: true } });
  await createApiToken(db, {
    orgId: sfj.id,
    name: "演示只读令牌",
    scopes: "READ",
    tokenHash,
    prefix: DEMO_API_TOKEN.slice(0, 8),
    expiresAt: new Date(Date.now() + 365 * 86_400_000),
    createdById: admin.id,
  });
  return [`接口令牌（只读，示例市司法局）：${DEMO_API_TOKEN}`];
}
