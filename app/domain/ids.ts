/** What an opaque id in a URL or a form may look like (ids are cuid2; imported rows may be shorter). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** true when `value` can be an id (anything else is answered as not found, never looked up). */
export function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}
