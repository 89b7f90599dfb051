import { database, isUniqueViolation, transaction, type Tx } from "~/models/unit-of-work.server";
import { conflict, firstFieldMessage, invalid, notFound, type FieldErrors } from "~/domain/errors";
import { EXTERNAL_KINDS, externalKindLabel, type ExternalKind } from "~/domain/external";
import { isId } from "~/domain/ids";
import { recordAudit, type AuditAction } from "~/models/audit.server";
import {
  createExternalPerson,
  getExternalPerson,
  linkExternalAccount,
  setExternalPersonStatus,
  updateExternalAccount,
  updateExternalPerson,
  type ExternalPersonData,
} from "~/models/external-person.server";
import { getRegion } from "~/models/region.server";
import {
  clearAccountLoginThrottle,
  createUser,
  getUserByUsername,
  setUserPassword,
  updateUserProfile,
} from "~/models/user.server";
import { enforce } from "~/policies/decision";
import {
  authorizePool,
  authorizePoolEntry,
  poolKeeperOrgId,
  type PoolEntryAction,
  type PoolEntryFacts,
} from "~/policies/external";
import { USERNAME_TAKEN } from "~/services/admin-users.server";
import { nameField, passwordField } from "~/services/admin.server";
import type { CurrentUser } from "~/services/auth/current-user.server";
import { hashPassword } from "~/services/auth/password.server";
import { endUserSessions } from "~/services/auth/sessions.server";
import type { CommandContext } from "~/services/context.server";
import { newId } from "~/utils/ids";
import { idField, lineListField, text, usernameField, z } from "~/utils/validation";

/**
 * Commands on the pool of outside participants (专家库, ADR 016 and 024): add, edit, 停用 / 启用 and
 * 开通账号. Each is authorized by the pool policy first, changes the entry in one transaction with its
 * audit record (`external.*`), and never writes the private contact into an audit summary. 停用
 * deactivates the linked account as an administrator does and ends every session and live
 * connection of it; 启用 reactivates it.
 */

export type ExternalContext = Pick<CommandContext, "ip" | "events">;

/** 领域 per entry, at least one. */
export const MAX_FIELDS = 8;

// ---------------------------------------------------------------------------------------------
// Form schemas of the add page and the keeper's page (messages in Chinese); used by their actions.

const fieldName = nameField(20);

/** The entry's fields as its forms post them: ticked 领域 (`fields`) and typed ones (`otherFields`). */
const personFormShape = {
  kind: z.enum(EXTERNAL_KINDS, { errorMap: () => ({ message: "请选择人员类别" }) }),
  name: nameField(30),
  fields: z.array(fieldName).max(50, "领域过多").default([]),
  otherFields: lineListField({ maxChars: 200 }).pipe(z.array(fieldName)),
  title: nameField(30),
  employer: nameField(60),
  contact: text({ max: 60 }),
};

/** 开通账号: the same user name and initial password rules as an administrator's new user. */
const accountFormShape = { username: usernameField, password: passwordField };

/** 添加人员: the region whose pool it joins, and the entry. */
export const NewPersonSchema = z.object({ regionId: idField, ...personFormShape });

/** The keeper's page: one intent per form (保存, 停用, 启用, 开通账号). */
export const PersonPageIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), ...personFormShape }),
  z.object({ intent: z.enum(["deactivate", "reactivate"]) }),
  z.object({ intent: z.literal("openAccount"), ...accountFormShape }),
  z.object({ intent: z.literal("resetPassword"), password: passwordField }),
]);

/** A posted form as the shapes read it: every text field once, the ticked 领域 as a list. */
export function personFormValues(form: FormData): Record<string, unknown> {
  return {
    ...Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")),
    fields: form.getAll("fields").filter((v): v is string => typeof v === "string"),
  };
}

/** The parsed form as a command's input: ticked and typed 领域 together. */
export function personInput(v: {
  kind: ExternalKind;
  name: string;
  fields: string[];
  otherFields: string[];
  title: string;
  employer: string;
  contact: string;
}): PersonInput {
  return {
    kind: v.kind,
    name: v.name,
    fields: [...v.fields, ...v.otherFields],
    title: v.title,
    employer: v.employer,
    contact: v.contact,
  };
}

// ---------------------------------------------------------------------------------------------

export interface PersonInput extends ExternalPersonData {
  kind: ExternalKind;
}

export type KeptPerson = NonNullable<Awaited<ReturnType<typeof getExternalPerson>>>;

export function poolEntryFacts(p: Pick<KeptPerson, "region" | "status" | "userId">): PoolEntryFacts {
  return { regionPath: p.region.path, status: p.status, hasAccount: p.userId !== null };
}

/** A refusal of one field, with its message as the form's too. */
const refuse = (fieldErrors: FieldErrors) => invalid(firstFieldMessage(fieldErrors), fieldErrors);

