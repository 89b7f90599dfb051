import { describe, expect, it } from "vitest";
import { DomainError, ERRORS, type ErrorId } from "~/domain/errors";
import { CloseCode, closeCodeFor } from "./collab";

describe("closeCodeFor", () => {
  it("maps every domain error id to the close code the editor acts on", () => {
    const expected: Record<ErrorId, number> = {
      UNAUTHENTICATED: 4401,
      FORBIDDEN: 4403,
      NOT_FOUND: 4404,
      VALIDATION: 4400,
      BAD_REQUEST: 4400,
      PAYLOAD_TOO_LARGE: 4413,
      RATE_LIMITED: 4429,
      UNAVAILABLE: 4503,
      CONFLICT: 4409,
      FOREIGN_ORIGIN: 4503,
      INTERNAL: 4503,
    };
    for (const id of Object.keys(ERRORS) as ErrorId[]) expect(closeCodeFor(new DomainError(id))).toBe(expected[id]);
    expect(CloseCode.CONFLICT).toBe(4409);
  });
});
