import { errorCodeName } from "@fluss-edge/client/wire";

/** Upper bounds (seconds) of the relay latency histogram. */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** A Prometheus histogram: cumulative buckets are computed when rendered, not on every observation. */
export class Histogram {
  readonly #bounds: readonly number[];
  /** counts[i] = observations in (bounds[i-1], bounds[i]]; the last slot is +Inf. */
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(bounds: readonly number[] = LATENCY_BUCKETS_SECONDS) {
    this.#bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    let i = 0;
    while (i < this.#bounds.length && value > this.#bounds[i]!) i++;
    this.#counts[i]! += 1;
    this.#sum += value;
    this.#count += 1;
  }

  /** Exposition lines for this histogram under `name` with extra `labels`. */
  render(name: string, labels: Record<string, string>): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.#bounds.length; i++) {
      cumulative += this.#counts[i]!;
      lines.push(`${name}_bucket${labelText({ ...labels, le: String(this.#bounds[i]) })} ${cumulative}`);
    }
    lines.push(`${name}_bucket${labelText({ ...labels, le: "+Inf" })} ${this.#count}`);
    lines.push(`${name}_sum${labelText(labels)} ${this.#sum}`);
    lines.push(`${name}_count${labelText(labels)} ${this.#count}`);
    return lines;
  }
}

/** Values read at scrape time from the parts of the gateway that own them. */
export interface MetricsGauges {
  /** Open TCP sessions to cluster servers (all pools). */
  clusterSessions(): number;
  /** Relayed requests waiting for their answer. */
  requestsInFlight(): number;
  /** 1 when a GetMetadata was answered recently. */
  clusterReady(): boolean;
}

/**
 * The gateway's counters, rendered in the Prometheus text exposition format
 * (version 0.0.4). Hand-written: a handful of series does not justify a
 * metrics library, and the hot path only bumps numbers.
 */
export class GatewayMetrics {
  websocketsOpen = 0;
  websocketsAccepted = 0;
  framesIn = 0;
  framesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  /** Requests refused because their target is not a server of the cluster. */
  refusedTargets = 0;
  /** Responses whose request had already timed out or whose caller had left. */
  lateResponses = 0;
  /** Callers dropped because they did not read their responses within the stall limit. */
  slowCallersDropped = 0;
  /** Fluss error responses relayed as they are (the gateway does not decode their bodies). */
  relayedErrorResponses = 0;
  readonly #upgradesRejected = new Map<string, number>();
  readonly #errors = new Map<number, number>();
  readonly #latency = new Map<string, Histogram>();
  #gauges: MetricsGauges | undefined;

  /** Connects the scrape-time gauges (the pool and the cluster directory exist after the metrics). */
  bindGauges(gauges: MetricsGauges): void {
    this.#gauges = gauges;
  }

  /** An ERROR envelope the gateway sent, by Fluss error code. */
  countError(code: number): void {
    this.#errors.set(code, (this.#errors.get(code) ?? 0) + 1);
  }

  /** An upgrade refused before it became a WebSocket, by reason (`origin`, `path`, …). */
  countRejectedUpgrade(reason: string): void {
    this.#upgradesRejected.set(reason, (this.#upgradesRejected.get(reason) ?? 0) + 1);
  }

  /** Time from a REQUEST's arrival to its RESPONSE leaving, labelled by api name. */
  observeLatency(api: string, seconds: number): void {
    let histogram = this.#latency.get(api);
    if (!histogram) {
      histogram = new Histogram();
      this.#latency.set(api, histogram);
    }
    histogram.observe(seconds);
  }

