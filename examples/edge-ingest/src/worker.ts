/**
 * The ingest function as a Cloudflare Worker (also runs in workerd). Its
 * settings come from the worker's bindings: FLUSS_GATEWAY_URL,
 * FLUSS_GATEWAY_TOKEN (a secret, optional) and FLUSS_TABLE ("db.table").
 */
import { handleIngest } from "./ingest.js";

interface Env {
  FLUSS_GATEWAY_URL: string;
  FLUSS_GATEWAY_TOKEN?: string;
  FLUSS_TABLE: string;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    return handleIngest(request, { gatewayUrl: env.FLUSS_GATEWAY_URL, gatewayToken: env.FLUSS_GATEWAY_TOKEN, table: env.FLUSS_TABLE });
  },
};
