import type { Schema } from "./schema.js";

/**
 * A schema of a table and its id (FlussAdmin.getTableSchema), as the Java
 * client's `SchemaInfo`. A table's schema id grows by one with every change
 * of its columns; each log batch names the schema id it was written with.
 */
export class SchemaInfo {
  constructor(
    readonly schema: Schema,
    readonly schemaId: number,
  ) {}

  toString(): string {
    return `SchemaInfo(schemaId=${this.schemaId}, columns=[${this.schema.columns.map(String).join(", ")}])`;
  }
}
