/**
 * workerd entry (ES module worker): `GET /run?scenario=…&target=…&database=…&compression=…`
 * runs one scenario and answers `{"result": …}` or `{"thrown": …}` as JSON.
 */
import { failure, runScenario } from "./run-scenario.js";

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "GET" || url.pathname !== "/run") return new Response("not found", { status: 404 });
    const q = (name: string): string => url.searchParams.get(name) ?? "";
    let body: unknown;
    try {
      const result = await runScenario({ scenario: q("scenario"), target: q("target"), database: q("database"), compression: q("compression") });
      body = { result };
    } catch (error) {
      body = failure(error);
    }
    return new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  },
};
