import { describe, expect, it } from "vitest";
import { text, usernameField, z } from "./validation";

describe("validation messages are Chinese", () => {
  const schema = z.object({ name: text({ max: 10 }), username: usernameField });
  it("missing and empty fields", () => {
    const r = schema.safeParse({ name: "   " });
    expect(r.success).toBe(false);
    const msgs = r.error!.issues.map((i) => i.message);
    expect(msgs).toContain("此项为必填项");
    expect(msgs).toContain("请输入用户名");
  });
  it("over-long, wrong type, control characters and bad usernames", () => {
    expect(schema.safeParse({ name: "一二三四五六七八九十一", username: "abc" }).error!.issues[0].message).toBe(
      "不能超过 10 个字符",
    );
    expect(schema.safeParse({ name: 42, username: "abc" }).error!.issues[0].message).toBe("格式不正确");
    expect(schema.safeParse({ name: "a\u0000b", username: "abc" }).error!.issues[0].message).toBe(
      "包含不允许的控制字符",
    );
    expect(schema.safeParse({ name: "ok", username: "<script>" }).error!.issues[0].message).toMatch(/用户名只能包含/);
  });
  it("keeps HTML as plain text (escaping is the renderer's job)", () => {
    expect(schema.parse({ name: "<b>x</b>", username: "Zhang.San" })).toEqual({
      name: "<b>x</b>",
      username: "zhang.san",
    });
  });
});

describe("optionalText under conform", () => {
  it("accepts an empty optional field as null", async () => {
    const { parseWithZod } = await import("@conform-to/zod");
    const { optionalText } = await import("./validation");
    const schema = z.object({ name: text({ max: 10 }), note: optionalText({ max: 5 }) });
    const fd = new FormData();
    fd.set("name", "甲");
    fd.set("note", "");
    const result = parseWithZod(fd, { schema });
    expect(result.status).toBe("success");
    expect(result.status === "success" && result.value).toEqual({ name: "甲", note: null });
    fd.set("note", "太长了太长了");
    expect(parseWithZod(fd, { schema }).status).toBe("error");
  });
});
