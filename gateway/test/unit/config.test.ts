import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ErrorCode, FlussError } from "@fluss-edge/client/wire";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCliArguments } from "../../src/config/cli.js";
import { parseConfigText } from "../../src/config/file.js";
import { loadGatewayConfig } from "../../src/config/load.js";
import { resolveGatewayOptions } from "../../src/options.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fluss-gateway-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** Runs `load` and returns the FlussError it must throw. */
async function failure(load: Promise<unknown>): Promise<FlussError> {
  try {
    await load;
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    expect((error as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    return error as FlussError;
  }
  throw new Error("expected the configuration to be refused");
}

describe("command line", () => {
  it("takes --flag value and --flag=value", () => {
    expect(parseCliArguments(["--bootstrap-servers", "127.0.0.1:9123", "--port=0", "--host", "0.0.0.0", "--config", "g.yaml"])).toEqual({
      help: false,
      bootstrapServers: "127.0.0.1:9123",
      port: "0",
      host: "0.0.0.0",
      config: "g.yaml",
    });
    expect(parseCliArguments(["--help"]).help).toBe(true);
  });

  it("refuses unknown flags, missing values and repeated flags, naming them", () => {
    expect(() => parseCliArguments(["--token", "x"])).toThrow(/unknown argument '--token'/);
    expect(() => parseCliArguments(["--port"])).toThrow(/--port needs a value/);
    expect(() => parseCliArguments(["--port", "--host", "x"])).toThrow(/--port needs a value/);
    expect(() => parseCliArguments(["--port", "1", "--port", "2"])).toThrow(/--port is given twice/);
  });
});

describe("loading", () => {
  it("reads a YAML file with nested and dotted keys, units and lists", async () => {
    const path = await file(
      "gateway.yaml",
      [
        "bootstrap.servers: 127.0.0.1:9124",
        "port: 9000",
        "allowed-origins:",
        "  - https://app.example.com",
        "  - https://admin.example.com:8443",
        "dev-mode: false",
        "token: s3cret",
        "security:",
        "  protocol: sasl",
        "  sasl:",
        "    username: admin",
        "    password: admin-secret",
        "max-frame-bytes: 8mb",
        "idle-timeout: 2 min",
        "request-timeout: 15 s",
        "connect-timeout: 5000",
        "pool-size: 3",
        "metadata-refresh-interval: 10s",
        "log-level: debug",
      ].join("\n"),
    );
    const loaded = await loadGatewayConfig(["--config", path], {});
    expect(loaded.logLevel).toBe("debug");
    expect(loaded.options).toEqual({
      bootstrapServers: "127.0.0.1:9124",
      port: 9000,
      allowedOrigins: ["https://app.example.com", "https://admin.example.com:8443"],
      devMode: false,
      token: "s3cret",
      clusterSasl: { username: "admin", password: "admin-secret" },
      maxFrameBytes: 8 * 1024 * 1024,
      idleTimeoutMs: 120_000,
      requestTimeoutMs: 15_000,
      connectTimeoutMs: 5000,
      poolSize: 3,
      metadataRefreshMs: 10_000,
    });
  });

  it("reads JSON; the environment overrides the file and the command line overrides both", async () => {
    const path = await file("gateway.json", JSON.stringify({ "bootstrap.servers": "10.0.0.1:9123", port: 1111, host: "0.0.0.0" }));
    const env = { FLUSS_BOOTSTRAP_SERVERS: "10.0.0.2:9123", FLUSS_GATEWAY_PORT: "2222", FLUSS_GATEWAY_TOKEN: "from-env" };
    const fromEnv = await loadGatewayConfig(["--config", path], env);
    expect(fromEnv.options).toMatchObject({ bootstrapServers: "10.0.0.2:9123", port: 2222, host: "0.0.0.0", token: "from-env" });
    const fromCli = await loadGatewayConfig(["--config", path, "--bootstrap-servers", "10.0.0.3:9123", "--port", "3333"], env);
    expect(fromCli.options).toMatchObject({ bootstrapServers: "10.0.0.3:9123", port: 3333 });
  });

  it("needs bootstrap servers from somewhere", async () => {
    expect((await failure(loadGatewayConfig([], {}))).message).toContain("'bootstrap.servers' is not set");
    const loaded = await loadGatewayConfig([], { FLUSS_BOOTSTRAP_SERVERS: "127.0.0.1:9123" });
    expect(loaded.options).toEqual({ bootstrapServers: "127.0.0.1:9123" });
  });

  it("refuses an unknown key, naming it and the file", async () => {
    const path = await file("typo.yaml", "bootstrap.servers: 127.0.0.1:9123\nidle-timout: 5 min\n");
    const error = await failure(loadGatewayConfig(["--config", path], {}));
    expect(error.message).toContain("'idle-timout'");
    expect(error.message).toContain(path);
  });

  it("refuses bad values, naming the key and where it came from", async () => {
    const cases: [string, string][] = [
      ["pool-size: many", "'pool-size'"],
      ["pool-size: 0", "'pool-size'"],
      ["idle-timeout: soon", "'idle-timeout'"],
      ["max-frame-bytes: 10", "'max-frame-bytes'"],
      ["max-frame-bytes: 4gb", "'max-frame-bytes'"],
      ["dev-mode: sometimes", "'dev-mode'"],
      ["allowed-origins: [https://app.example.com/path]", "'allowed-origins'"],
      ["allowed-origins: ['*']", "'allowed-origins'"],
      ["security.protocol: kerberos", "'security.protocol'"],
      ["security.protocol: SASL\nsecurity.sasl.username: admin", "'security.sasl.password' is not set"],
      ["security.sasl.username: admin", "'security.protocol' is not SASL"],
      ["security.sasl.mechanism: SCRAM-SHA-256", "'security.sasl.mechanism'"],
      ["log-level: loud", "'log-level'"],
    ];
    for (const [line, expected] of cases) {
      const path = await file("bad.yaml", `bootstrap.servers: 127.0.0.1:9123\n${line}\n`);
      const error = await failure(loadGatewayConfig(["--config", path], {}));
      expect(error.message, line).toContain(expected);
    }
    expect((await failure(loadGatewayConfig(["--bootstrap-servers", "nohost"], {}))).message).toContain("'bootstrap.servers'");
    expect((await failure(loadGatewayConfig(["--bootstrap-servers", "a:1", "--port", "70000"], {}))).message).toContain("--port");
    expect((await failure(loadGatewayConfig(["--bootstrap-servers", "a:1"], { FLUSS_GATEWAY_PORT: "x" }))).message).toContain(
      "FLUSS_GATEWAY_PORT",
    );
  });

  it("never repeats a secret in an error message", async () => {
    const path = await file("secret.yaml", "bootstrap.servers: 127.0.0.1:9123\ntoken: [not-a-string-s3cret]\n");
    const error = await failure(loadGatewayConfig(["--config", path], {}));
    expect(error.message).toContain("'token'");
    expect(error.message).not.toContain("s3cret");
    const password = await file("pw.yaml", "bootstrap.servers: 127.0.0.1:9123\nsecurity.sasl.password: hunter2\n");
    expect((await failure(loadGatewayConfig(["--config", password], {}))).message).not.toContain("hunter2");
  });

  it("refuses unreadable and malformed files and files of another type", async () => {
    expect((await failure(loadGatewayConfig(["--config", join(dir, "missing.yaml")], {}))).message).toContain("cannot read");
    const broken = await file("broken.json", "{ nope");
    expect((await failure(loadGatewayConfig(["--config", broken], {}))).message).toContain("cannot parse");
    const toml = await file("gateway.toml", "port = 1");
    expect((await failure(loadGatewayConfig(["--config", toml], {}))).message).toContain(".json, .yaml or .yml");
    expect(() => parseConfigText("- a\n- b\n", "list.yaml")).toThrow(/top level must be a mapping/);
    expect(() => parseConfigText("port: 1\nport: 2\n", "dup.yaml")).toThrow(/dup\.yaml/);
    expect(() => parseConfigText('{"security": {"protocol": "SASL"}, "security.protocol": "SASL"}', "twice.json")).toThrow(
      /'security.protocol' is given twice/,
    );
  });
});

describe("startGateway options", () => {
  it("applies defaults", () => {
    const resolved = resolveGatewayOptions({ bootstrapServers: "127.0.0.1:9123" });
    expect(resolved).toMatchObject({
      bootstrap: [{ host: "127.0.0.1", port: 9123 }],
      port: 8787,
      host: "127.0.0.1",
      devMode: false,
      token: undefined,
      clusterSasl: undefined,
      maxFrameBytes: 16 * 1024 * 1024,
      poolSize: 4,
    });
    expect(resolved.allowedOrigins.size).toBe(0);
  });

  it("refuses bad options with a CLIENT_ERROR naming the option and never the secret", () => {
    const bad: [Parameters<typeof resolveGatewayOptions>[0], string][] = [
      [{ bootstrapServers: "" }, "bootstrapServers"],
      [{ bootstrapServers: "a:1", port: -1 }, "port"],
      [{ bootstrapServers: "a:1", port: 1.5 }, "port"],
      [{ bootstrapServers: "a:1", maxFrameBytes: 100 }, "maxFrameBytes"],
      [{ bootstrapServers: "a:1", poolSize: 0 }, "poolSize"],
      [{ bootstrapServers: "a:1", idleTimeoutMs: 0 }, "idleTimeoutMs"],
      [{ bootstrapServers: "a:1", allowedOrigins: ["example.com"] }, "allowedOrigins"],
      [{ bootstrapServers: "a:1", token: "" }, "token"],
      [{ bootstrapServers: "a:1", clusterSasl: { username: "admin", password: "" } }, "clusterSasl.password"],
    ];
    for (const [options, name] of bad) {
      let thrown: unknown;
      try {
        resolveGatewayOptions(options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, name).toBeInstanceOf(FlussError);
      expect((thrown as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
      expect((thrown as FlussError).message).toContain(`option ${name}`);
    }
  });
});
