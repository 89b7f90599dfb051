import { regionBelow, type Actor } from "~/domain/actor";
import {
  CLUE_GRANTEE_KINDS,
  CLUE_KINDS,
  CLUE_SENDING_KINDS,
  RETURNABLE_STATUSES,
  type ClueFacts,
  type ClueRelation,
} from "~/domain/clue";
import { ALLOW, deny, firstRefusal, notNow, type Decision } from "./decision";
import type { RoleSet } from "./rules";

/**
 * 线索移送 need to know (ADR 023): a clue is seen by its **handlers** only — the COORDINATORs
 * (督办协调员) of the sending unit and of the receiving unit, and those of an upper-level 纪委监委
 * granted access on that clue. Not ADMIN (account administration is not case work), not DRAFTER,
 * LIAISON, PUBLISHER or VIEWER, not 抄送, not upper regions by default.
 */
export const CLUE_HANDLING_ROLES: RoleSet = new Set(["COORDINATOR"]);

/** The actor's units in which it handles clues: its COORDINATOR memberships in units that take part in clue transfer. */
export function clueHandlerOrgIds(actor: Actor): string[] {
  return [
    ...new Set(
      actor.memberships.filter((m) => CLUE_HANDLING_ROLES.has(m.role) && CLUE_KINDS.has(m.orgKind)).map((m) => m.orgId),
    ),
  ];
}

/** Whether the actor handles clues anywhere (the 线索移送 section is shown). */
export function isClueHandler(actor: Actor): boolean {
  return clueHandlerOrgIds(actor).length > 0;
}

function handles(actor: Actor, orgId: string): boolean {
  return actor.memberships.some((m) => m.orgId === orgId && CLUE_HANDLING_ROLES.has(m.role));
}

/** How the actor relates to a clue, strongest first; null: it may not know the clue exists. */
export function clueRelation(actor: Actor, c: ClueFacts): ClueRelation | null {
  if (handles(actor, c.fromOrgId)) return "sender";
  if (handles(actor, c.toOrgId)) return "receiver";
  return c.grantOrgIds.some((id) => handles(actor, id)) ? "granted" : null;
}

/** What can be done with a clue. `read` covers the page and its attachments. */
export type ClueAction = "read" | "receive" | "return" | "startHandling" | "feedback" | "close" | "grant";

const NOT_A_HANDLER = "线索仅限移送单位和接收单位的督办协调员（及经授权的上级纪检监察机关）查看。";
const RECEIVER_ONLY = "只有接收单位的督办协调员可以";

function receiverOnly(actor: Actor, c: ClueFacts, what: string): Decision {
  return handles(actor, c.toOrgId) ? ALLOW : deny(`${RECEIVER_ONLY}${what}。`);
}

/** 办结: the sender once the result is reported; the receiver itself when no feedback was asked for. */
function authorizeClose(actor: Actor, c: ClueFacts): Decision {
  if (c.status === "FEEDBACK")
    return handles(actor, c.fromOrgId) ? ALLOW : deny("只有移送单位的督办协调员可以在收到反馈后办结线索。");
  if (c.status === "HANDLING" && !c.needsFeedback) return receiverOnly(actor, c, "办结无需反馈的线索");
  if (c.status === "HANDLING") return notNow("该线索需要反馈办理结果，请先反馈，再由移送单位办结。");
  return notNow(c.status === "CLOSED" ? "线索已办结。" : "线索尚未办理完毕，不能办结。");
}

/**
 * Who may do what with a clue, and why not (ADR 016): `deny` says who may (403), `notNow` what
 * state the clue must be in (409).
 */
