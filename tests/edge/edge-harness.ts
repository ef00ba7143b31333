/**
 * Runs the shared scenarios in Deno, Cloudflare's workerd and Bun, all from
 * the repo's npm devDependencies (`deno`, `workerd`, `bun`: each ships its
 * binary in a platform package from the npm registry, nothing is downloaded
 * at run time).
 *
 * Deno and workerd bundle the client's BUILT browser entry
 * (packages/client/dist/index.js) with esbuild: for Deno explicitly with the
 * `browser` condition (the package maps `deno` to the Node build, which would
 * need Node built-ins), for workerd with `workerd, worker, browser`. Bun, and
 * Deno a second time, run an entry unbundled and resolve the package as
 * installed: its `node` / `deno` export (the bundled dist/bundle/node.js), TCP included.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLIENT_DIST = join(REPO_ROOT, "packages/client/dist/index.js");
/** The runtimes' binaries, linked by pnpm from their npm platform packages. */
/**
 * Deno's own executable, which the npm package's install step puts next to
 * its package.json. Not the `.bin/deno` shim: that runs it as the child of a
 * node process, and stopping the shim would leave a Deno server running.
 */
const DENO_EXE = join(REPO_ROOT, "node_modules/deno/deno");
export const DENO_BIN = existsSync(DENO_EXE) ? DENO_EXE : join(REPO_ROOT, "node_modules/.bin/deno");
export const WORKERD_BIN = join(REPO_ROOT, "node_modules/.bin/workerd");
/** Bun's executable, which the npm package's install step puts in place of its placeholder. */
export const BUN_BIN = join(REPO_ROOT, "node_modules/bun/bin/bun.exe");
/**
 * A tsconfig without `paths`, for Bun (which honours tsconfig paths): the
 * repo's tsconfig maps the package to its TypeScript sources for the Node
 * tests, this one lets "@fluss-edge/client" resolve to the built package.
 */
const INSTALLED_PACKAGE_TSCONFIG = join(REPO_ROOT, "bench/tsconfig.json");

/** The JSON an edge entry answers: a scenario's result, or what it threw unexpectedly. */
export type EdgeAnswer<T> = { result: T } | { thrown: string };

/** Throws a clear message when the client was not built (scripts/test.sh builds before vitest). */
export function assertClientBuilt(): void {
  if (!existsSync(CLIENT_DIST)) {
    throw new Error(`${CLIENT_DIST} is missing: the edge tests run the BUILT client; run \`pnpm run build\` first (scripts/test.sh does)`);
  }
  for (const bin of [DENO_BIN, WORKERD_BIN, BUN_BIN]) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm install\` (deno, workerd and bun are root devDependencies)`);
  }
}

/** A temporary directory holding one runtime's bundle; `cleanup` removes it. */
export interface Bundle {
  dir: string;
  file: string;
  cleanup(): void;
}

/** Bundles `entry` (a path relative to tests/edge/) as one ES module with the given export conditions. */
export async function bundle(entry: string, conditions: string[], external: string[] = []): Promise<Bundle> {
  const dir = mkdtempSync(join(tmpdir(), "fluss-edge-edge-"));
  const file = join(dir, "main.js");
  await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions,
    target: "es2022",
    outfile: file,
    external,
    logLevel: "error",
    // Ignore the repo tsconfig: its `paths` map the package to TS sources for the Node tests.
    tsconfigRaw: "{}",
  });
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every child process a test started, so `stopAll` can end them even after a failure. */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Kills the children still running and waits until they are gone. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => stop(child)));
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function collect(stream: Readable | null): () => string {
  let text = "";
  stream?.setEncoding("utf8");
  stream?.on("data", (chunk: string) => {
    // Keep the tail only: enough for the answer line and an error message.
    text = (text + chunk).slice(-1_000_000);
  });
  return () => text;
}

/**
 * `deno run --allow-net=127.0.0.1` on the bundle with `args`; resolves with the
 * JSON line it prints. No config file, no prompts, no update check: Deno
 * touches nothing but the loopback gateway.
 */
