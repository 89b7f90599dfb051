import { conflict, forbidden } from "~/domain/errors";

/**
 * What a policy answers for an action (ADR 016): allowed, or refused with the reason in Chinese and
 * whether the refusal is about *who* asks (forbidden, 403) or about the *state* of the record
 * (conflict, 409: already final, not yet due…). Services enforce it; pages receive `.allowed` in
 * their abilities and may show `reason`; nothing re-derives a refusal from a status.
 */
export type Decision = { allowed: true } | { allowed: false; kind: "forbidden" | "conflict"; reason: string };

export const ALLOW: Decision = { allowed: true };

/** Refused because of who asks. */
export function deny(reason: string): Decision {
  return { allowed: false, kind: "forbidden", reason };
}

/** Refused because of the record's state, whoever asks. */
export function notNow(reason: string): Decision {
  return { allowed: false, kind: "conflict", reason };
}

/** The first refusal among the checks, in order (who first, then the state), or ALLOW. */
export function firstRefusal(...decisions: Decision[]): Decision {
  return decisions.find((d) => !d.allowed) ?? ALLOW;
}

/** Throws the refusal as a domain error (403 / 409 and the reason) unless allowed. */
export function enforce(decision: Decision): void {
  if (decision.allowed) return;
  throw decision.kind === "forbidden" ? forbidden(decision.reason) : conflict(decision.reason);
}
