import { createServer, type Server } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser } from "playwright-core";

/** Debian's Chromium: Playwright cannot download its own browsers on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Bundles page/main.ts for the browser. "@fluss-edge/client" resolves to the
 * package's built browser entry (dist/index.js), as it would for any web app.
 */
export async function buildPage(): Promise<{ dir: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "fluss-edge-page-"));
  await build({
    entryPoints: [fileURLToPath(new URL("./page/main.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    outfile: join(dir, "main.js"),
    logLevel: "error",
    // Ignore the repo tsconfig: its `paths` map the package to TS sources for the Node tests.
    tsconfigRaw: "{}",
  });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A static file server on 127.0.0.1 for the bundled page. */
export async function servePage(dir: string): Promise<{ url: string; origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.url === "/" || request.url === "/index.html") {
      response.writeHead(200, { "content-type": "text/html" });
      response.end('<!doctype html><meta charset="utf-8"><title>fluss-edge</title><script type="module" src="/main.js"></script>');
    } else if (request.url === "/favicon.ico") {
      response.writeHead(204).end();
    } else if (request.url === "/main.js") {
      response.writeHead(200, { "content-type": "text/javascript" });
      response.end(readFileSync(join(dir, "main.js")));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  const origin = `http://127.0.0.1:${address.port}`;
  return { url: `${origin}/`, origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Headless Chromium, sandbox off (root in CI), no background traffic to the closed network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
