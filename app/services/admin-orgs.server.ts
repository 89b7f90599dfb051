import { getDb, isUniqueViolation } from "~/db.server";
import { recordAudit } from "~/models/audit.server";
import { createOrganization, getOrganizationByName, updateOrganization } from "~/models/organization.server";
import { createRegion, findChildRegionByName, getRegionByCode } from "~/models/region.server";
import type { OrgKind, RegionLevel } from "~/domain/organization";
import { newId } from "~/utils/ids";
import {
  adminOrgCovering,
  auditActor,
  fail,
  orgKindLabel,
  regionLevelLabel,
  type AdminContext,
  type WriteResult,
} from "./admin.server";

/**
 * Writes of the 单位与区划 pages. Callers have parsed the input, loaded the rows it names and
 * authorized the actor on them; these functions check uniqueness and write with their audit row
 * in one transaction (DESIGN §7).
 */

interface RegionRef {
  id: string;
  name: string;
  path: string;
}

const ORG_NAME_TAKEN = "已存在同名单位";
const REGION_CODE_TAKEN = "区划代码已存在";

export async function adminCreateRegion(
  ctx: AdminContext,
  input: { parent: RegionRef; level: RegionLevel; name: string; code: string | null },
): Promise<WriteResult<{ id: string }>> {
  try {
    return await getDb().$transaction(async (tx) => {
      if (input.code && (await getRegionByCode(tx, input.code))) return fail({ code: [REGION_CODE_TAKEN] });
      if (await findChildRegionByName(tx, input.parent.id, input.name))
        return fail({ name: [`「${input.parent.name}」下已有同名区划`] });
      const region = await createRegion(tx, {
        id: newId(),
        name: input.name,
        level: input.level,
        code: input.code,
        parent: input.parent,
      });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: adminOrgCovering(ctx, region.path),
        action: "region.created",
        targetType: "Region",
        targetId: region.id,
        summary: `新建${regionLevelLabel(input.level)}区划「${input.name}」${input.code ? `（代码 ${input.code}）` : ""}，上级区划：${input.parent.name}`,
      });
      return { ok: true as const, value: { id: region.id } };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fail({ code: [REGION_CODE_TAKEN] });
    throw error;
  }
}

export interface OrgFields {
  name: string;
  shortName: string | null;
  kind: OrgKind;
  region: RegionRef;
}

export async function adminCreateOrg(ctx: AdminContext, input: OrgFields): Promise<WriteResult<{ id: string }>> {
  try {
    return await getDb().$transaction(async (tx) => {
      if (await getOrganizationByName(tx, input.name)) return fail({ name: [ORG_NAME_TAKEN] });
      const org = await createOrganization(tx, {
        id: newId(),
        name: input.name,
        shortName: input.shortName,
        kind: input.kind,
        regionId: input.region.id,
      });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: org.id,
        action: "org.created",
        targetType: "Organization",
        targetId: org.id,
        summary: `新建单位「${org.name}」（${orgKindLabel(input.kind)}，${input.region.name}）`,
      });
      return { ok: true as const, value: { id: org.id } };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fail({ name: [ORG_NAME_TAKEN] });
    throw error;
  }
}

export interface CurrentOrg {
  id: string;
  name: string;
  shortName: string | null;
  kind: string;
  active: boolean;
  region: RegionRef;
}

/** Updates an org; returns `changed: false` (and writes nothing) when the form changed nothing. */
export async function adminUpdateOrg(
  ctx: AdminContext,
  current: CurrentOrg,
  input: OrgFields & { active: boolean },
): Promise<WriteResult<{ changed: boolean }>> {
  const changes: string[] = [];
  if (current.name !== input.name) changes.push(`名称「${current.name}」→「${input.name}」`);
  if (current.shortName !== input.shortName)
    changes.push(`简称「${current.shortName ?? "无"}」→「${input.shortName ?? "无"}」`);
  if (current.kind !== input.kind) changes.push(`类型 ${orgKindLabel(current.kind)} → ${orgKindLabel(input.kind)}`);
  if (current.region.id !== input.region.id) changes.push(`所属区划 ${current.region.name} → ${input.region.name}`);
  if (current.active !== input.active) changes.push(input.active ? "重新启用" : "停用");
  if (changes.length === 0) return { ok: true, value: { changed: false } };
  try {
    return await getDb().$transaction(async (tx) => {
      if (current.name !== input.name) {
        const other = await getOrganizationByName(tx, input.name);
        if (other && other.id !== current.id) return fail({ name: [ORG_NAME_TAKEN] });
      }
      await updateOrganization(tx, current.id, {
        name: input.name,
        shortName: input.shortName,
        kind: input.kind,
        regionId: input.region.id,
        active: input.active,
      });
      await recordAudit(tx, {
        ...auditActor(ctx),
        orgId: current.id,
        action: "org.updated",
        targetType: "Organization",
        targetId: current.id,
        summary: `修改单位「${input.name}」：${changes.join("；")}`,
      });
      return { ok: true as const, value: { changed: true } };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fail({ name: [ORG_NAME_TAKEN] });
    throw error;
  }
}
