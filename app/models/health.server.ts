import { getDb } from "~/db.server";

/** Resolves when the database answers a trivial query (`/healthz`); rejects when it cannot. */
export async function pingDatabase(): Promise<void> {
  await getDb().$queryRawUnsafe("SELECT 1");
}
