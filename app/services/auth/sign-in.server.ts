import { database } from "~/models/unit-of-work.server";
import { getEnv } from "~/env.server";
import { formatTime } from "~/domain/dates";
import { rateLimited, unauthenticated } from "~/domain/errors";
import { recordAudit } from "~/models/audit.server";
import { clearAttempts, lockIfExhausted, releaseAttempt, reserveAttempt } from "~/models/login-throttle.server";
import { getSignInUser } from "~/models/user.server";
import { getLucia } from "./auth.server";
import { getDummyHash, verifyPassword } from "./password.server";

export interface SignInInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  userId: string;
  mustChangePassword: boolean;
  setCookie: string;
}

/** Same words for an unknown user and a wrong password: no hint whether the account exists. */
export const INVALID_CREDENTIALS = "用户名或密码错误。";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function lockedMessage(until: Date, byIp: boolean): string {
  return byIp
    ? `该网络地址登录失败次数过多，已暂停登录，请于 ${formatTime(until)} 后再试。`
    : `登录失败次数过多，该账号已被临时锁定，请于 ${formatTime(until)} 后再试，或联系管理员。`;
}

/**
 * Checks credentials with throttling (ADR 003, 015). The attempt is counted for the account and for
 * the address *before* the password is checked, atomically, so at most LOGIN_MAX_FAILURES guesses per
 * account (LOGIN_IP_MAX_FAILURES per address) are ever checked in a window, whatever the concurrency;
 * the last one locks it for LOGIN_LOCK_MINUTES. Each failure also slows the answer (exponential,
 * capped). Every sign-in, failure and lockout is audited. Refused: 401 (wrong credentials, the same
 * words whether or not the account exists) or 429 (locked, until when).
 */
export async function signIn(input: SignInInput, now: Date = new Date()): Promise<SignedIn> {
  const db = database();
  const env = getEnv();
  const lockMs = env.LOGIN_LOCK_MINUTES * 60_000;
  const username = input.username.trim().toLowerCase();
  const userKey = `user:${username}`;
  const ipKey = `ip:${input.ip ?? "unknown"}`;

  const user = await getSignInUser(db, username);
  const orgId = user?.memberships[0]?.orgId ?? null;
  const audit = {
    actorId: user?.id ?? null,
    actorName: user?.displayName ?? username,
    orgId,
    ip: input.ip,
    targetType: "User",
    targetId: user?.id ?? null,
  };

  const userSlot = await reserveAttempt(db, userKey, env.LOGIN_MAX_FAILURES, lockMs, now);
  const ipSlot = userSlot.granted ? await reserveAttempt(db, ipKey, env.LOGIN_IP_MAX_FAILURES, lockMs, now) : null;
  if (!userSlot.granted || !ipSlot?.granted) {
    // The attempt is not checked at all; a slot taken for the account alone is given back.
    if (userSlot.granted) await releaseAttempt(db, userKey);
    const byIp = userSlot.granted;
    const until = (byIp ? ipSlot?.lockedUntil : userSlot.lockedUntil) ?? new Date(now.getTime() + lockMs);
    await recordAudit(db, { ...audit, action: "auth.login_failed", summary: `锁定期间尝试登录（${username}）` });
    throw rateLimited(lockedMessage(until, byIp));
  }

  const valid = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await getDummyHash(), input.password), false);

  if (!valid || !user || !user.active) {
    const [userLock, ipLock] = await Promise.all([
      lockIfExhausted(db, userKey, env.LOGIN_MAX_FAILURES, lockMs, now),
      lockIfExhausted(db, ipKey, env.LOGIN_IP_MAX_FAILURES, lockMs, now),
    ]);
    await recordAudit(db, {
      ...audit,
      action: "auth.login_failed",
      summary: `登录失败（${username}），连续第 ${userSlot.count} 次`,
    });
    if (userLock || ipLock) {
      const byIp = !userLock;
      const until = (userLock ?? ipLock) as Date;
      await recordAudit(db, {
        ...audit,
        action: "auth.locked",
        summary: byIp
          ? `网络地址 ${input.ip ?? "未知"} 登录失败过多，锁定至 ${until.toISOString()}`
          : `账号 ${username} 登录失败 ${userSlot.count} 次，锁定至 ${until.toISOString()}`,
      });
      throw rateLimited(lockedMessage(until, byIp));
    }
    await sleep(Math.min(2000, env.LOGIN_SLOWDOWN_MS * 2 ** (userSlot.count - 1)));
    throw unauthenticated(INVALID_CREDENTIALS);
  }

  await Promise.all([clearAttempts(db, userKey), releaseAttempt(db, ipKey)]);
  const lucia = getLucia();
  const session = await lucia.createSession(user.id, { ip: input.ip, userAgent: input.userAgent });
  await recordAudit(db, { ...audit, action: "auth.login", summary: `${user.displayName} 登录` });
  return {
    userId: user.id,
    mustChangePassword: user.mustChangePassword,
    setCookie: lucia.createSessionCookie(session.id).serialize(),
  };
}
