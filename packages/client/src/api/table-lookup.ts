import type { ClusterClient } from "../client/cluster-client.js";
import type { LookupClient } from "../client/lookup/lookup-client.js";
import type { TableSchemas } from "../client/table-schemas.js";
import type { TableInfo } from "../metadata/index.js";
import { Lookuper } from "./lookuper.js";

/** Looks up a primary-key table (`table.newLookup()`): `createLookuper()` makes the lookuper. */
export class TableLookup {
  readonly #cluster: ClusterClient;
  readonly #info: TableInfo;
  readonly #client: LookupClient;
  readonly #schemas: TableSchemas;

  /** @internal Made by {@link FlussTable.newLookup}. */
  constructor(cluster: ClusterClient, info: TableInfo, client: LookupClient, schemas: TableSchemas) {
    this.#cluster = cluster;
    this.#info = info;
    this.#client = client;
    this.#schemas = schemas;
  }

  /** A lookuper by primary key, with the connection's `lookup.*` settings. */
  createLookuper(): Lookuper {
    return new Lookuper(this.#cluster, this.#info, this.#client, this.#schemas);
  }
}
