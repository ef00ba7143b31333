/**
 * The ingest function on Deno (Deno Deploy, or `deno run --allow-net --allow-env`): settings from
 * the environment (FLUSS_GATEWAY_URL, FLUSS_GATEWAY_TOKEN, FLUSS_TABLE; HOST and PORT for where it
 * listens, default 0.0.0.0:8000; PORT=0 picks a free port).
 */
import { handleIngest, type IngestSettings } from "./ingest.js";

/** The part of Deno's global used here (this workspace has no Deno types). */
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): unknown;
};

function required(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const settings: IngestSettings = {
  gatewayUrl: required("FLUSS_GATEWAY_URL"),
  gatewayToken: Deno.env.get("FLUSS_GATEWAY_TOKEN"),
  table: required("FLUSS_TABLE"),
};

Deno.serve(
  {
    hostname: Deno.env.get("HOST") ?? "0.0.0.0",
    port: Number(Deno.env.get("PORT") ?? "8000"),
    onListen: ({ hostname, port }) => console.log(`listening on http://${hostname}:${port}/events`),
  },
  (request) => handleIngest(request, settings),
);
