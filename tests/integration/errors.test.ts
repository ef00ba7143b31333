import { FlussConnection, TablePath } from "@fluss-edge/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSilentPeer } from "../../packages/client/test/fixtures/silent-peer.js";
import { closedPort } from "../support/closed-port.js";
import { ErrorCode, expectFlussError } from "./expect-fluss-error.js";
import { targets, uniqueName } from "./targets.js";

describe("connecting", () => {
  it("rejects an unknown config key with CLIENT_ERROR naming it, before connecting", async () => {
    const error = await expectFlussError(
      FlussConnection.create({ "bootstrap.servers": "127.0.0.1:1", "writer.bogus-key": "1" }),
      ErrorCode.CLIENT_ERROR,
    );
    expect(error.message).toContain("writer.bogus-key");
  });
});

describe.each(targets)("over $name", (target) => {
  // Over TCP the first hop is the bootstrap server; through a gateway it is the gateway.
  describe("connecting", () => {
    it("fails with CLIENT_ERROR naming the address when the connection is refused", async () => {
      const port = await closedPort();
      const started = Date.now();
      const error = await expectFlussError(FlussConnection.create(target.configAt(port)), ErrorCode.CLIENT_ERROR);
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(error.isRetriable()).toBe(false);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it("fails with CLIENT_ERROR within the connect timeout when the peer never answers", async () => {
      const silent = await startSilentPeer();
      try {
        const started = Date.now();
        const error = await expectFlussError(
          FlussConnection.create(target.configAt(silent.port, { "connect-timeout": 800 })),
          ErrorCode.CLIENT_ERROR,
        );
        expect(error.message).toContain(`127.0.0.1:${silent.port}`);
        expect(Date.now() - started).toBeLessThan(800 + 2000);
      } finally {
        silent.close();
      }
    });
  });

  describe("SASL/PLAIN", () => {
    it("refuses a wrong password with AUTHENTICATE_EXCEPTION and never echoes it", async () => {
      const error = await expectFlussError(
        FlussConnection.create(target.saslConfig("admin", "wrong-password-123")),
        ErrorCode.AUTHENTICATE_EXCEPTION,
      );
      expect(error.message).not.toContain("wrong-password-123");
    });

    it("works with the right password, for each user", async () => {
      for (const [user, password] of [["admin", "admin-secret"], ["alice", "alice-secret"]] as const) {
        const conn = await FlussConnection.create(target.saslConfig(user, password));
        try {
          expect(await conn.getAdmin().listDatabases()).toContain("fluss");
          expect(String(conn.config)).not.toContain(password);
        } finally {
          await conn.close();
        }
      }
    });
  });

  describe("the five scenarios of the Python client's error-handling page", () => {
    let conn: FlussConnection;
    const db = uniqueName("scenarios_db");
    beforeAll(async () => {
      conn = await FlussConnection.create(target.config());
      await conn.getAdmin().createDatabase(db);
    });
    afterAll(async () => {
      await conn?.getAdmin().dropDatabase(db, { ignoreIfNotExists: true, cascade: true });
      await conn?.close();
    });

    it("connection refused → CLIENT_ERROR", async () => {
      const port = await closedPort();
      await expectFlussError(FlussConnection.create(target.configAt(port)), ErrorCode.CLIENT_ERROR);
    });

    it("table not found → TABLE_NOT_EXIST", async () => {
      await expectFlussError(conn.getAdmin().dropTable(new TablePath(db, "missing")), ErrorCode.TABLE_NOT_EXIST);
    });

    it("authentication failed → AUTHENTICATE_EXCEPTION, with the client.security.* keys of the page", async () => {
      await expectFlussError(FlussConnection.create(target.saslConfig("admin", "wrong-password")), ErrorCode.AUTHENTICATE_EXCEPTION);
    });

    // "Partition not found" (drop of a missing partition) is in admin.test.ts;
    // "Schema mismatch" (append with a wrong column → CLIENT_ERROR) is in log-write.test.ts, on both transports.
  });

  describe("requests the server never answers", () => {
    // The 0.9.1 server logs and drops a request it cannot parse (unknown api key,
    // missing required field) without answering: only a timeout can end the wait.
    // Through the gateway, the client's own timeout (shorter than the gateway's) fires.
    it("time out with REQUEST_TIME_OUT within the request timeout", async () => {
      const { session, close } = await target.rawCoordinatorSession();
      try {
        const started = Date.now();
        await expectFlussError(session.request({ apiKey: 1999, apiVersion: 0, body: new Uint8Array() }, 1000), ErrorCode.REQUEST_TIME_OUT);
        // Silence about an api fluss-edge does not send says nothing about the server: the connection stays.
        expect(session.isOpen).toBe(true);
        // CreateDatabase (1001) with an empty body lacks its required fields.
        await expectFlussError(session.request({ apiKey: 1001, apiVersion: 0, body: new Uint8Array() }, 1000), ErrorCode.REQUEST_TIME_OUT);
        expect(Date.now() - started).toBeLessThan(4000);
        // Silence about one of its own apis (which it never sends malformed) is taken for a dead
        // peer: over TCP the connection to the server is closed, through the gateway the WebSocket
        // (whose gateway answers every request, at the latest with its own timeout's ERROR, here
        // after 30 s); the next request opens a fresh one. The gateway judges its own sessions to
        // the cluster the same way (tests/gateway/silence.test.ts).
        expect(session.isOpen).toBe(false);
      } finally {
        close();
      }
    });
  });
});
