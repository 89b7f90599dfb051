import type { EventBus } from "~/services/events.server";

/** What the server passes to every loader and action (server/index.ts builds it). */
export interface ConsultLoadContext {
  events: EventBus;
  /** CSP nonce for inline scripts of this response. */
  nonce: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation needs an interface
  interface AppLoadContext extends ConsultLoadContext {}
}
