import type { CollabExtension } from "./types";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/** Connection lifecycle and refusals, one line each. */
export function logger(options: { level?: LogLevel; write?: (line: string) => void } = {}): CollabExtension {
  const level = options.level ?? "info";
  const write = options.write ?? ((line: string) => console.log(line));
  const log = (l: LogLevel, msg: string) => {
    if (order[l] >= order[level]) write(`[collab] ${msg}`);
  };
  return {
    name: "logger",
    onConnect({ connection }) {
      log(
        "debug",
        `connect doc=${connection.documentId} user=${connection.identity.userId} ro=${connection.identity.readOnly} ip=${connection.ip}`,
      );
    },
    onDisconnect({ connection, document }) {
      log(
        "debug",
        `disconnect doc=${connection.documentId} user=${connection.identity.userId} remaining=${document?.connectionCount ?? 0}`,
      );
    },
    onError({ connection, code, reason, error }) {
      const detail = error instanceof Error ? `: ${error.message}` : "";
      log(
        code >= 4500 ? "error" : "warn",
        `refused code=${code} reason=${reason}${detail} doc=${connection?.documentId ?? "-"} user=${connection?.identity.userId ?? "-"}`,
      );
    },
  };
}