/** 张某（专家） in audit summaries: the name and kind, never the contact. */
const who = (p: { kind: string; name: string }) => `${p.name}（${externalKindLabel(p.kind)}）`;

/** 领域 deduplicated, one to MAX_FIELDS of them. */
function checkFieldList(fields: readonly string[]): string[] {
  const list = [...new Set(fields.map((f) => f.trim()).filter(Boolean))];
  if (list.length === 0) throw refuse({ fields: ["至少选择一个领域"] });
  if (list.length > MAX_FIELDS) throw refuse({ fields: [`领域最多 ${MAX_FIELDS} 个`] });
  return list;
}

function audit(
  tx: Tx,
  user: CurrentUser,
  target: { id: string; regionPath: string },
  entry: { action: AuditAction; summary: string },
  ip: string | null,
) {
  return recordAudit(tx, {
    actorId: user.id,
    actorName: user.displayName,
    orgId: poolKeeperOrgId(user.actor, target.regionPath),
    action: entry.action,
    targetType: "ExternalPerson",
    targetId: target.id,
    summary: entry.summary,
    ip,
  });
}

/** The entry named by the URL, for a keeper of its region: 404 when missing, 403 for anyone else. */
export async function requireKeptPerson(user: CurrentUser, id: string | undefined): Promise<KeptPerson> {
  const p = isId(id) ? await getExternalPerson(database(), id) : null;
  if (!p) throw notFound("该人员不存在。");
  enforce(authorizePoolEntry(user.actor, "edit", poolEntryFacts(p)));
  return p;
}

/** The entry, re-read and checked for `action` (who, then its state). */
async function keptPersonFor(user: CurrentUser, id: string, action: PoolEntryAction): Promise<KeptPerson> {
  const p = await requireKeptPerson(user, id);
  enforce(authorizePoolEntry(user.actor, action, poolEntryFacts(p)));
  return p;
}

/** 添加人员: an entry of the pool of a region the actor keeps. */
export async function addExternalPerson(
  user: CurrentUser,
  input: PersonInput & { regionId: string },
  ctx: ExternalContext,
): Promise<{ id: string }> {
  enforce(authorizePool(user.actor, "add"));
  const region = await getRegion(database(), input.regionId);
  if (!region) throw refuse({ regionId: ["请选择所属地区"] });
  enforce(authorizePoolEntry(user.actor, "edit", { regionPath: region.path, status: "ACTIVE", hasAccount: false }));
  const fields = checkFieldList(input.fields);
  const id = newId();
  await transaction(async (tx) => {
    await createExternalPerson(tx, {
      id,
      regionId: region.id,
      kind: input.kind,
      name: input.name,
      fields,
      title: input.title,
      employer: input.employer,
      contact: input.contact,
      createdById: user.id,
    });
    await audit(
      tx,
      user,
      { id, regionPath: region.path },
      {
        action: "external.created",
        summary: `${region.name}专家库添加${who(input)}：${input.title}，${input.employer}；领域：${fields.join("、")}`,
      },
      ctx.ip,
    );
  });
  return { id };
}

/** What an edit changes, in words (the contact only as "联系方式已更新"). */
function describeChanges(p: KeptPerson, next: PersonInput & { fields: string[] }): string[] {
  const changes: string[] = [];
  if (p.name !== next.name) changes.push(`姓名「${p.name}」→「${next.name}」`);
  if (p.kind !== next.kind) changes.push(`类别 ${externalKindLabel(p.kind)} → ${externalKindLabel(next.kind)}`);
  if (p.fields.join("、") !== next.fields.join("、"))
    changes.push(`领域「${p.fields.join("、")}」→「${next.fields.join("、")}」`);
  if (p.title !== next.title) changes.push(`职称/职务「${p.title}」→「${next.title}」`);
  if (p.employer !== next.employer) changes.push(`工作单位「${p.employer}」→「${next.employer}」`);
  if (p.contact !== next.contact) changes.push("联系方式已更新");
  return changes;
}

/** 修改: name, kind, 领域, 职称, 工作单位, contact. A linked account follows the name and the kind. */
export async function editExternalPerson(
  user: CurrentUser,
  id: string,
  input: PersonInput,
  ctx: ExternalContext,
): Promise<{ changed: boolean }> {
  const p = await keptPersonFor(user, id, "edit");
  const next = { ...input, fields: checkFieldList(input.fields) };
  const changes = describeChanges(p, next);
  if (changes.length === 0) return { changed: false };
  await transaction(async (tx) => {
    await updateExternalPerson(tx, p.id, {
      kind: next.kind,
      name: next.name,
      fields: next.fields,
      title: next.title,
      employer: next.employer,
      contact: next.contact,
    });
    if (p.userId) await updateExternalAccount(tx, p.userId, { displayName: next.name, externalKind: next.kind });
    await audit(
      tx,
      user,
      { id: p.id, regionPath: p.region.path },
      { action: "external.updated", summary: `修改专家库人员 ${who(p)}：${changes.join("；")}` },
      ctx.ip,
    );
  });
  return { changed: true };
}

