/**
 * Logging for the gateway. Messages are short sentences; details go in flat
 * fields so that a log pipeline can index them. Secrets (the bearer token,
 * SASL passwords) are never passed to a logger in the first place: callers
 * of these functions log identities by name only.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** What the gateway logs through. `console` fits this shape too. */
export interface GatewayLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * One JSON object per line on stderr (stdout stays free for whatever runs the
 * gateway), with `time`, `level`, `msg` and the fields.
 */
export function jsonLogger(level: LogLevel = "info", write: (line: string) => void = (line) => process.stderr.write(line)): GatewayLogger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (name: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (LOG_LEVELS.indexOf(name) < threshold) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: name, msg: message, ...fields })}\n`);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/** A logger that drops everything (tests). */
export const silentLogger: GatewayLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
