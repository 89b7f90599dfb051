import { describe, expect, it } from "vitest";
import { orgColor, personColor } from "../schema/colors";
import { caretLabel } from "./caret";

describe("carets", () => {
  it("name the person and the unit, as text cut to a sane length", () => {
    expect(caretLabel({ name: "张伟", org: "市司法局" })).toBe("张伟（市司法局）");
    expect(caretLabel({ name: "张伟", org: null })).toBe("张伟");
    expect(caretLabel({ name: { evil: 1 }, org: "<img src=x>" })).toBe("（<img src=x>）");
    expect(caretLabel({ name: "长".repeat(100) }).length).toBe(40);
  });

  it("colour by person: two people of one unit differ where their ids do, the unit keeps its colour", () => {
    const people = ["u-1", "u-2", "u-3", "u-4", "u-5"].map(personColor);
    expect(new Set(people).size).toBeGreaterThan(1);
    expect(personColor("u-1")).toBe(personColor("u-1"));
    expect(orgColor("org-1")).toBe(orgColor("org-1"));
  });
});
