import { isUniqueViolation, type Tx } from "~/db.server";

/**
 * Sign-in attempt counters per key (`user:<name>`, `ip:<address>`), ADR 003 and 015. An attempt is
 * counted *before* its password is checked, by single conditional statements, so however many
 * guesses arrive at once at most `max` of them per window are ever checked.
 */

export interface AttemptSlot {
  granted: boolean;
  /** Attempts counted in the window, this one included when granted. */
  count: number;
  /** When refused: until when the key stays locked. */
  lockedUntil: Date | null;
}

const notLocked = (now: Date) => ({ OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] });

/** Counts one attempt for `key` if fewer than `max` were counted in the window and it is not locked. */
export async function reserveAttempt(
  tx: Tx,
  key: string,
  max: number,
  windowMs: number,
  now: Date,
): Promise<AttemptSlot> {
  try {
    await tx.loginThrottle.create({ data: { key, failures: 1, windowStart: now, lockedUntil: null } });
    return { granted: true, count: 1, lockedUntil: null };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const windowOpen = new Date(now.getTime() - windowMs);
  const reset = await tx.loginThrottle.updateMany({
    where: { key, windowStart: { lt: windowOpen }, ...notLocked(now) },
    data: { failures: 1, windowStart: now, lockedUntil: null },
  });
  if (reset.count === 1) return { granted: true, count: 1, lockedUntil: null };
  const counted = await tx.loginThrottle.updateMany({
    where: { key, failures: { lt: max }, ...notLocked(now) },
    data: { failures: { increment: 1 } },
  });
  const row = await tx.loginThrottle.findUnique({
    where: { key },
    select: { failures: true, windowStart: true, lockedUntil: true },
  });
  if (counted.count === 1) return { granted: true, count: row?.failures ?? 1, lockedUntil: null };
  const until =
    row?.lockedUntil && row.lockedUntil > now
      ? row.lockedUntil
      : new Date((row?.windowStart ?? now).getTime() + windowMs);
  return { granted: false, count: row?.failures ?? max, lockedUntil: until };
}

/** After a failed check: once `max` attempts are counted the key is locked for `lockMs`. Returns the lock, if any. */
export async function lockIfExhausted(
  tx: Tx,
  key: string,
  max: number,
  lockMs: number,
  now: Date,
): Promise<Date | null> {
  const until = new Date(now.getTime() + lockMs);
  const locked = await tx.loginThrottle.updateMany({
    where: { key, failures: { gte: max }, lockedUntil: null },
    data: { lockedUntil: until },
  });
  return locked.count > 0 ? until : null;
}

/** A successful sign-in gives its attempt back (an office behind one address is not locked by its own sign-ins). */
export async function releaseAttempt(tx: Tx, key: string): Promise<void> {
  await tx.loginThrottle.updateMany({
    where: { key, failures: { gt: 0 }, lockedUntil: null },
    data: { failures: { decrement: 1 } },
  });
}

export async function clearAttempts(tx: Tx, key: string): Promise<void> {
  await tx.loginThrottle.deleteMany({ where: { key } });
}
