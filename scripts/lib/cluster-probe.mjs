#!/usr/bin/env node
// Tiny, dependency-free readiness probe for a Fluss server (0.9.x wire protocol).
//
// Usage:
//   node scripts/lib/cluster-probe.mjs HOST:PORT [options]
//
// Options:
//   --min-tablets N      succeed only if GET_METADATA lists >= N tablet servers (default 0)
//   --require-node ID    succeed only if tablet server ID is among them (repeatable)
//   --require-coordinator  succeed only if the response names a coordinator server
//   --database NAME      also send LIST_DATABASES and require NAME to be listed
//   --expect-auth-error  expect the GET_METADATA to be REJECTED with an ERROR_RESPONSE
//                        carrying error code 46 (AUTHENTICATE_EXCEPTION): proves that
//                        the port is a SASL listener that refuses unauthenticated calls
//   --timeout-ms MS      overall time budget of this single attempt (default 5000)
//   --quiet              print nothing on success
//
// One attempt per invocation (the caller polls). Exit 0 = condition met,
// 1 = not met / unreachable / protocol error, 2 = usage error.
// A one-line JSON summary goes to stdout; diagnostics to stderr.
//
// Wire format (fluss-rpc MessageCodec):
//   request  = int32 frameLength | int16 apiKey | int16 apiVersion | int32 requestId | protobuf body
//   response = int32 frameLength | int8 type (0 SUCCESS, 1 ERROR, 2 SERVER_FAILURE)
//              | int32 requestId (absent for SERVER_FAILURE) | protobuf body
//   Errors are ErrorResponse { int32 error_code = 1; string error_message = 2; }.
import net from "node:net";

const API_LIST_DATABASES = 1003;
const API_GET_METADATA = 1012;
const AUTHENTICATE_EXCEPTION = 46;

function usage(msg) {
  if (msg) process.stderr.write(`cluster-probe: ${msg}\n`);
  process.stderr.write(
    "usage: cluster-probe.mjs HOST:PORT [--min-tablets N] [--require-node ID]... " +
      "[--require-coordinator] [--database NAME] [--expect-auth-error] [--timeout-ms MS] [--quiet]\n",
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    target: undefined,
    minTablets: 0,
    requireNodes: [],
    requireCoordinator: false,
    database: undefined,
    expectAuthError: false,
    timeoutMs: 5000,
    quiet: false,
  };
  const intArg = (name, v) => {
    if (v === undefined || !/^\d+$/.test(v)) usage(`${name} needs a non-negative integer`);
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case "--min-tablets":
        opts.minTablets = intArg(a, argv[++i]);
        break;
      case "--require-node":
        opts.requireNodes.push(intArg(a, argv[++i]));
        break;
      case "--require-coordinator":
        opts.requireCoordinator = true;
        break;
      case "--database":
        opts.database = argv[++i];
        if (!opts.database) usage("--database needs a name");
        break;
      case "--expect-auth-error":
        opts.expectAuthError = true;
        break;
      case "--timeout-ms":
        opts.timeoutMs = intArg(a, argv[++i]);
        break;
      case "--quiet":
        opts.quiet = true;
        break;
      case "-h":
      case "--help":
        usage();
        break;
      default:
        if (a.startsWith("-") || opts.target) usage(`unexpected argument ${a}`);
        opts.target = a;
    }
  }
  if (!opts.target) usage("missing HOST:PORT");
  const m = /^(.+):(\d+)$/.exec(opts.target);
  if (!m) usage(`bad HOST:PORT ${opts.target}`);
  opts.host = m[1];
  opts.port = Number(m[2]);
  return opts;
}

// ---------------------------------------------------------------- protobuf

