import { parseBootstrapServers, type Endpoint } from "@fluss-edge/client/internal";

/** The cluster addresses the integration project's globalSetup provides. */
export function clusterAddresses(): { plain: string; sasl: string; plainEndpoint: Endpoint; saslEndpoint: Endpoint } {
  const plain = process.env.FLUSS_BOOTSTRAP_SERVERS;
  const sasl = process.env.FLUSS_SASL_BOOTSTRAP_SERVERS;
  if (!plain || !sasl) throw new Error("FLUSS_BOOTSTRAP_SERVERS / FLUSS_SASL_BOOTSTRAP_SERVERS unset: run in the integration project");
  return { plain, sasl, plainEndpoint: parseBootstrapServers(plain)[0]!, saslEndpoint: parseBootstrapServers(sasl)[0]! };
}
