import { disconnectDb, getDb, isUniqueViolation, type Tx } from "~/db.server";

/**
 * The only door from the upper layers to the database (ADR 016): services take a handle here and
 * pass it to model functions, or group model calls in one transaction. They never query through it
 * themselves — `npm run lint` refuses Prisma calls outside app/models.
 */
export type { Tx };

/** The handle model functions take outside a transaction. */
export function database(): Tx {
  return getDb();
}

/**
 * Runs model calls in one transaction (the audit row and the change commit together). `timeoutMs` raises
 * Prisma's 5 s limit for a bulk write (the search index's rebuild), never for a request's work.
 */
export function transaction<T>(work: (tx: Tx) => Promise<T>, opts: { timeoutMs?: number } = {}): Promise<T> {
  return opts.timeoutMs ? getDb().$transaction(work, { timeout: opts.timeoutMs }) : getDb().$transaction(work);
}

/** A unique constraint refused the write (e.g. a 文号 or a user name taken meanwhile). */
export { isUniqueViolation };

/** Closes the database connections (the composition root, at shutdown). */
export { disconnectDb };
