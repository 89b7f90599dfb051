import { z } from "./validation";

/** Password rules, shared by server validation and the forms' client-side checks. */
export const PASSWORD_RULE = "密码至少 8 位，且同时包含字母和数字";

export function isAcceptablePassword(pw: string): boolean {
  return pw.length >= 8 && pw.length <= 128 && /[A-Za-z]/.test(pw) && /\d/.test(pw);
}

/** The password change form's fields (account page, and the first sign-in after an administrator set it). */
export const PasswordChangeSchema = z
  .object({
    currentPassword: z.string({ required_error: "请输入当前密码" }).max(256, "当前密码不正确"),
    newPassword: z.string({ required_error: "请输入新密码" }).refine(isAcceptablePassword, PASSWORD_RULE),
    confirmPassword: z.string({ required_error: "请再次输入新密码" }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { message: "两次输入的新密码不一致", path: ["confirmPassword"] })
  .refine((v) => v.newPassword !== v.currentPassword, { message: "新密码不能与当前密码相同", path: ["newPassword"] });

export const PASSWORD_FIELDS = ["currentPassword", "newPassword", "confirmPassword"];
