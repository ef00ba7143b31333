import type { Schema as ArrowSchema } from "apache-arrow";
import { FlussError } from "../errors/index.js";
import { Schema, type TableInfo, type TablePath } from "../metadata/index.js";
import { ApiKey } from "../wire/api-keys.js";
import type { ClusterClient } from "./cluster-client.js";
import { SettledOnce } from "./settled-once.js";

/** A schema of the table, with its Arrow form (how log batches written with it are laid out). */
export interface KnownSchema {
  readonly schemaId: number;
  readonly schema: Schema;
  readonly arrow: ArrowSchema;
}

/**
 * The schemas of one table by id, as the Java client's `ClientSchemaGetter`:
 * every log batch names the schema it was written with, and a table whose
 * columns were changed (`alterTable`) holds batches of several. The handle's
 * own schema is known from the start; others are asked for (GetTableSchema)
 * when a batch first names them, once each, and kept: a schema id never
 * changes meaning. A failed question is forgotten, so the next batch asks
 * again.
 */
export class TableSchemas {
  readonly #cluster: ClusterClient;
  readonly #info: TableInfo;
  readonly #byId = new SettledOnce<number, KnownSchema>();

  constructor(cluster: ClusterClient, info: TableInfo) {
    this.#cluster = cluster;
    this.#info = info;
    this.#byId.set(info.schemaId, { schemaId: info.schemaId, schema: info.schema, arrow: info.schema.toArrow() });
  }

  get(schemaId: number): Promise<KnownSchema> {
    return this.#byId.get(schemaId, (id) => this.#ask(id));
  }

  async #ask(schemaId: number): Promise<KnownSchema> {
    const answer = await requestTableSchema(this.#cluster, this.#info.tablePath, schemaId);
    if (answer.schemaId !== schemaId) {
      throw FlussError.client(`asked for schema ${schemaId} of ${this.#info.tablePath}, the server answered with schema ${answer.schemaId}`);
    }
    return { schemaId, schema: answer.schema, arrow: answer.schema.toArrow() };
  }
}

/**
 * One GetTableSchema: the table's schema of `schemaId`, or its latest when
 * none is given, with the id the server answered for (what
 * `FlussAdmin.getTableSchema` returns, and how {@link TableSchemas} learns
 * the schemas batches name).
 */
export async function requestTableSchema(
  cluster: ClusterClient,
  tablePath: TablePath,
  schemaId?: number,
): Promise<{ schemaId: number; schema: Schema }> {
  const { databaseName, tableName } = tablePath;
  const response = await cluster.callCoordinator(ApiKey.GET_TABLE_SCHEMA, {
    tablePath: { databaseName, tableName },
    ...(schemaId === undefined ? {} : { schemaId }),
  });
  return { schemaId: response.schemaId, schema: Schema.fromJsonBytes(response.schemaJson) };
}