class ProtoReader {
  constructor(buf) {
    this.buf = buf;
    this.pos = 0;
  }
  eof() {
    return this.pos >= this.buf.length;
  }
  varint() {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new Error("truncated varint");
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new Error("varint too long");
  }
  bytes(n) {
    if (this.pos + n > this.buf.length) throw new Error("truncated field");
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  /** Returns { field, wireType, value } where value is a number (varint/fixed) or Buffer. */
  next() {
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    switch (wireType) {
      case 0:
        return { field, wireType, value: this.varint() };
      case 1:
        return { field, wireType, value: this.bytes(8) };
      case 2:
        return { field, wireType, value: this.bytes(this.varint()) };
      case 5:
        return { field, wireType, value: this.bytes(4) };
      default:
        throw new Error(`unsupported wire type ${wireType} (field ${field})`);
    }
  }
}

/** int32 fields are varints; negative values are sign-extended to 64 bits. */
function toInt32(v) {
  return v >= 2 ** 31 ? v - 2 ** 64 : v;
}

/** PbServerNode { int32 node_id = 1; string host = 2; int32 port = 3; string listeners = 4; string rack = 5; } */
function parseServerNode(buf) {
  const r = new ProtoReader(buf);
  const node = {};
  while (!r.eof()) {
    const { field, wireType, value } = r.next();
    if (field === 1 && wireType === 0) node.id = toInt32(value);
    else if (field === 2 && wireType === 2) node.host = value.toString("utf8");
    else if (field === 3 && wireType === 0) node.port = toInt32(value);
    else if (field === 4 && wireType === 2) node.listeners = value.toString("utf8");
    else if (field === 5 && wireType === 2) node.rack = value.toString("utf8");
  }
  return node;
}

/** MetadataResponse { PbServerNode coordinator_server = 1; repeated PbServerNode tablet_servers = 2; ... } */
function parseMetadataResponse(buf) {
  const r = new ProtoReader(buf);
  let coordinator = null;
  const tabletServers = [];
  while (!r.eof()) {
    const { field, wireType, value } = r.next();
    if (field === 1 && wireType === 2) coordinator = parseServerNode(value);
    else if (field === 2 && wireType === 2) tabletServers.push(parseServerNode(value));
  }
  return { coordinator, tabletServers };
}

/** ListDatabasesResponse { repeated string database_name = 1; ... } */
function parseListDatabasesResponse(buf) {
  const r = new ProtoReader(buf);
  const names = [];
  while (!r.eof()) {
    const { field, wireType, value } = r.next();
    if (field === 1 && wireType === 2) names.push(value.toString("utf8"));
  }
  return names;
}

/** ErrorResponse { int32 error_code = 1; string error_message = 2; } */
function parseErrorResponse(buf) {
  const r = new ProtoReader(buf);
  const err = { code: undefined, message: undefined };
  while (!r.eof()) {
    const { field, wireType, value } = r.next();
    if (field === 1 && wireType === 0) err.code = toInt32(value);
    else if (field === 2 && wireType === 2) err.message = value.toString("utf8");
  }
  return err;
}

// ---------------------------------------------------------------- transport

function encodeRequest(apiKey, apiVersion, requestId, body) {
  const frame = Buffer.alloc(4 + 8 + body.length);
  frame.writeInt32BE(8 + body.length, 0);
  frame.writeInt16BE(apiKey, 4);
  frame.writeInt16BE(apiVersion, 6);
  frame.writeInt32BE(requestId, 8);
  body.copy(frame, 12);
  return frame;
}

/**
 * Opens one connection, sends the requests one after another, and resolves with
 * the decoded responses: { type, requestId, body }.
 */
function exchange(host, port, requests, timeoutMs) {
  return new Promise((resolve, reject) => {
    const responses = [];
    let pending = Buffer.alloc(0);
    let next = 0;
    let settled = false;
    const socket = net.createConnection({ host, port });
    const finish = (err, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${timeoutMs} ms (${responses.length}/${requests.length} responses)`)),
      timeoutMs,
    );
    const sendNext = () => {
      const req = requests[next];
      socket.write(encodeRequest(req.apiKey, 0, next + 1, req.body ?? Buffer.alloc(0)));
    };
    socket.on("connect", sendNext);
    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const len = pending.readInt32BE(0);
        if (len < 1 || len > 64 * 1024 * 1024) return finish(new Error(`bad frame length ${len}`));
        if (pending.length < 4 + len) break;
        const frame = pending.subarray(4, 4 + len);
        pending = pending.subarray(4 + len);
        const type = frame.readInt8(0);
        let resp;
        if (type === 2) {
          resp = { type, requestId: undefined, body: frame.subarray(1) };
        } else {
          if (frame.length < 5) return finish(new Error("short response header"));
          resp = { type, requestId: frame.readInt32BE(1), body: frame.subarray(5) };
        }
        responses.push(resp);
        // Stop at the first non-success: later requests would be meaningless.
        if (type !== 0 || responses.length === requests.length) return finish(null, responses);
        next++;
        sendNext();
      }
    });
    socket.on("error", (err) => finish(err));
    socket.on("close", () => {
      if (!settled) {
        if (responses.length > 0) finish(null, responses);
        else finish(new Error("connection closed before a response arrived"));
      }
    });
  });
}

// ---------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const out = (obj) => {
    if (!opts.quiet || !obj.ok) process.stdout.write(JSON.stringify(obj) + "\n");
  };

  const requests = [{ apiKey: API_GET_METADATA }];
  if (opts.database && !opts.expectAuthError) requests.push({ apiKey: API_LIST_DATABASES });

  let responses;
  try {
    responses = await exchange(opts.host, opts.port, requests, opts.timeoutMs);
  } catch (err) {
    out({ ok: false, target: opts.target, reason: `unreachable: ${err.message}` });
    return 1;
  }

  const first = responses[0];
  if (opts.expectAuthError) {
    if (first.type === 1) {
      const err = parseErrorResponse(first.body);
      const ok = err.code === AUTHENTICATE_EXCEPTION;
      out({ ok, target: opts.target, responseType: first.type, errorCode: err.code, errorMessage: err.message });
      return ok ? 0 : 1;
    }
    out({ ok: false, target: opts.target, responseType: first.type, reason: "expected ERROR_RESPONSE with code 46" });
    return 1;
  }

  if (first.type !== 0) {
    const err = parseErrorResponse(first.body);
    out({
      ok: false,
      target: opts.target,
      responseType: first.type,
      errorCode: err.code,
      errorMessage: err.message,
      reason: "GET_METADATA failed",
    });
    return 1;
  }

  let meta;
  try {
    meta = parseMetadataResponse(first.body);
  } catch (err) {
    out({ ok: false, target: opts.target, reason: `bad MetadataResponse: ${err.message}` });
    return 1;
  }
  const summary = {
    ok: true,
    target: opts.target,
    coordinator: meta.coordinator,
    tabletServers: meta.tabletServers,
  };
  const reasons = [];
  if (meta.tabletServers.length < opts.minTablets) {
    reasons.push(`${meta.tabletServers.length} tablet server(s) listed, want >= ${opts.minTablets}`);
  }
  for (const id of opts.requireNodes) {
    if (!meta.tabletServers.some((n) => n.id === id)) reasons.push(`tablet server ${id} not listed`);
  }
  if (opts.requireCoordinator && !meta.coordinator) reasons.push("no coordinator listed");

  if (opts.database) {
    const dbResp = responses[1];
    if (!dbResp) {
      reasons.push("no LIST_DATABASES response");
    } else if (dbResp.type !== 0) {
      const err = parseErrorResponse(dbResp.body);
      reasons.push(`LIST_DATABASES failed: code ${err.code} ${err.message ?? ""}`.trim());
    } else {
      summary.databases = parseListDatabasesResponse(dbResp.body);
      if (!summary.databases.includes(opts.database)) reasons.push(`database ${opts.database} not listed`);
    }
  }
  if (reasons.length > 0) {
    summary.ok = false;
    summary.reason = reasons.join("; ");
  }
  out(summary);
  return summary.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`cluster-probe: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
