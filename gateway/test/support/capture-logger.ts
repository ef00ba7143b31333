import type { GatewayLogger, LogFields } from "../../src/logger.js";

/** A logger that keeps every entry, for asserting what the gateway logs (and what it never logs). */
export class CaptureLogger implements GatewayLogger {
  readonly entries: { level: string; message: string; fields: LogFields | undefined }[] = [];
  debug = (message: string, fields?: LogFields) => void this.entries.push({ level: "debug", message, fields });
  info = (message: string, fields?: LogFields) => void this.entries.push({ level: "info", message, fields });
  warn = (message: string, fields?: LogFields) => void this.entries.push({ level: "warn", message, fields });
  error = (message: string, fields?: LogFields) => void this.entries.push({ level: "error", message, fields });

  /** Everything logged, as one string (to search for secrets). */
  text(): string {
    return this.entries.map((e) => `${e.level} ${e.message} ${JSON.stringify(e.fields ?? {})}`).join("\n");
  }
}