const CHANGED_MEANWHILE = "该人员的状态已变化，请刷新后重试。";

/**
 * 停用: the entry leaves the pool (no longer invited) and its account is deactivated the way an
 * administrator deactivates one — every session ends and every live connection closes.
 */
export async function deactivateExternalPerson(user: CurrentUser, id: string, ctx: ExternalContext): Promise<void> {
  const p = await keptPersonFor(user, id, "deactivate");
  const account = p.userId && p.user ? { id: p.userId, username: p.user.username } : null;
  await transaction(async (tx) => {
    if (!(await setExternalPersonStatus(tx, p.id, "ACTIVE", "INACTIVE"))) throw conflict(CHANGED_MEANWHILE);
    if (account) await updateUserProfile(tx, account.id, { displayName: p.name, active: false });
    const accountPart = account ? `，停用其账号 ${account.username} 并注销其全部登录会话` : "";
    await audit(
      tx,
      user,
      { id: p.id, regionPath: p.region.path },
      { action: "external.deactivated", summary: `停用专家库人员 ${who(p)}${accountPart}` },
      ctx.ip,
    );
  });
  if (account) await endUserSessions(ctx.events, account.id);
}

/** 启用: back in the pool, its account active again. */
export async function reactivateExternalPerson(user: CurrentUser, id: string, ctx: ExternalContext): Promise<void> {
  const p = await keptPersonFor(user, id, "reactivate");
  const account = p.userId && p.user ? { id: p.userId, username: p.user.username } : null;
  await transaction(async (tx) => {
    if (!(await setExternalPersonStatus(tx, p.id, "INACTIVE", "ACTIVE"))) throw conflict(CHANGED_MEANWHILE);
    if (account) await updateUserProfile(tx, account.id, { displayName: p.name, active: true });
    await audit(
      tx,
      user,
      { id: p.id, regionPath: p.region.path },
      {
        action: "external.reactivated",
        summary: `启用专家库人员 ${who(p)}${account ? `，重新启用其账号 ${account.username}` : ""}`,
      },
      ctx.ip,
    );
  });
}

/**
 * 开通账号: a sign-in account for the entry — its user name and initial password typed by the keeper
 * (the administrator's rules), the entry's name and kind, no membership; the person sets their own
 * password at the first sign-in.
 */
export async function openExternalAccount(
  user: CurrentUser,
  id: string,
  input: { username: string; password: string },
  ctx: ExternalContext,
): Promise<{ username: string }> {
  const p = await keptPersonFor(user, id, "openAccount");
  const taken = () => invalid(USERNAME_TAKEN, { username: [USERNAME_TAKEN] });
  const passwordHash = await hashPassword(input.password);
  try {
    return await transaction(async (tx) => {
      if (await getUserByUsername(tx, input.username)) throw taken();
      const account = await createUser(tx, {
        id: newId(),
        username: input.username,
        displayName: p.name,
        passwordHash,
        mustChangePassword: true,
        externalKind: p.kind,
      });
      if (!(await linkExternalAccount(tx, p.id, account.id))) throw conflict("该人员已开通账号");
      await audit(
        tx,
        user,
        { id: p.id, regionPath: p.region.path },
        {
          action: "external.account_opened",
          summary: `为专家库人员 ${who(p)}开通账号 ${account.username}（首次登录须修改密码）`,
        },
        ctx.ip,
      );
      return { username: account.username };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

/**
 * 重置密码 of an outside participant's account: the keeper sets a new initial password, the person
 * must change it at the next sign-in, and every session and live connection of the account ends —
 * what an administrator's reset does for staff.
 */
export async function resetExternalPassword(
  user: CurrentUser,
  id: string,
  input: { password: string },
  ctx: ExternalContext,
): Promise<void> {
  const p = await keptPersonFor(user, id, "resetPassword");
  const account = p.user;
  if (!p.userId || !account) throw conflict("该人员尚未开通账号。");
  const passwordHash = await hashPassword(input.password);
  await transaction(async (tx) => {
    await setUserPassword(tx, p.userId as string, passwordHash, { mustChange: true });
    await clearAccountLoginThrottle(tx, account.username);
    await audit(
      tx,
      user,
      { id: p.id, regionPath: p.region.path },
      {
        action: "external.password_reset",
        summary: `重置专家库人员 ${who(p)}的账号 ${account.username} 的密码，并注销其全部登录会话`,
      },
      ctx.ip,
    );
  });
  await endUserSessions(ctx.events, p.userId);
}
