import { FlussError } from "../errors/index.js";
import { toInt32 } from "./numbers.js";

/** Kind of Fluss server, named as pyfluss's `ServerNode.server_type`. */
export type ServerType = "CoordinatorServer" | "TabletServer";

/**
 * A server of the cluster. `uid` is `cs-<id>` for the coordinator and
 * `ts-<id>` for tablet servers (Java's `ServerNode.uid()`), since a
 * coordinator and a tablet server may share the same numeric id.
 */
export class ServerNode {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly serverType: ServerType;
  /** Rack of a tablet server, when configured. */
  readonly rack: string | undefined;

  constructor(id: number, host: string, port: number, serverType: ServerType, rack?: string) {
    if (serverType !== "CoordinatorServer" && serverType !== "TabletServer") {
      throw FlussError.client(`Unknown server type ${String(serverType)}.`);
    }
    if (typeof host !== "string" || host === "") throw FlussError.client(`Host of server ${id} must be a non-empty string.`);
    this.id = toInt32(id, "Server id");
    this.host = host;
    this.port = toInt32(port, `Port of server ${id}`);
    if (this.port < 0 || this.port > 65535) throw FlussError.client(`Port of server ${id} must be 0–65535, got ${port}.`);
    this.serverType = serverType;
    this.rack = rack;
  }

  /** `cs-<id>` or `ts-<id>`. */
  get uid(): string {
    return `${this.serverType === "CoordinatorServer" ? "cs" : "ts"}-${this.id}`;
  }

  /** `host:port`. */
  address(): string {
    // IPv6 literals need brackets to be usable as an address.
    return this.host.includes(":") ? `[${this.host}]:${this.port}` : `${this.host}:${this.port}`;
  }

  /** Same id, host, port, type and rack. */
  equals(other: unknown): boolean {
    return (
      other instanceof ServerNode &&
      other.id === this.id &&
      other.host === this.host &&
      other.port === this.port &&
      other.serverType === this.serverType &&
      other.rack === this.rack
    );
  }

  /** `host:port (id: ts-1, rack: r1)`, as Java. */
  toString(): string {
    return `${this.host}:${this.port} (id: ${this.uid}, rack: ${this.rack ?? "null"})`;
  }
}
