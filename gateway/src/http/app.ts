import { Hono } from "hono";
import type { ClusterDirectory } from "../cluster/cluster-directory.js";
import type { GatewayMetrics } from "../metrics.js";
import { WEBSOCKET_PATH } from "./upgrade.js";

export interface HttpAppDeps {
  directory: ClusterDirectory;
  metrics: GatewayMetrics;
}

/**
 * The plain HTTP side of the gateway:
 * - `GET /healthz`: the process is up (liveness);
 * - `GET /readyz`: the cluster answered a GetMetadata recently (readiness); when the last answer is
 *   stale it asks again (rate-limited) before answering;
 * - `GET /metrics`: Prometheus text.
 * The WebSocket endpoint itself is served by the upgrade listener; a plain GET there gets 426.
 */
export function createHttpApp(deps: HttpAppDeps): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const { directory } = deps;
    await directory.refreshIfStale();
    const ready = directory.isReady();
    const body: Record<string, unknown> = { ready, metadataAgeMs: directory.metadataAgeMs() ?? null };
    if (!ready && directory.lastError) body.error = directory.lastError.errorCodeName;
    return c.json(body, ready ? 200 : 503);
  });
  app.get("/metrics", (c) =>
    c.text(deps.metrics.render(), 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" }),
  );
  app.get(WEBSOCKET_PATH, (c) => c.text("this endpoint speaks WebSocket (subprotocol fluss-edge.v1)\n", 426));
  app.notFound((c) => c.text("not found\n", 404));
  return app;
}