  /** The whole exposition text. */
  render(): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, samples: string[]): void => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    metric("fluss_gateway_websocket_connections", "gauge", "Open WebSocket connections.", [
      `fluss_gateway_websocket_connections ${this.websocketsOpen}`,
    ]);
    metric("fluss_gateway_websocket_connections_total", "counter", "WebSocket connections accepted.", [
      `fluss_gateway_websocket_connections_total ${this.websocketsAccepted}`,
    ]);
    metric(
      "fluss_gateway_upgrades_rejected_total",
      "counter",
      "WebSocket upgrades refused before the handshake, by reason.",
      [...this.#upgradesRejected].map(([reason, n]) => `fluss_gateway_upgrades_rejected_total${labelText({ reason })} ${n}`),
    );
    metric("fluss_gateway_frames_total", "counter", "WebSocket messages, by direction (in = from callers).", [
      `fluss_gateway_frames_total{direction="in"} ${this.framesIn}`,
      `fluss_gateway_frames_total{direction="out"} ${this.framesOut}`,
    ]);
    metric("fluss_gateway_bytes_total", "counter", "WebSocket message bytes, by direction (in = from callers).", [
      `fluss_gateway_bytes_total{direction="in"} ${this.bytesIn}`,
      `fluss_gateway_bytes_total{direction="out"} ${this.bytesOut}`,
    ]);
    metric(
      "fluss_gateway_relay_latency_seconds",
      "histogram",
      "Time from a caller's REQUEST to its RESPONSE, by Fluss api.",
      [...this.#latency].flatMap(([api, h]) => h.render("fluss_gateway_relay_latency_seconds", { api })),
    );
    metric(
      "fluss_gateway_errors_total",
      "counter",
      "ERROR envelopes sent to callers, by Fluss error code.",
      [...this.#errors]
        .sort(([a], [b]) => a - b)
        .map(([code, n]) => `fluss_gateway_errors_total${labelText({ code: String(code), name: errorCodeName(code) })} ${n}`),
    );
    metric("fluss_gateway_refused_targets_total", "counter", "Requests refused because the target is not a cluster server.", [
      `fluss_gateway_refused_targets_total ${this.refusedTargets}`,
    ]);
    metric("fluss_gateway_late_responses_total", "counter", "Cluster responses dropped because their request had ended.", [
      `fluss_gateway_late_responses_total ${this.lateResponses}`,
    ]);
    metric("fluss_gateway_slow_callers_dropped_total", "counter", "Callers dropped for not reading their responses.", [
      `fluss_gateway_slow_callers_dropped_total ${this.slowCallersDropped}`,
    ]);
    metric("fluss_gateway_relayed_error_responses_total", "counter", "Fluss error responses relayed to callers.", [
      `fluss_gateway_relayed_error_responses_total ${this.relayedErrorResponses}`,
    ]);
    const gauges = this.#gauges;
    if (gauges) {
      metric("fluss_gateway_cluster_sessions", "gauge", "Open TCP sessions to cluster servers.", [
        `fluss_gateway_cluster_sessions ${gauges.clusterSessions()}`,
      ]);
      metric("fluss_gateway_requests_in_flight", "gauge", "Relayed requests waiting for an answer.", [
        `fluss_gateway_requests_in_flight ${gauges.requestsInFlight()}`,
      ]);
      metric("fluss_gateway_cluster_ready", "gauge", "1 when the cluster answered a GetMetadata recently.", [
        `fluss_gateway_cluster_ready ${gauges.clusterReady() ? 1 : 0}`,
      ]);
    }
    const memory = process.memoryUsage();
    metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", [
      `process_resident_memory_bytes ${memory.rss}`,
    ]);
    metric("nodejs_heap_used_bytes", "gauge", "V8 heap in use, in bytes.", [`nodejs_heap_used_bytes ${memory.heapUsed}`]);
    metric("nodejs_array_buffers_bytes", "gauge", "Memory held by ArrayBuffers and Buffers, in bytes.", [
      `nodejs_array_buffers_bytes ${memory.arrayBuffers}`,
    ]);
    return `${out.join("\n")}\n`;
  }
}

/** `{a="x",b="y"}` with Prometheus escaping, or "" for no labels. */
export function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`).join(",")}}`;
}
