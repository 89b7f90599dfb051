import { z } from "zod";

/** Environment, validated once at start-up: a wrong value fails fast with a readable message. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "DATABASE_URL must be file:… (SQLite) or postgresql://…")
    .default("file:./data/consult.db"),
  /**
   * The public origin of the site (e.g. https://huishang.example.gov.cn): every absolute link (Atom
   * feed, .ics invitations, notifications) is built from it, never from a request's Host header.
   * Required in production; the demo and tests fall back to the request's origin.
   */
  PUBLIC_URL: z
    .string()
    .url("PUBLIC_URL must be an absolute http(s) URL such as https://consult.example.gov.cn")
    .regex(/^https?:\/\//, "PUBLIC_URL must start with http:// or https://")
    .transform((v) => new URL(v).origin)
    .optional(),
  /** `npm run demo`: plain-HTTP demo mode (the only production-mode run without PUBLIC_URL). */
  CONSULT_DEMO: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Public origin(s) allowed for mutating requests, comma-separated; the request's own Host is always allowed. */
  ALLOWED_ORIGINS: z.string().default(""),
  /** Session lifetime in hours (sliding: refreshed when half of it has passed). */
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  /** Set cookies with Secure (default: on in production). */
  COOKIE_SECURE: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  /** Live connections (collab, socket.io) re-check their session and access this often (ADR 015). */
  ACCESS_RECHECK_SECONDS: z.coerce.number().positive().max(3600).default(60),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
  /** First failure delays the answer this long; it doubles per failure, capped at 2 s. */
  LOGIN_SLOWDOWN_MS: z.coerce.number().int().min(0).default(250),
  LOGIN_IP_MAX_FAILURES: z.coerce.number().int().min(1).default(30),
  /** Behind a reverse proxy: trust X-Forwarded-For for the client IP. */
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Automatic versions: after this many seconds without a change, and at least every VERSION_MAX_MINUTES of editing. */
  VERSION_IDLE_SECONDS: z.coerce.number().positive().default(120),
  VERSION_MAX_MINUTES: z.coerce.number().positive().default(10),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Deadline reminders (ADR 009): run the scheduler in this process (default: on, off under NODE_ENV=test). */
  REMINDERS_ENABLED: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "true")),
  /** Seconds between two reminder scans. */
  REMINDER_INTERVAL_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
  /** 临期提醒: this many days before the due date (0 turns it off). */
  REMINDER_DUE_SOON_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  /** 临期提醒 of a recommendation's written reply: this many days before its reply deadline (0 turns it off). */
  REPLY_DUE_SOON_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /** 红牌: escalate once an item (or a reply) is this many days overdue. */
  ESCALATION_RED_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Scale-out mode (ADR 012): Redis shared by all app processes, e.g. redis://127.0.0.1:6390. Unset: one process. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "REDIS_URL must be redis://… or rediss://…")
    .optional(),
  /** A name for this process in logs and /healthz (default: host:pid). */
  INSTANCE_NAME: z.string().max(64).optional(),
  /** Edits held in memory while the database cannot take them, per process, before new ones are refused (4503). */
  COLLAB_MAX_PENDING_MB: z.coerce.number().positive().max(1024).default(16),
  /** Data-exchange API (ADR 027): requests per minute per token (a token bucket of this size, in memory). */
  API_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  if (parsed.data.NODE_ENV === "production" && !parsed.data.PUBLIC_URL && !parsed.data.CONSULT_DEMO) {
    throw new Error(
      "Invalid environment:\n  PUBLIC_URL: required in production — the public origin links are built from, e.g. https://consult.example.gov.cn",
    );
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
