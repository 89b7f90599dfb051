import type { MentionCandidate } from "~/domain/comment";
import { invalid } from "~/domain/errors";
import type { DomainEvent } from "~/domain/events";
import { createNotification } from "~/models/notification.server";
import type { Tx } from "~/models/unit-of-work.server";
import { database } from "~/models/unit-of-work.server";
import { listActiveUserIdsWithRole, listPeopleOfOrgs } from "~/models/user.server";
import { loadPinyin } from "~/services/libraries.server";

/**
 * @mentions (批注 and progress reports): who may be named — the people and units taking part in the
 * document or item — the check of what a form sent, and the notifications of the people named.
 */

export interface MentionInput {
  userIds: readonly string[];
  orgIds: readonly string[];
}

/** At most this many people and units in one text. */
export const MAX_MENTIONS = 20;

/** The people of `orgIds` (and the individual members `userIds`) and the units themselves. */
export async function mentionCandidatesOf(
  orgIds: readonly string[],
  userIds: readonly string[] = [],
): Promise<MentionCandidate[]> {
  const people = await listPeopleOfOrgs(database(), { orgIds, userIds });
  const pinyin = await loadPinyin();
  const initials = (name: string) => pinyin(name, { pattern: "first", toneType: "none", type: "array" }).join("");
  const orgNames = new Map<string, string>();
  const users = people.map((p): MentionCandidate => {
    const here = p.memberships.find((m) => orgIds.includes(m.orgId)) ?? p.memberships[0];
    for (const m of p.memberships) if (orgIds.includes(m.orgId)) orgNames.set(m.orgId, m.org.name);
    const unit = here ? (here.org.shortName ?? here.org.name) : "";
    return { kind: "user", id: p.id, name: p.displayName, unit, initials: initials(p.displayName) };
  });
  const orgs = [...orgNames].map(([id, name]): MentionCandidate => ({
    kind: "org",
    id,
    name,
    unit: "",
    initials: initials(name),
  }));
  return [...orgs, ...users];
}

/**
 * Mentions must name candidates (`outsiders` is the refusal otherwise); duplicates are dropped.
 * `candidates` is called only when something was mentioned.
 */
export async function checkMentions(
  mentions: MentionInput,
  candidates: () => Promise<MentionCandidate[]>,
  outsiders: string,
): Promise<MentionInput> {
  const userIds = [...new Set(mentions.userIds)];
  const orgIds = [...new Set(mentions.orgIds)];
  if (userIds.length + orgIds.length === 0) return { userIds, orgIds };
  if (userIds.length + orgIds.length > MAX_MENTIONS) throw invalid(`一次最多提及 ${MAX_MENTIONS} 个人员或单位。`);
  const known = new Set((await candidates()).map((c) => `${c.kind}:${c.id}`));
  const strangers = [...userIds.map((id) => `user:${id}`), ...orgIds.map((id) => `org:${id}`)].filter(
    (k) => !known.has(k),
  );
  if (strangers.length) throw invalid(outsiders);
  return { userIds, orgIds };
}

/** Notifies the people mentioned (a unit: its coordinators and liaisons), never the author. */
export async function notifyMentioned(
  tx: Tx,
  input: {
    mentions: MentionInput;
    authorId: string;
    notification: { kind: string; title: string; body: string; link: string };
  },
): Promise<DomainEvent[]> {
  const fromOrgs = input.mentions.orgIds.length
    ? await listActiveUserIdsWithRole(tx, input.mentions.orgIds, ["COORDINATOR", "LIAISON"])
    : [];
  const recipients = new Set([...input.mentions.userIds, ...fromOrgs]);
  recipients.delete(input.authorId);
  const events: DomainEvent[] = [];
  for (const userId of recipients)
    events.push(
      await createNotification(tx, { userId, ...input.notification, body: input.notification.body.slice(0, 120) }),
    );
  return events;
}
