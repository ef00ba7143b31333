import { FlussError } from "@fluss-edge/client/wire";

/** What the command line says. */
export interface CliArguments {
  bootstrapServers?: string;
  port?: string;
  host?: string;
  config?: string;
  help: boolean;
}

const FLAGS: Readonly<Record<string, keyof Omit<CliArguments, "help">>> = {
  "--bootstrap-servers": "bootstrapServers",
  "--port": "port",
  "--host": "host",
  "--config": "config",
};

/** The usage text of `fluss-gateway`. */
export const USAGE = `Usage: fluss-gateway --bootstrap-servers HOST:PORT[,HOST:PORT...] [--port 8787] [--host 127.0.0.1] [--config gateway.json|gateway.yaml]

Relays fluss-edge WebSocket callers (ws://HOST:PORT/fluss) to a Fluss cluster.
Environment: FLUSS_BOOTSTRAP_SERVERS, FLUSS_GATEWAY_PORT, FLUSS_GATEWAY_TOKEN.
Command-line flags win over the environment, which wins over the config file.
Secrets (token, SASL password) belong in the config file or the environment, never on the command line.
`;

/**
 * Parses `--flag value` and `--flag=value`. Unknown flags, missing values and
 * repeated flags are CLIENT_ERRORs naming the flag.
 */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  const parsed: CliArguments = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      parsed.help = true;
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const field = FLAGS[flag];
    if (field === undefined) throw FlussError.client(`unknown argument '${arg}' (see --help)`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === "" || (eq < 0 && value.startsWith("--"))) {
      throw FlussError.client(`flag ${flag} needs a value`);
    }
    if (parsed[field] !== undefined) throw FlussError.client(`flag ${flag} is given twice`);
    parsed[field] = value;
  }
  return parsed;
}
