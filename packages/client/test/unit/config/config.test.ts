import { describe, expect, it } from "vitest";
import { Config } from "../../../src/config/index.js";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";

function clientError(action: () => unknown): FlussError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FlussError);
    expect((error as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    return error as FlussError;
  }
  throw new Error("expected a FlussError");
}

describe("Config", () => {
  it("takes the official keys with the official defaults", () => {
    const config = new Config({ "bootstrap.servers": "10.0.0.1:9123" });
    expect(config.get("bootstrapServers")).toBe("10.0.0.1:9123");
    expect(config.get("requestTimeoutMs")).toBe(30_000);
    expect(config.get("writerBatchSize")).toBe(2 * 1024 * 1024);
    expect(config.get("writerBucketNoKeyAssigner")).toBe("sticky");
  });

  it("accepts the client.-prefixed spellings and Java-style units", () => {
    const config = new Config({
      "client.security.protocol": "sasl",
      "client.security.sasl.mechanism": "PLAIN",
      "client.security.sasl.username": "alice",
      "client.security.sasl.password": "alice-secret",
      "client.connect-timeout": "5 s",
      "client.writer.batch-timeout": "250ms",
      "client.writer.buffer.memory-size": "32mb",
    });
    expect(config.get("securityProtocol")).toBe("SASL");
    expect(config.get("saslUsername")).toBe("alice");
    expect(config.get("connectTimeoutMs")).toBe(5000);
    expect(config.get("writerBatchTimeoutMs")).toBe(250);
    expect(config.get("writerBufferMemorySize")).toBe(32 * 1024 * 1024);
  });

  it("rejects an unknown key, naming it", () => {
    expect(clientError(() => new Config({ "bootstrap.server": "x:1" })).message).toContain("bootstrap.server");
  });

  it("rejects an ill-typed value, naming the key", () => {
    expect(clientError(() => new Config({ "writer.retries": "many" })).message).toContain("writer.retries");
    expect(clientError(() => new Config({ "writer.enable-idempotence": "yes" })).message).toContain("writer.enable-idempotence");
    expect(clientError(() => new Config({ "security.protocol": "TLS" })).message).toContain("security.protocol");
  });

  it("never shows the SASL password", () => {
    const config = new Config({ "security.sasl.username": "admin", "security.sasl.password": "s3cr3t-value" });
    expect(config.toString()).not.toContain("s3cr3t-value");
    expect(JSON.stringify(config)).not.toContain("s3cr3t-value");
    expect(String(config)).toContain("admin");
    const error = clientError(() => new Config({ "security.sasl.password": 42 as unknown as string }));
    expect(error.message).not.toContain("42");
  });
});