export function runDeno<T>(file: string, args: string[], timeoutMs = 25_000): Promise<EdgeAnswer<T>> {
  return runToAnswer<T>(
    `deno ${args[0] ?? ""}`,
    DENO_BIN,
    ["run", "--no-config", "--no-prompt", "--allow-net=127.0.0.1", file, ...args],
    { cwd: tmpdir(), env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } },
    timeoutMs,
  );
}

/**
 * `deno run` on an entry of tests/edge/ (TypeScript, unbundled) with `args`,
 * from the repository: "@fluss-edge/client" resolves from node_modules as
 * installed (the package's `deno` export: its Node build). Network only to
 * the loopback, reads only the repository (the package and its worker
 * script); resolves with the JSON line it prints.
 */
export function runDenoInstalled<T>(entry: string, args: string[], timeoutMs = 25_000): Promise<EdgeAnswer<T>> {
  return runToAnswer<T>(
    `deno (installed) ${args[0] ?? ""}`,
    DENO_BIN,
    [
      "run",
      "--no-config",
      "--no-prompt",
      "--node-modules-dir=manual",
      // The entries import each other as ".js", as TypeScript's NodeNext wants; Deno needs this to find the ".ts".
      "--sloppy-imports",
      "--allow-net=127.0.0.1",
      `--allow-read=${REPO_ROOT}`,
      fileURLToPath(new URL(entry, import.meta.url)),
      ...args,
    ],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } },
    timeoutMs,
  );
}

/**
 * `bun run` on an entry of tests/edge/ (TypeScript, unbundled) with `args`,
 * from the repository, so that the client resolves as installed (see
 * {@link INSTALLED_PACKAGE_TSCONFIG}); resolves with the JSON line it prints.
 */
export function runBun<T>(entry: string, args: string[], timeoutMs = 25_000): Promise<EdgeAnswer<T>> {
  return runToAnswer<T>(
    `bun ${args[0] ?? ""}`,
    BUN_BIN,
    [`--tsconfig-override=${INSTALLED_PACKAGE_TSCONFIG}`, "run", fileURLToPath(new URL(entry, import.meta.url)), ...args],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), NO_COLOR: "1", DO_NOT_TRACK: "1" } },
    timeoutMs,
  );
}

