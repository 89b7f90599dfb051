import { database, isUniqueViolation, transaction } from "~/models/unit-of-work.server";
import { recordAudit } from "~/models/audit.server";
import {
  createOrganization,
  getOrganization,
  getOrganizationByName,
  listOrganizationMembers,
  updateOrganization,
  type OrganizationRow,
} from "~/models/organization.server";
import { createRegion, findChildRegionByName, getRegion, getRegionByCode } from "~/models/region.server";
import { REGION_LEVEL_LABELS, isRegionLevel, type OrgKind, type RegionLevel } from "~/domain/organization";
import { invalid } from "~/domain/errors";
import { httpError } from "~/utils/errors";
import { newId } from "~/utils/ids";
import { idField } from "~/utils/validation";
import {
  CHILD_LEVEL,
  adminOrgCovering,
  administers,
  administersRegion,
  auditActor,
  orgKindLabel,
  regionLevelLabel,
  type AdminContext,
} from "./admin.server";

/**
 * Commands of the 单位与区划 pages. Each loads what its input names, checks it lies in the admin's
 * scope, checks uniqueness and writes with its audit row in one transaction (architecture.md "Conventions"); refusals are
 * domain errors with the field they concern.
 */

const ORG_NAME_TAKEN = "已存在同名单位";
const REGION_CODE_TAKEN = "区划代码已存在";
const OUT_OF_SCOPE_REGION = "请选择您管理范围内的区划";

/** A region the admin may place things in, or a refusal on `field`. */
async function administeredRegion(ctx: AdminContext, regionId: string, field: string, message: string) {
  const region = await getRegion(database(), regionId);
  if (!region || !administersRegion(ctx, "org.create", region.path)) throw invalid(message, { [field]: [message] });
  return region;
}

