import { ErrorCode } from "@fluss-edge/client/wire";
import { describe, expect, it } from "vitest";
import { GatewayMetrics, Histogram, labelText } from "../../src/metrics.js";

describe("Prometheus text", () => {
  it("renders counters, gauges, errors by code with names, and HELP/TYPE once per metric", () => {
    const metrics = new GatewayMetrics();
    metrics.websocketsOpen = 2;
    metrics.framesIn = 10;
    metrics.bytesOut = 1234;
    metrics.countError(ErrorCode.AUTHORIZATION_EXCEPTION);
    metrics.countError(ErrorCode.AUTHORIZATION_EXCEPTION);
    metrics.countError(ErrorCode.REQUEST_TIME_OUT);
    metrics.countRejectedUpgrade("origin");
    metrics.bindGauges({ clusterSessions: () => 3, requestsInFlight: () => 4, clusterReady: () => true });
    const text = metrics.render();
    const lines = text.split("\n");
    expect(text.endsWith("\n")).toBe(true);
    expect(lines).toContain("fluss_gateway_websocket_connections 2");
    expect(lines).toContain('fluss_gateway_frames_total{direction="in"} 10');
    expect(lines).toContain('fluss_gateway_bytes_total{direction="out"} 1234');
    expect(lines).toContain('fluss_gateway_errors_total{code="25",name="REQUEST_TIME_OUT"} 1');
    expect(lines).toContain('fluss_gateway_errors_total{code="48",name="AUTHORIZATION_EXCEPTION"} 2');
    expect(lines).toContain('fluss_gateway_upgrades_rejected_total{reason="origin"} 1');
    expect(lines).toContain("fluss_gateway_cluster_sessions 3");
    expect(lines).toContain("fluss_gateway_requests_in_flight 4");
    expect(lines).toContain("fluss_gateway_cluster_ready 1");
    expect(lines.some((l) => /^process_resident_memory_bytes \d+$/.test(l))).toBe(true);
    // Every sample line belongs to a metric declared just before with # TYPE.
    const declared = new Set(lines.filter((l) => l.startsWith("# TYPE ")).map((l) => l.split(" ")[2]));
    for (const line of lines.filter((l) => l !== "" && !l.startsWith("#"))) {
      const name = line.split(/[{ ]/)[0]!.replace(/_(bucket|sum|count)$/, "");
      expect(declared.has(name) || declared.has(line.split(/[{ ]/)[0]!), line).toBe(true);
    }
    expect(lines.filter((l) => l === "# TYPE fluss_gateway_errors_total counter")).toHaveLength(1);
  });

  it("renders histograms with cumulative buckets, +Inf, sum and count", () => {
    const histogram = new Histogram([0.01, 0.1, 1]);
    for (const value of [0.005, 0.01, 0.05, 0.5, 2]) histogram.observe(value);
    expect(histogram.render("x_seconds", { api: "GET_METADATA" })).toEqual([
      'x_seconds_bucket{api="GET_METADATA",le="0.01"} 2',
      'x_seconds_bucket{api="GET_METADATA",le="0.1"} 3',
      'x_seconds_bucket{api="GET_METADATA",le="1"} 4',
      'x_seconds_bucket{api="GET_METADATA",le="+Inf"} 5',
      'x_seconds_sum{api="GET_METADATA"} 2.565',
      'x_seconds_count{api="GET_METADATA"} 5',
    ]);
  });

  it("labels latency per api and escapes label values", () => {
    const metrics = new GatewayMetrics();
    metrics.observeLatency("LIST_DATABASES", 0.002);
    metrics.observeLatency("LIST_DATABASES", 0.004);
    expect(metrics.render()).toContain('fluss_gateway_relay_latency_seconds_count{api="LIST_DATABASES"} 2');
    expect(labelText({ a: 'say "hi"\\\n' })).toBe('{a="say \\"hi\\"\\\\\\n"}');
    expect(labelText({})).toBe("");
  });
});