/** Runs `bin` to completion and resolves with the JSON line it printed last; `what` names the run in errors. */
function runToAnswer<T>(what: string, bin: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, timeoutMs: number): Promise<EdgeAnswer<T>> {
  const child = track(spawn(bin, args, { ...options, stdio: ["ignore", "pipe", "pipe"] }));
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${what} did not finish within ${timeoutMs} ms\n${stderr()}`));
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      const line = stdout().trim().split("\n").pop() ?? "";
      try {
        resolve(JSON.parse(line) as EdgeAnswer<T>);
      } catch {
        reject(new Error(`${what} exited (${code ?? signal}) without a JSON answer\nstdout: ${stdout()}\nstderr: ${stderr()}`));
      }
    });
  });
}

/** A long-running Deno server started from a bundle: where it listens, its log, and how to stop it. */
export interface RunningServer {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

/**
 * `deno run` on a server bundle with `env` as its whole environment (and
 * permission to read exactly those variables), network limited to loopback;
 * resolves once it prints `listening on http://host:port…`.
 */
export async function startDenoServer(file: string, env: Readonly<Record<string, string>>, timeoutMs = 20_000): Promise<RunningServer> {
  const child = track(
    spawn(DENO_BIN, ["run", "--no-config", "--no-prompt", "--allow-net=127.0.0.1", `--allow-env=${Object.keys(env).join(",")}`, file], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const log = () => `${stdout()}${stderr()}`;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deno did not listen within ${timeoutMs} ms\n${log()}`)), timeoutMs);
    const poll = setInterval(() => {
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(stdout());
      if (!match) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve(match[1]!);
    }, 20);
    child.once("exit", (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`deno exited (${code ?? signal}) before listening\n${log()}`));
    });
  });
  return { url, log, stop: () => stop(child) };
}

/**
 * The workerd config: the worker on an HTTP socket (bound to 127.0.0.1 by
 * `--socket-addr`), and as its only way out a network service that allows
 * loopback addresses alone ("local"), so the worker reaches the gateway and
 * nothing else.
 */
function workerdConfig(compatibilityDate: string, bindings: Readonly<Record<string, string>>, wasmModules: Readonly<Record<string, string>>): string {
  const bindingList = Object.entries(bindings)
    .map(([name, text]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(text)})`)
    .join(", ");
  const modules = [`(name = "main.js", esModule = embed "main.js")`, ...Object.entries(wasmModules).map(([name, file]) => `(name = ${JSON.stringify(name)}, wasm = embed ${JSON.stringify(file)})`)];
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"], deny = [])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [${modules.join(", ")}],
  compatibilityDate = "${compatibilityDate}",
  globalOutbound = "loopback",
  bindings = [${bindingList}],
);
`;
}

/**
 * Copies the package's `@fluss-edge/client/zstd.wasm` export (the built file, resolved through the
 * package's exports) into `dir`; returns its file name there, for `startWorkerd`'s `wasmModules`.
 */
export function copyZstdWasm(dir: string): string {
  copyFileSync(createRequire(import.meta.url).resolve("@fluss-edge/client/zstd.wasm"), join(dir, "zstd.wasm"));
  return "zstd.wasm";
}

/** A running `workerd serve` (`url`: `http://127.0.0.1:PORT` of the worker). */
export type RunningWorkerd = RunningServer;

/**
 * Starts workerd serving the bundled worker in `bundleDir/main.js` on a free
 * loopback port; `bindings` become the worker's text bindings (its `env`);
 * `wasmModules` maps module names the worker imports (`"./zstd.wasm"`, or a
 * package specifier such as `"@fluss-edge/client/zstd.wasm"`: workerd looks
 * a bare specifier up by name) to files in `bundleDir`, compiled by workerd
 * when it loads the worker, as Cloudflare compiles them at deploy time.
 */
export async function startWorkerd(
  bundleDir: string,
  options: { bindings?: Readonly<Record<string, string>>; wasmModules?: Readonly<Record<string, string>>; timeoutMs?: number } = {},
): Promise<RunningWorkerd> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const configFile = join(bundleDir, "config.capnp");
  writeFileSync(configFile, workerdConfig("2025-09-01", options.bindings ?? {}, options.wasmModules ?? {}));
  const child = track(
    spawn(WORKERD_BIN, ["serve", configFile, "--socket-addr", "http=127.0.0.1:0", "--control-fd=3"], {
      cwd: bundleDir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir() },
      stdio: ["ignore", "pipe", "pipe", "pipe"],
    }),
  );
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const control = child.stdio[3] as Readable;
  const log = () => `${stdout()}${stderr()}`;
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = "";
    const timer = setTimeout(() => reject(new Error(`workerd did not listen within ${timeoutMs} ms\n${log()}`)), timeoutMs);
    control.setEncoding("utf8");
    control.on("data", (chunk: string) => {
      buffered += chunk;
      for (const line of buffered.split("\n")) {
        if (!line.trim()) continue;
        try {
          const message = JSON.parse(line) as { event?: string; socket?: string; port?: number };
          if (message.event === "listen" && message.socket === "http" && typeof message.port === "number") {
            clearTimeout(timer);
            resolve(message.port);
          }
        } catch {
          // A partial line: wait for the rest.
        }
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`workerd exited (${code ?? signal}) before listening\n${log()}`));
    });
  });
  return { url: `http://127.0.0.1:${port}`, log, stop: () => stop(child) };
}

/** Calls the worker's /run endpoint with `params` and returns its JSON answer. */
export async function callWorker<T>(workerd: RunningWorkerd, params: Record<string, string>, timeoutMs = 25_000): Promise<EdgeAnswer<T>> {
  const response = await fetch(`${workerd.url}/run?${new URLSearchParams(params).toString()}`, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (!response.ok) throw new Error(`workerd answered ${response.status}: ${text}\n${workerd.log()}`);
  return JSON.parse(text) as EdgeAnswer<T>;
}

/** The scenario's result, or a failure carrying what the runtime threw. */
export function resultOf<T>(answer: EdgeAnswer<T>): T {
  if ("thrown" in answer) throw new Error(`the scenario threw inside the runtime: ${answer.thrown}`);
  return answer.result;
}
