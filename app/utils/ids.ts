import { createId } from "@paralleldrive/cuid2";

/** Opaque random id for rows and URLs. */
export function newId(): string {
  return createId();
}
