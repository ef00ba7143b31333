import { ApiKey, EnvelopeType } from "@fluss-edge/client/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger, startGateway, type RunningGateway } from "../../gateway/src/index.js";
import { clusterAddresses } from "../../gateway/test/support/endpoints.js";
import { sample, scrape } from "../../gateway/test/support/http.js";
import { decodeResponse, errorOfResponse, RawCaller } from "../../gateway/test/support/raw-client.js";

const { plain, plainEndpoint } = clusterAddresses();
const POOL_SIZE = 2;
let gateway: RunningGateway;

beforeAll(async () => {
  gateway = await startGateway({ bootstrapServers: plain, port: 0, poolSize: POOL_SIZE, logger: silentLogger });
});
afterAll(async () => {
  await gateway.close();
});

describe("many callers over a small pool", () => {
  it("maps every response back to its caller and its own request id", async () => {
    const CALLERS = 24;
    const REQUESTS = 12;
    const callers = await Promise.all(Array.from({ length: CALLERS }, () => RawCaller.open(gateway.url).then((o) => o.caller)));
    // Every caller uses the same ids 0..REQUESTS-1, so ids collide across callers on the shared TCP
    // sessions; what each request asks depends on the caller, so a response delivered to the wrong
    // caller (or under the wrong id) would carry the wrong answer.
    const asksExisting = (caller: number, id: number) => (caller + id) % 3 !== 0;
    const results = await Promise.all(
      callers.map((caller, c) =>
        Promise.all(
          Array.from({ length: REQUESTS }, (_, id) =>
            asksExisting(c, id)
              ? caller.send(plainEndpoint, ApiKey.GET_DATABASE_INFO, id, { databaseName: "fluss" })
              : caller.send(plainEndpoint, ApiKey.GET_DATABASE_INFO, id, { databaseName: `missing_${c}_${id}` }),
          ),
        ),
      ),
    );
    results.forEach((answers, c) =>
      answers.forEach((answer, id) => {
        expect(answer.type).toBe(EnvelopeType.RESPONSE);
        if (asksExisting(c, id)) {
          expect(decodeResponse(ApiKey.GET_DATABASE_INFO, id, answer).createdTime).toBeGreaterThan(0n);
        } else {
          const error = errorOfResponse(answer, id);
          expect(error.message).toContain(`missing_${c}_${id}`);
        }
      }),
    );
    const metrics = await scrape(gateway.port);
    // All of that went over exactly POOL_SIZE sessions to the one server (callers spread, then pinned).
    expect(sample(metrics, "fluss_gateway_cluster_sessions")).toBe(POOL_SIZE);
    expect(sample(metrics, "fluss_gateway_websocket_connections")).toBe(CALLERS);
    await Promise.all(callers.map((caller) => caller.close()));
  });

  it("keeps serving a caller whose neighbours on the same session left mid-request", async () => {
    const leaving = await Promise.all(Array.from({ length: 5 }, () => RawCaller.open(gateway.url).then((o) => o.caller)));
    const { caller: staying } = await RawCaller.open(gateway.url);
    for (const [i, caller] of leaving.entries()) {
      void caller.send(plainEndpoint, ApiKey.LIST_DATABASES, i, {});
      caller.ws.terminate();
    }
    const answers = await Promise.all(Array.from({ length: 10 }, (_, id) => staying.call(plainEndpoint, ApiKey.LIST_DATABASES, id, {})));
    for (const answer of answers) expect(answer.databaseName).toContain("fluss");
    await staying.close();
  });
});
