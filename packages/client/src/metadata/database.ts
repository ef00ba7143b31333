import { FlussError } from "../errors/index.js";
import { asObject, checkStringMap, decodeJson, encodeJson, optString, stringMap } from "./json-util.js";
import { toSafeNumber } from "./numbers.js";

/** Options of {@link DatabaseDescriptor}. */
export interface DatabaseDescriptorOptions {
  comment?: string;
  customProperties?: Readonly<Record<string, string>>;
}

/** A database as `DatabaseDescriptorJsonSerde` writes it (`database_json`). */
export interface DatabaseDescriptorJson {
  version: number;
  comment?: string;
  custom_properties: Record<string, string>;
}

/**
 * What describes a database: an optional comment and custom properties.
 *
 * @example
 * await admin.createDatabase("shop", new DatabaseDescriptor({ comment: "orders and customers" }));
 */
export class DatabaseDescriptor {
  readonly comment: string | undefined;
  readonly #customProperties: Record<string, string>;

  constructor(options: DatabaseDescriptorOptions = {}) {
    if (options.comment !== undefined && typeof options.comment !== "string") {
      throw FlussError.client("Database comment must be a string.");
    }
    this.comment = options.comment;
    this.#customProperties = checkStringMap(options.customProperties, "Custom property");
  }

  /** A copy of the custom properties (pyfluss's `get_custom_properties()`). */
  getCustomProperties(): Record<string, string> {
    return { ...this.#customProperties };
  }

  /** The `database_json` object for CreateDatabase (same keys and order as Java). */
  toJson(): DatabaseDescriptorJson {
    return {
      version: 1,
      ...(this.comment === undefined ? {} : { comment: this.comment }),
      custom_properties: { ...this.#customProperties },
    };
  }

  /** UTF-8 `database_json` bytes. */
  toJsonBytes(): Uint8Array {
    return encodeJson(this.toJson());
  }

  /** Reads a parsed `database_json` object; absent members are treated as empty. */
  static fromJson(json: unknown, path = "database_json"): DatabaseDescriptor {
    const node = asObject(json, path);
    const comment = optString(node, "comment", path);
    const customProperties = stringMap(node, "custom_properties", path);
    return new DatabaseDescriptor(comment === undefined ? { customProperties } : { comment, customProperties });
  }

  /** Reads `database_json` bytes (or text). */
  static fromJsonBytes(bytes: Uint8Array | string): DatabaseDescriptor {
    return DatabaseDescriptor.fromJson(decodeJson(bytes, "database_json"));
  }
}

/** A database as GetDatabaseInfo returns it. Times are ms since the epoch. */
export class DatabaseInfo {
  readonly databaseName: string;
  readonly createdTime: number;
  readonly modifiedTime: number;
  readonly #descriptor: DatabaseDescriptor;

  constructor(
    databaseName: string,
    descriptor: DatabaseDescriptor,
    createdTime: number | bigint,
    modifiedTime: number | bigint,
  ) {
    if (!(descriptor instanceof DatabaseDescriptor)) throw FlussError.client("DatabaseInfo needs a DatabaseDescriptor.");
    this.databaseName = databaseName;
    this.#descriptor = descriptor;
    this.createdTime = toSafeNumber(createdTime, "Created time");
    this.modifiedTime = toSafeNumber(modifiedTime, "Modified time");
  }

  /** Builds a DatabaseInfo from the fields of a GetDatabaseInfo response (`database_json` as bytes or text). */
  static fromResponse(
    databaseName: string,
    databaseJson: Uint8Array | string,
    createdTime: number | bigint,
    modifiedTime: number | bigint,
  ): DatabaseInfo {
    return new DatabaseInfo(databaseName, DatabaseDescriptor.fromJsonBytes(databaseJson), createdTime, modifiedTime);
  }

  /** The database descriptor. */
  getDatabaseDescriptor(): DatabaseDescriptor {
    return this.#descriptor;
  }

  /** The database comment, if any. */
  get comment(): string | undefined {
    return this.#descriptor.comment;
  }

  /** A copy of the custom properties. */
  get customProperties(): Record<string, string> {
    return this.#descriptor.getCustomProperties();
  }
}