/** 新建下级区划: one level below its parent (省 → 市 → 县 → 乡镇), unique code and name among siblings. */
export async function adminCreateRegion(
  ctx: AdminContext,
  input: { parentId: string; level: RegionLevel; name: string; code: string | null },
): Promise<{ id: string }> {
  const parent = await administeredRegion(ctx, input.parentId, "parentId", "请选择您管理范围内的上级区划");
  const expected = isRegionLevel(parent.level) ? CHILD_LEVEL[parent.level] : null;
  if (expected !== input.level) {
    const message = expected
      ? `「${parent.name}」的下级区划应为${REGION_LEVEL_LABELS[expected]}`
      : `「${parent.name}」是乡镇级区划，不能再设下级区划`;
    throw invalid(message, { level: [message] });
  }
  try {
    return await transaction(async (tx) => {
      if (input.code && (await getRegionByCode(tx, input.code)))
        throw invalid(REGION_CODE_TAKEN, { code: [REGION_CODE_TAKEN] });
      if (await findChildRegionByName(tx, parent.id, input.name)) {
        const message = `「${parent.name}」下已有同名区划`;
        throw invalid(message, { name: [message] });
      }
      const region = await createRegion(tx, {
        id: newId(),
        name: input.name,
        level: input.level,
        code: input.code,
        parent,
      });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: adminOrgCovering(ctx, region.path),
        action: "region.created",
        targetType: "Region",
        targetId: region.id,
        summary: `新建${regionLevelLabel(input.level)}区划「${input.name}」${input.code ? `（代码 ${input.code}）` : ""}，上级区划：${parent.name}`,
      });
      return { id: region.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid(REGION_CODE_TAKEN, { code: [REGION_CODE_TAKEN] });
    throw error;
  }
}

export interface OrgFields {
  name: string;
  shortName: string | null;
  kind: OrgKind;
  regionId: string;
}

/** 新建单位 in a region of the admin's scope; names are unique. */
export async function adminCreateOrg(ctx: AdminContext, input: OrgFields): Promise<{ id: string }> {
  const region = await administeredRegion(ctx, input.regionId, "regionId", OUT_OF_SCOPE_REGION);
  try {
    return await transaction(async (tx) => {
      if (await getOrganizationByName(tx, input.name)) throw invalid(ORG_NAME_TAKEN, { name: [ORG_NAME_TAKEN] });
      const org = await createOrganization(tx, {
        id: newId(),
        name: input.name,
        shortName: input.shortName,
        kind: input.kind,
        regionId: region.id,
      });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: org.id,
        action: "org.created",
        targetType: "Organization",
        targetId: org.id,
        summary: `新建单位「${org.name}」（${orgKindLabel(input.kind)}，${region.name}）`,
      });
      return { id: org.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid(ORG_NAME_TAKEN, { name: [ORG_NAME_TAKEN] });
    throw error;
  }
}

/** The org named by the URL, if the admin administers it: 404 for unknown ids, 403 outside the scope. */
export async function requireAdministeredOrg(ctx: AdminContext, orgIdParam: string | undefined) {
  const parsed = idField.safeParse(orgIdParam);
  const org = parsed.success ? await getOrganization(database(), parsed.data) : null;
  if (!org) throw httpError("NOT_FOUND", "该单位不存在。");
  if (!administers(ctx, "org.update", { orgId: org.id, regionPath: org.region.path }))
    throw httpError("FORBIDDEN", "该单位不在您的管理范围内。");
  return org;
}

/** Members of an org with their user, for the admin's org page. */
export async function listOrgMembers(orgId: string) {
  return listOrganizationMembers(database(), orgId);
}

/**
 * Updates an org; `changed: false` (and nothing written) when the form changed nothing. An admin
 * cannot move or deactivate the org of their own ADMIN membership (they would lose their powers).
 */
export async function adminUpdateOrg(
  ctx: AdminContext,
  current: OrganizationRow,
  input: OrgFields & { active: boolean },
): Promise<{ changed: boolean }> {
  const region = input.regionId === current.regionId ? current.region : await getRegion(database(), input.regionId);
  if (!region || !administersRegion(ctx, "org.update", region.path))
    throw invalid(OUT_OF_SCOPE_REGION, { regionId: [OUT_OF_SCOPE_REGION] });
  const ownAdminOrg = ctx.user.actor.memberships.some((m) => m.role === "ADMIN" && m.orgId === current.id);
  if (ownAdminOrg && region.id !== current.regionId) {
    const message = "不能变更您本人管理员身份所在单位的区划，以免失去管理权限。请由上级管理员操作。";
    throw invalid(message, { regionId: [message] });
  }
  if (ownAdminOrg && !input.active && current.active) {
    const message = "不能停用您本人管理员身份所在的单位。请由上级管理员操作。";
    throw invalid(message, { active: [message] });
  }
  const changes = orgChanges(current, { ...input, region });
  if (changes.length === 0) return { changed: false };
  const accessChanged =
    region.id !== current.regionId || input.kind !== current.kind || input.active !== current.active;
  try {
    const result = await transaction(async (tx) => {
      if (current.name !== input.name) {
        const other = await getOrganizationByName(tx, input.name);
        if (other && other.id !== current.id) throw invalid(ORG_NAME_TAKEN, { name: [ORG_NAME_TAKEN] });
      }
      await updateOrganization(tx, current.id, { ...input, regionId: region.id });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: current.id,
        action: "org.updated",
        targetType: "Organization",
        targetId: current.id,
        summary: `修改单位「${input.name}」：${changes.join("；")}`,
      });
      return { changed: true };
    });
    if (accessChanged) ctx.events.publish({ type: "org.access_changed", orgId: current.id });
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) throw invalid(ORG_NAME_TAKEN, { name: [ORG_NAME_TAKEN] });
    throw error;
  }
}

/** What an org update changes, as the audit trail words it. */
function orgChanges(
  current: OrganizationRow,
  next: Omit<OrgFields, "regionId"> & { active: boolean; region: { id: string; name: string } },
): string[] {
  const changes: string[] = [];
  if (current.name !== next.name) changes.push(`名称「${current.name}」→「${next.name}」`);
  if (current.shortName !== next.shortName)
    changes.push(`简称「${current.shortName ?? "无"}」→「${next.shortName ?? "无"}」`);
  if (current.kind !== next.kind) changes.push(`类型 ${orgKindLabel(current.kind)} → ${orgKindLabel(next.kind)}`);
  if (current.region.id !== next.region.id) changes.push(`所属区划 ${current.region.name} → ${next.region.name}`);
  if (current.active !== next.active) changes.push(next.active ? "重新启用" : "停用");
  return changes;
}
