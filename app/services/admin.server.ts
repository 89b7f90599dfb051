import { regionContains } from "~/domain/actor";
import { database } from "~/models/unit-of-work.server";
import { listAuditEvents } from "~/models/audit.server";
import { isAuditAction } from "~/domain/audit";
import { notify } from "~/models/notification.server";
import { listOrganizationIdsInScopes, listOrganizationsInScopes } from "~/models/organization.server";
import { listRegionsInScopes } from "~/models/region.server";
import { listUsersInScopes } from "~/models/user.server";
import { adminScopes, canAccessAdmin, canAdminister, type AdminAction } from "~/policies/administration";
import { requireUser, type CurrentUser } from "~/services/auth/current-user.server";
import type { EventBus } from "~/domain/events";
import { isAcceptablePassword, PASSWORD_RULE } from "~/services/auth/password.server";
import {
  ORG_KIND_LABELS,
  REGION_LEVEL_LABELS,
  ROLES,
  ORG_KINDS,
  isOrgKind,
  isRegionLevel,
  type RegionLevel,
} from "~/domain/organization";
import { httpError } from "~/utils/errors";
import { clientIp } from "~/utils/request.server";
import { idField, text, usernameField, z } from "~/utils/validation";

/**
 * The administration section (ADMIN role only): who is acting, what they administer, and the
 * schemas of its forms. Writes live in admin-orgs.server.ts and admin-users.server.ts.
 */

export interface AdminContext {
  user: CurrentUser;
  /** Account changes end or narrow access: they publish domain events (ADR 015). */
  events: EventBus;
  /** Region paths the actor administers (its ADMIN memberships' regions and everything below). */
  scopes: string[];
  ip: string | null;
}

/** The signed-in admin; anyone else gets 403 (every admin loader and action calls this itself). */
export async function requireAdmin(request: Request, context: { events: EventBus }): Promise<AdminContext> {
  const user = await requireUser(request);
  if (!canAccessAdmin(user.actor)) throw httpError("FORBIDDEN");
  return { user, events: context.events, scopes: adminScopes(user.actor), ip: clientIp(request) };
}

export function administers(
  ctx: AdminContext,
  action: AdminAction,
  target: { orgId: string; regionPath: string },
): boolean {
  return canAdminister(ctx.user.actor, action, target);
}

/** Regions have no org: the policy decides by the region path alone. */
export function administersRegion(ctx: AdminContext, action: AdminAction, regionPath: string): boolean {
  return canAdminister(ctx.user.actor, action, { orgId: "", regionPath });
}

/** Audit fields naming the acting admin. */
export function auditActor(ctx: AdminContext) {
  return { actorId: ctx.user.id, actorName: ctx.user.displayName, ip: ctx.ip };
}

/** The actor's ADMIN org whose region covers `regionPath` (audit rows about regions carry it). */
export function adminOrgCovering(ctx: AdminContext, regionPath: string): string | null {
  const m = ctx.user.actor.memberships.find((x) => x.role === "ADMIN" && regionContains(x.regionPath, regionPath));
  return m?.orgId ?? null;
}

/** PROVINCE → CITY → COUNTY → TOWNSHIP: the only level a new child region may have. */
export const CHILD_LEVEL: Record<RegionLevel, RegionLevel | null> = {
  PROVINCE: "CITY",
  CITY: "COUNTY",
  COUNTY: "TOWNSHIP",
  TOWNSHIP: null,
};

export function regionLevelLabel(level: string): string {
  return isRegionLevel(level) ? REGION_LEVEL_LABELS[level] : level;
}

export function orgKindLabel(kind: string): string {
  return isOrgKind(kind) ? ORG_KIND_LABELS[kind] : kind;
}

export interface RegionNode {
  id: string;
  name: string;
  level: string;
  code: string | null;
  path: string;
  depth: number;
}

type RegionRow = Awaited<ReturnType<typeof listRegionsInScopes>>[number];

