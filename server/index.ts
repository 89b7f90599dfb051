/**
 * Composition root. `npm run build` bundles it into build/server/index.js (scripts/build-server.ts, ADR 030) next
 * to the Remix build, and `npm start` runs that: `node --enable-source-maps build/server/index.js`.
 * SIGTERM/SIGINT shut down gracefully and exit 0.
 */
import { getEnv } from "../app/env.server";
import { createConsultServer } from "./app";

const env = getEnv();
const server = await createConsultServer();
const port = await server.listen(env.PORT, env.HOST).catch(async (err: NodeJS.ErrnoException) => {
  // A taken or forbidden port is a setup problem: say which, without a stack trace.
  if (err.code === "EADDRINUSE" || err.code === "EACCES") {
    console.error(
      `Cannot listen on ${env.HOST}:${env.PORT} (${err.code === "EADDRINUSE" ? "already in use, is Consult already running?" : "permission denied"}). Set PORT to another port.`,
    );
    await server.close().catch(() => undefined);
    process.exit(1);
  }
  throw err;
});
console.log(
  `会商协同 Consult listening on http://localhost:${port} (${env.DATABASE_URL.startsWith("file:") ? "SQLite" : "PostgreSQL"})`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  try {
    await server.close();
    process.exit(0);
  } catch (err) {
    console.error("shutdown failed", err);
    process.exit(1);
  }
}
// One stray rejection must not take down a process holding other people's unsaved edits.
process.on("unhandledRejection", (reason) => console.error("unhandled rejection", reason));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));

// The pages are served a moment after listening, once the Remix build has loaded (ADR 030); a build that
// cannot be loaded ends the process.
await server.ready.catch(async (err: unknown) => {
  console.error(`Cannot load the Remix build (build/index.js, made by npm run build): ${String(err)}`);
  stopping = true;
  await server.close().catch(() => undefined);
  process.exit(1);
});
