import { describe, expect, it } from "vitest";
import { DomainError } from "~/domain/errors";
import { ALLOW, deny, enforce, firstRefusal, notNow, type Decision } from "./decision";

describe("decisions", () => {
  it("ALLOW is allowed and carries no reason", () => {
    expect(ALLOW).toEqual({ allowed: true });
  });

  it("deny refuses because of who asks (forbidden), with the reason", () => {
    expect(deny("只有起草人可以。")).toEqual({ allowed: false, kind: "forbidden", reason: "只有起草人可以。" });
  });

  it("notNow refuses because of the state (conflict), with the reason", () => {
    expect(notNow("文书已冻结。")).toEqual({ allowed: false, kind: "conflict", reason: "文书已冻结。" });
  });
});

describe("firstRefusal", () => {
  it("ALLOW when every check allows, or there is none", () => {
    expect(firstRefusal(ALLOW, ALLOW, ALLOW)).toEqual({ allowed: true });
    expect(firstRefusal()).toEqual({ allowed: true });
  });

  it("the first refusal in the given order", () => {
    const who = deny("谁");
    const state = notNow("状态");
    expect(firstRefusal(ALLOW, who, state)).toBe(who);
    expect(firstRefusal(state, who)).toBe(state);
    expect(firstRefusal(ALLOW, ALLOW, state)).toBe(state);
  });
});

describe("enforce", () => {
  const thrown = (d: Decision): unknown => {
    try {
      enforce(d);
    } catch (error) {
      return error;
    }
    return undefined;
  };

  it("does nothing when allowed", () => {
    expect(() => enforce(ALLOW)).not.toThrow();
  });

  it("throws a 403 FORBIDDEN domain error with the reason for a forbidden refusal", () => {
    const error = thrown(deny("只有发出单位可以调整回复期限。"));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ id: "FORBIDDEN", status: 403, message: "只有发出单位可以调整回复期限。" });
  });

  it("throws a 409 CONFLICT domain error with the reason for a state refusal", () => {
    const error = thrown(notNow("该批注已经解决。"));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ id: "CONFLICT", status: 409, message: "该批注已经解决。" });
  });
});
