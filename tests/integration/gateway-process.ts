import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const childScript = fileURLToPath(new URL("./gateway-child.ts", import.meta.url));
const childTsconfig = fileURLToPath(new URL("./gateway-child.tsconfig.json", import.meta.url));

/** A gateway in a child process (gateway-child.ts). */
export interface GatewayProcess {
  readonly url: string;
  readonly port: number;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<void>;
}

/**
 * Starts a gateway in its own Node process (run by tsx from the TypeScript
 * sources) and resolves once it listens. Rejects when the process exits first
 * or takes longer than `startTimeoutMs`.
 */
export function spawnGateway(options: { bootstrapServers: string; port?: number }, startTimeoutMs = 30_000): Promise<GatewayProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", childScript], {
    cwd: repoRoot,
    env: { ...process.env, TSX_TSCONFIG_PATH: childTsconfig, FLUSS_GATEWAY_CHILD_OPTIONS: JSON.stringify({ port: 0, devMode: true, ...options }) },
    // stdin stays open while this process lives: the child exits when it closes.
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`gateway child did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`gateway child exited before listening (code ${code}, signal ${signal})`));
    });
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (chunk: string) => {
      stdout += chunk;
      const line = stdout.split("\n")[0];
      if (!stdout.includes("\n") || !line) return;
      clearTimeout(timer);
      const url = line.trim();
      resolve({
        url,
        port: Number(new URL(url).port),
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await exited;
        },
      });
    });
  });
}
