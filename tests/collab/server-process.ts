/**
 * The real server in a child process, for tests that kill it (kill -9) or restart it.
 * Env: DATABASE_URL, PORT. Prints "READY <port>" when listening.
 */
import { createConsultServer } from "../../server/app";

const server = await createConsultServer({ log: () => undefined });
const port = await server.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
await server.ready;
process.stdout.write(`READY ${port}\n`);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
