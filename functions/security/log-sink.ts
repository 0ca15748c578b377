/**
 * The one place every log line of the app goes through: `services.log` events and the lines handlers write to their
 * InvocationContext (the local host's context log handler, and in Azure `withSafeLogs` around each handler).
 *
 * The first rule stays "log ids and counts, never personal data". The sink is the safety net behind it: whatever
 * reaches it is redacted before it is written — bearer tokens and anything shaped like a JWT, e-mail addresses,
 * IBANs and Authorization headers — so one careless `context.log(error.message)` cannot leak a session or an
 * employee's contact into Application Insights.
 */
import type { InvocationContext } from "@azure/functions";

export type LogFields = Record<string, string | number | boolean>;

export interface LogSink {
  /** Structured event (services.log). */
  event(name: string, fields?: LogFields): void;
  /** A free text line (InvocationContext logs, host messages). */
  line(text: string, level?: "information" | "warning" | "error"): void;
}

const REDACTIONS: [RegExp, string][] = [
  // JWS/JWT compact form: base64url header starting with {" = eyJ, then two more segments.
  [/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*)?/g, "[jeton masqué]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [jeton masqué]"],
  [/("?authorization"?\s*[:=]\s*"?)[^",}\s]+/gi, "$1[masqué]"],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[adresse masquée]"],
  // IBAN: country, check digits, 11 to 30 alphanumerics, optionally in groups of four.
  [/\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g, "[IBAN masqué]"],
  // A value this app encrypted must never be logged either (it names the key and helps offline attacks).
  [/enc:v1:[A-Za-z0-9_.:-]+/g, "[donnée chiffrée]"],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
  return out;
}

export interface LogSinkOptions {
  /** Where redacted lines go (default: console.log / console.error, which the Functions host collects). */
  write?: (line: string, level: "information" | "warning" | "error") => void;
  now?: () => Date;
}

export function createLogSink(options: LogSinkOptions = {}): LogSink {
  const write = options.write ?? ((line: string, level: "information" | "warning" | "error") => (level === "error" ? console.error(line) : console.log(line)));
  const now = options.now ?? (() => new Date());
  return {
    event(name, fields = {}) {
      write(redact(JSON.stringify({ at: now().toISOString(), event: name, ...fields })), "information");
    },
    line(text, level = "information") {
      write(redact(text), level);
    },
  };
}

/** Formats InvocationContext log arguments the way the host does, then sends them through the sink. */
export function contextLogHandler(sink: LogSink, functionName: string) {
  return (level: string, ...args: unknown[]): void => {
    const text = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === "string" ? a : safeJson(a))).join(" ");
    sink.line(`[${functionName}] ${level}: ${text}`, level === "error" || level === "critical" ? "error" : level === "warning" ? "warning" : "information");
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * For the Azure registration (functions/index.ts): gives the handler a context whose log/warn/error go through the
 * sink instead of straight to the host.
 */
export function withSafeLogs<T, R>(sink: LogSink, handler: (input: T, context: InvocationContext) => Promise<R>) {
  return (input: T, context: InvocationContext): Promise<R> => {
    const handle = contextLogHandler(sink, context.functionName);
    // A child of the real context: trigger metadata, ids and options are inherited, only the log methods differ.
    const safe = Object.create(context) as InvocationContext;
    const levels = { log: "information", trace: "trace", debug: "debug", info: "information", warn: "warning", error: "error" } as const;
    for (const [method, level] of Object.entries(levels)) {
      Object.defineProperty(safe, method, { value: (...a: unknown[]) => handle(level, ...a) });
    }
    return handler(input, safe);
  };
}
