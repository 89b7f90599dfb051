/** Consult's server for the benchmark, in its own process (DATABASE_URL, PORT from env). */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createConsultServer } from "../../server/app";

const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();
const server = await createConsultServer({ log: () => undefined });
const port = await server.listen(Number(process.env.PORT ?? 0), "127.0.0.1");
await server.ready;
process.stdout.write(`READY ${port}\n`);
process.on("SIGTERM", () => {
  if (process.env.BENCH_ELD)
    process.stderr.write(
      `event-loop delay p50=${(eld.percentile(50) / 1e6).toFixed(1)}ms p99=${(eld.percentile(99) / 1e6).toFixed(1)}ms max=${(eld.max / 1e6).toFixed(1)}ms\n`,
    );
  void server.close().then(() => process.exit(0));
});
