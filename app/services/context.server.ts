import type { CollabControls } from "~/load-context";
import type { EventBus } from "~/domain/events";
import { clientIp } from "~/utils/request.server";

/**
 * What every command receives besides its actor and input (ADR 016): where the request came from
 * (for the audit trail), the event bus (domain events; only server/realtime emits), the collab
 * server's controls, and the time the command runs at (tests pass a fake one).
 */
export interface CommandContext {
  ip: string | null;
  events: EventBus;
  collab: CollabControls;
  now: Date;
}

/** The context of a command run by a route, from its request and load context. */
export function commandContext(
  request: Request,
  context: { events: EventBus; collab: CollabControls },
): CommandContext {
  return { ip: clientIp(request), events: context.events, collab: context.collab, now: new Date() };
}
