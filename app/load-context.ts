import type { EventBus } from "~/services/events.server";

/** What the server passes to every loader and action (server/index.ts builds it). */
export interface ConsultLoadContext {
  events: EventBus;
  /** CSP nonce for inline scripts of this response. */
  nonce: string;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends ConsultLoadContext {}
}
