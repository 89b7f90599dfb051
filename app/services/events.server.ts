import { EventEmitter } from "node:events";

import { CLUSTER_EVENT_TYPES, type DomainEvent, type EventBus } from "~/domain/events";

/** The in-process bus (scale-out bridges its cluster events over Redis, ADR 015). */
export function createEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  let forward: ((event: DomainEvent) => void) | null = null;
  return {
    publish(event) {
      emitter.emit("event", event);
      if (forward && CLUSTER_EVENT_TYPES.has(event.type)) forward(event);
    },
    bridge(f) {
      forward = f;
      return (event) => emitter.emit("event", event);
    },
    subscribe(listener) {
      emitter.on("event", listener);
      return () => emitter.off("event", listener);
    },
  };
}
