/** Password rules, shared by server validation and the forms' client-side checks. */
export const PASSWORD_RULE = "密码至少 8 位，且同时包含字母和数字";

export function isAcceptablePassword(pw: string): boolean {
  return pw.length >= 8 && pw.length <= 128 && /[A-Za-z]/.test(pw) && /\d/.test(pw);
}
