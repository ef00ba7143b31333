/** Small HTTP helpers for the gateway's /healthz, /readyz and /metrics in tests. */

export function httpBase(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** The /metrics text of a gateway. */
export async function scrape(port: number): Promise<string> {
  const response = await fetch(`${httpBase(port)}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** The value of one sample (`name{labels}` exactly as exposed), or undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split("\n")) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}