/** Regions in depth-first order (siblings by code, then name) with their depth below the visible roots. */
export function orderRegionTree(regions: RegionRow[]): RegionNode[] {
  const ids = new Set(regions.map((r) => r.id));
  const children = new Map<string | null, RegionRow[]>();
  for (const r of regions) {
    const key = r.parentId && ids.has(r.parentId) ? r.parentId : null;
    const list = children.get(key) ?? [];
    list.push(r);
    children.set(key, list);
  }
  const bySiblingOrder = (a: RegionRow, b: RegionRow) =>
    (a.code ?? "~").localeCompare(b.code ?? "~") || a.name.localeCompare(b.name, "zh-CN");
  const out: RegionNode[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const r of (children.get(parent) ?? []).sort(bySiblingOrder)) {
      out.push({ id: r.id, name: r.name, level: r.level, code: r.code, path: r.path, depth });
      walk(r.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Region options for selects: indented by depth, with the level. */
export async function regionOptions(ctx: AdminContext) {
  const tree = orderRegionTree(await listRegionsInScopes(database(), ctx.scopes));
  return tree.map((r) => ({ value: r.id, label: `${"　".repeat(r.depth)}${r.name}（${regionLevelLabel(r.level)}）` }));
}

/** Org options for selects (active orgs only unless `includeInactive`): "name（region）". */
export async function orgOptions(ctx: AdminContext, opts: { includeInactive?: boolean } = {}) {
  const orgs = await listOrganizationsInScopes(database(), ctx.scopes);
  return orgs
    .filter((o) => opts.includeInactive || o.active)
    .map((o) => ({ value: o.id, label: `${o.name}（${o.region.name}）${o.active ? "" : "【已停用】"}` }));
}

/** The 单位与区划 page: the region tree of the admin's scopes and the orgs placed in it. */
export async function loadRegionsAndOrgs(ctx: AdminContext) {
  const db = database();
  const [regions, orgs] = await Promise.all([
    listRegionsInScopes(db, ctx.scopes),
    listOrganizationsInScopes(db, ctx.scopes),
  ]);
  return { tree: orderRegionTree(regions), orgs };
}

/** Users with a membership in the admin's scopes, searched by user name or name. */
export async function searchUsers(ctx: AdminContext, q: string | undefined, take: number) {
  return listUsersInScopes(database(), ctx.scopes, q, take);
}

/** One page of the audit trail of the admin's scopes (events of their orgs and events without an org). */
export async function searchAuditLog(
  ctx: AdminContext,
  query: { q?: string; action?: string; page: number; pageSize: number },
) {
  const db = database();
  const orgIds = await listOrganizationIdsInScopes(db, ctx.scopes);
  return listAuditEvents(db, { ...query, orgIds });
}

/** 运行诊断: a notification to the admin themselves, to check the live channel. */
export async function sendTestNotification(ctx: AdminContext): Promise<void> {
  await notify(database(), ctx.events, {
    userId: ctx.user.id,
    kind: "test",
    title: "测试通知",
    body: "如果您看到这条通知，说明实时通知工作正常。",
  });
}

// ---------------------------------------------------------------------------------------------
// Form schemas (server-side; messages are Chinese through ~/utils/validation's error map).

/** Names never legitimately contain angle brackets; refusing them keeps markup out of 公文 exports too. */
const MARKUP = /[<>]/;
const MARKUP_MESSAGE = "不能包含 < 或 > 等符号";

export function nameField(max: number) {
  return text({ max }).refine((s) => !MARKUP.test(s), MARKUP_MESSAGE);
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/**
 * An optional trimmed single-line text (empty → null). Unlike `optionalText` it has no
 * `.pipe()`: conform's type coercion also coerces a pipe's output schema, turning the trimmed ""
 * back into undefined, so `optionalText` reports "此项为必填项" for an empty field under
 * `parseWithZod`.
 */
export function optionalField(max: number) {
  return z
    .string({ invalid_type_error: "格式不正确" })
    .optional()
    .transform((s) => {
      const t = (s ?? "").trim();
      return t === "" ? null : t;
    })
    .refine((s) => s === null || s.length <= max, `不能超过 ${max} 个字符`)
    .refine((s) => s === null || !CONTROL_CHARS.test(s), "包含不允许的控制字符")
    .refine((s) => s === null || !/[\r\n]/.test(s), "不能包含换行");
}

export function optionalNameField(max: number) {
  return optionalField(max).refine((s) => s === null || !MARKUP.test(s), MARKUP_MESSAGE);
}

export const passwordField = z
  .string({ required_error: "请输入密码", invalid_type_error: "格式不正确" })
  .max(128, "密码不能超过 128 个字符")
  .refine((pw) => pw.length > 128 || isAcceptablePassword(pw), PASSWORD_RULE);

export { PASSWORD_RULE };

export const RegionCreateSchema = z.object({
  intent: z.literal("createRegion"),
  parentId: idField,
  level: z.enum(["CITY", "COUNTY", "TOWNSHIP"]),
  name: nameField(30),
  code: optionalField(12).refine((s) => s === null || /^\d{6,12}$/.test(s), "区划代码应为 6–12 位数字"),
});

export const OrgSchema = z.object({
  name: nameField(60),
  shortName: optionalNameField(20),
  kind: z.enum(ORG_KINDS),
  regionId: idField,
  active: z.boolean().optional(),
});

export const UserCreateSchema = z.object({
  username: usernameField,
  displayName: nameField(30),
  password: passwordField,
  orgId: idField,
  role: z.enum(ROLES),
});

export const UserEditSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("profile"), displayName: nameField(30), active: z.boolean().optional() }),
    z.object({ intent: z.literal("addMembership"), orgId: idField, role: z.enum(ROLES) }),
    z.object({ intent: z.literal("removeMembership"), membershipId: idField }),
    z.object({ intent: z.literal("changeRole"), membershipId: idField, role: z.enum(ROLES) }),
    z.object({ intent: z.literal("resetPassword"), password: passwordField }),
  ],
  { errorMap: () => ({ message: "无法识别的操作，请刷新页面后重试" }) },
);

export const UserSearchSchema = z.object({ q: optionalField(50) });

export const AuditSearchSchema = z.object({
  q: optionalField(100),
  action: optionalField(40).refine((s) => s === null || isAuditAction(s), "请选择有效的操作类型"),
  page: z
    .number({ invalid_type_error: "页码应为数字" })
    .int("页码应为整数")
    .min(1, "页码应从 1 开始")
    .max(100_000, "页码过大")
    .optional(),
});