export function authorizeClue(actor: Actor, action: ClueAction, c: ClueFacts): Decision {
  switch (action) {
    case "read":
      return clueRelation(actor, c) ? ALLOW : deny(NOT_A_HANDLER);
    case "receive":
      return firstRefusal(
        receiverOnly(actor, c, "签收线索"),
        c.status === "TRANSFERRED" ? ALLOW : notNow("线索已签收或已退回，请刷新后重试。"),
      );
    case "return":
      return firstRefusal(
        receiverOnly(actor, c, "退回线索"),
        (RETURNABLE_STATUSES as readonly string[]).includes(c.status)
          ? ALLOW
          : notNow("已开始办理、已反馈、已办结或已退回的线索不能退回。"),
      );
    case "startHandling":
      return firstRefusal(
        receiverOnly(actor, c, "办理线索"),
        c.status === "RECEIVED"
          ? ALLOW
          : notNow(c.status === "TRANSFERRED" ? "请先签收线索，再开始办理。" : "线索状态已变化，请刷新后重试。"),
      );
    case "feedback":
      return firstRefusal(
        receiverOnly(actor, c, "反馈办理结果"),
        c.status === "HANDLING"
          ? ALLOW
          : notNow(
              c.status === "TRANSFERRED"
                ? "线索尚未签收，不能反馈办理结果。"
                : c.status === "RECEIVED"
                  ? "请先开始办理，再反馈办理结果。"
                  : "该线索已反馈、已办结或已退回，不能再反馈。",
            ),
      );
    case "close":
      return handles(actor, c.fromOrgId) || handles(actor, c.toOrgId)
        ? authorizeClose(actor, c)
        : deny("只有移送单位或接收单位的督办协调员可以办结线索。");
    case "grant":
      return handles(actor, c.fromOrgId) || handles(actor, c.toOrgId)
        ? ALLOW
        : deny("只有移送单位或接收单位的督办协调员可以授权上级纪检监察机关查阅。");
  }
}

export function canReadClue(actor: Actor, c: ClueFacts): boolean {
  return authorizeClue(actor, "read", c).allowed;
}

/** 移送: a handler of the sending unit (the route between the two kinds is checked with the input). */
export function authorizeTransfer(actor: Actor, fromOrgId: string): Decision {
  return actor.memberships.some(
    (m) => m.orgId === fromOrgId && CLUE_HANDLING_ROLES.has(m.role) && CLUE_SENDING_KINDS.has(m.orgKind),
  )
    ? ALLOW
    : deny("只有移送单位的督办协调员可以移送线索。");
}

/** The actor's units it may send clues from. */
export function transferringOrgIds(actor: Actor): string[] {
  return clueHandlerOrgIds(actor).filter((id) => authorizeTransfer(actor, id).allowed);
}

/**
 * Who may be granted access to a clue: an upper-level 纪委监委 — a discipline commission of a region
 * strictly above the sending or the receiving unit's region. Nobody else, and never by default.
 */
export function isGrantableUnit(
  unit: { kind: string; regionPath: string },
  c: { fromRegionPath: string; toRegionPath: string },
): boolean {
  return (
    (CLUE_GRANTEE_KINDS as ReadonlySet<string>).has(unit.kind) &&
    (regionBelow(unit.regionPath, c.fromRegionPath) || regionBelow(unit.regionPath, c.toRegionPath))
  );
}

export interface ClueAbilities {
  receive: boolean;
  return: boolean;
  startHandling: boolean;
  feedback: boolean;
  close: boolean;
  grant: boolean;
}

export function clueAbilities(actor: Actor, c: ClueFacts): ClueAbilities {
  const can = (action: ClueAction) => authorizeClue(actor, action, c).allowed;
  return {
    receive: can("receive"),
    return: can("return"),
    startHandling: can("startHandling"),
    feedback: can("feedback"),
    close: can("close"),
    grant: can("grant"),
  };
}

/** The justice bureaus whose sent clues the actor may count (统计): those it handles clues for. */
export function clueStatsOrgIds(actor: Actor): string[] {
  return [
    ...new Set(
      actor.memberships
        .filter((m) => CLUE_HANDLING_ROLES.has(m.role) && m.orgKind === "JUSTICE_BUREAU")
        .map((m) => m.orgId),
    ),
  ];
}

export function canViewClueStats(actor: Actor): boolean {
  return clueStatsOrgIds(actor).length > 0;
}
