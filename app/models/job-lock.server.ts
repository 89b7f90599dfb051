import { isUniqueViolation, type Tx } from "~/db.server";

/**
 * Leases on `JobLock` rows (ADR 009): a named job is run by at most one process at a time, as long
 * as that process keeps renewing its lease. A lease that was not renewed (the process died) simply
 * expires, and the next process to ask takes it over. Every step is one conditional statement, so
 * it holds across processes on SQLite and PostgreSQL alike.
 */

/**
 * Takes the lease `name` for `holder` until `now + leaseMs`: succeeds when nobody holds it, when it
 * expired, or when `holder` already holds it (a renewal). False when another holder's lease is live.
 */
export async function acquireJobLock(
  db: Tx,
  name: string,
  holder: string,
  leaseMs: number,
  now = new Date(),
): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + leaseMs);
  // One conditional UPDATE: two processes racing for an expired lease cannot both match it.
  const taken = await db.jobLock.updateMany({
    where: { name, OR: [{ holder }, { expiresAt: { lte: now } }] },
    data: { holder, expiresAt },
  });
  if (taken.count > 0) return true;
  try {
    await db.jobLock.create({ data: { name, holder, expiresAt }, select: { name: true } });
    return true;
  } catch (err) {
    // The row exists and is another holder's live lease (or someone created it just now).
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/** Extends `holder`'s lease; false when it was lost (expired and taken by another holder). */
export async function renewJobLock(
  db: Tx,
  name: string,
  holder: string,
  leaseMs: number,
  now = new Date(),
): Promise<boolean> {
  const res = await db.jobLock.updateMany({
    where: { name, holder },
    data: { expiresAt: new Date(now.getTime() + leaseMs) },
  });
  return res.count > 0;
}

/** Gives the lease back (only `holder`'s own), so the next run anywhere need not wait for it to expire. */
export async function releaseJobLock(db: Tx, name: string, holder: string): Promise<void> {
  await db.jobLock.deleteMany({ where: { name, holder } });
}

export async function getJobLock(db: Tx, name: string): Promise<{ holder: string; expiresAt: Date } | null> {
  return db.jobLock.findUnique({ where: { name }, select: { holder: true, expiresAt: true } });
}
