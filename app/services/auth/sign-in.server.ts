import { getDb, type Db } from "~/db.server";
import { getEnv } from "~/env.server";
import { recordAudit } from "~/models/audit.server";
import { formatTime } from "~/utils/dates";
import { getLucia } from "./auth.server";
import { getDummyHash, verifyPassword } from "./password.server";

export interface SignInInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

export type SignInResult =
  | { ok: true; userId: string; setCookie: string }
  | { ok: false; reason: "invalid" | "locked"; message: string };

/** Same words for an unknown user and a wrong password: no hint whether the account exists. */
export const INVALID_CREDENTIALS = "用户名或密码错误。";

interface Throttle {
  failures: number;
  windowStart: Date;
  lockedUntil: Date | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readThrottle(db: Db, key: string): Promise<Throttle | null> {
  return db.loginThrottle.findUnique({ where: { key }, select: { failures: true, windowStart: true, lockedUntil: true } });
}

/** Records one failure for the key; returns the new count and whether it just locked. */
async function addFailure(db: Db, key: string, max: number, lockMs: number, now: Date): Promise<{ failures: number; lockedUntil: Date | null }> {
  const current = await readThrottle(db, key);
  const windowExpired = !current || now.getTime() - current.windowStart.getTime() > lockMs;
  const failures = windowExpired ? 1 : current.failures + 1;
  const lockedUntil = failures >= max ? new Date(now.getTime() + lockMs) : null;
  await db.loginThrottle.upsert({
    where: { key },
    create: { key, failures, windowStart: now, lockedUntil },
    update: { failures, ...(windowExpired ? { windowStart: now } : {}), lockedUntil },
  });
  return { failures, lockedUntil };
}

function lockedMessage(until: Date, byIp: boolean): string {
  return byIp
    ? `该网络地址登录失败次数过多，已暂停登录，请于 ${formatTime(until)} 后再试。`
    : `登录失败次数过多，该账号已被临时锁定，请于 ${formatTime(until)} 后再试，或联系管理员。`;
}

/**
 * Checks credentials with throttling: each failure slows the answer (exponential, capped), and
 * LOGIN_MAX_FAILURES failures for one account (or LOGIN_IP_MAX_FAILURES for one IP) within the
 * lock period lock it for LOGIN_LOCK_MINUTES. Every sign-in, failure and lockout is audited.
 */
export async function signIn(input: SignInInput, now: Date = new Date()): Promise<SignInResult> {
  const db = getDb();
  const env = getEnv();
  const lockMs = env.LOGIN_LOCK_MINUTES * 60_000;
  const username = input.username.trim().toLowerCase();
  const userKey = `user:${username}`;
  const ipKey = `ip:${input.ip ?? "unknown"}`;

  const user = await db.user.findUnique({
    where: { username },
    select: {
      id: true,
      displayName: true,
      passwordHash: true,
      active: true,
      memberships: { select: { orgId: true }, take: 1, orderBy: { createdAt: "asc" } },
    },
  });
  const orgId = user?.memberships[0]?.orgId ?? null;
  const audit = { actorId: user?.id ?? null, actorName: user?.displayName ?? username, orgId, ip: input.ip, targetType: "User", targetId: user?.id ?? null };

  const [userThrottle, ipThrottle] = await Promise.all([readThrottle(db, userKey), readThrottle(db, ipKey)]);
  for (const [t, byIp] of [[userThrottle, false], [ipThrottle, true]] as const) {
    if (t?.lockedUntil && t.lockedUntil > now) {
      await recordAudit(db, { ...audit, action: "auth.login_failed", summary: `锁定期间尝试登录（${username}）` });
      return { ok: false, reason: "locked", message: lockedMessage(t.lockedUntil, byIp) };
    }
  }

  const valid = user ? await verifyPassword(user.passwordHash, input.password) : (await verifyPassword(await getDummyHash(), input.password), false);

  if (!valid || !user || !user.active) {
    const [u, ip] = await Promise.all([
      addFailure(db, userKey, env.LOGIN_MAX_FAILURES, lockMs, now),
      addFailure(db, ipKey, env.LOGIN_IP_MAX_FAILURES, lockMs, now),
    ]);
    await recordAudit(db, { ...audit, action: "auth.login_failed", summary: `登录失败（${username}），连续第 ${u.failures} 次` });
    if (u.lockedUntil || ip.lockedUntil) {
      const byIp = !u.lockedUntil;
      const until = (u.lockedUntil ?? ip.lockedUntil) as Date;
      await recordAudit(db, {
        ...audit,
        action: "auth.locked",
        summary: byIp ? `网络地址 ${input.ip ?? "未知"} 登录失败过多，锁定至 ${until.toISOString()}` : `账号 ${username} 登录失败 ${u.failures} 次，锁定至 ${until.toISOString()}`,
      });
      return { ok: false, reason: "locked", message: lockedMessage(until, byIp) };
    }
    await sleep(Math.min(2000, env.LOGIN_SLOWDOWN_MS * 2 ** (u.failures - 1)));
    return { ok: false, reason: "invalid", message: INVALID_CREDENTIALS };
  }

  await db.loginThrottle.deleteMany({ where: { key: userKey } });
  const lucia = getLucia();
  const session = await lucia.createSession(user.id, { ip: input.ip, userAgent: input.userAgent });
  await recordAudit(db, { ...audit, action: "auth.login", summary: `${user.displayName} 登录` });
  return { ok: true, userId: user.id, setCookie: lucia.createSessionCookie(session.id).serialize() };
}
