import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { silentLogger, startGateway } from "../../gateway/src/index.js";

/** Debian's Chromium: Playwright cannot download its own browsers on these machines. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The README, whose Web Worker recipe the page runs as written (see {@link readmeWorkerSource}). */
const README = fileURLToPath(new URL("../../README.md", import.meta.url));

/** Where bare imports resolve for a bundle entry outside the repository (the README recipe, written to a temporary directory). */
const NODE_PATHS = [fileURLToPath(new URL("../../node_modules", import.meta.url))];

/** The client's codec worker script, as the package publishes it (`@fluss-edge/client/codec-worker`). */
const CODEC_WORKER_ENTRY = fileURLToPath(new URL("../../packages/client/dist/web/fluss-codec-worker.js", import.meta.url));

/**
 * Bundles page/main.ts for the browser, and page/client-worker.ts (the
 * client run from a dedicated worker of the page). "@fluss-edge/client"
 * resolves to the package's built browser entry (dist/index.js), as it would
 * for any web app.
 * esbuild does not follow `new Worker(new URL(…))`, so the codec worker is
 * bundled beside it as `fluss-codec-worker.js`, as the README tells esbuild
 * users to do.
 */
export async function buildPage(): Promise<{ dir: string; cleanup(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "fluss-edge-page-"));
  const common = {
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "error",
    // Ignore the repo tsconfig: its `paths` map the package to TS sources for the Node tests.
    tsconfigRaw: "{}",
    nodePaths: NODE_PATHS,
  } as const;
  await build({ ...common, entryPoints: [fileURLToPath(new URL("./page/main.ts", import.meta.url))], outfile: join(dir, "main.js") });
  await build({ ...common, entryPoints: [fileURLToPath(new URL("./page/client-worker.ts", import.meta.url))], outfile: join(dir, "client-worker.js") });
  await build({ ...common, entryPoints: [CODEC_WORKER_ENTRY], outfile: join(dir, "fluss-codec-worker.js") });
  const recipe = join(dir, "readme-worker.ts");
  writeFileSync(recipe, readmeWorkerSource());
  await build({ ...common, entryPoints: [recipe], outfile: join(dir, "readme-worker.js") });
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The README's "client in a Web Worker" block as written, except that the
 * gateway URL and the database come from the worker's URL
 * (`readme-worker.js?gateway=…&database=…`), so that the test can point it
 * at its own gateway and table.
 */
export function readmeWorkerSource(): string {
  const block = [...readFileSync(README, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!).find((code) => code.startsWith("// fluss-worker.ts"));
  if (block === undefined) throw new Error("README.md has no ts block starting with // fluss-worker.ts");
  const [gateway, database] = ['"wss://gateway.example/fluss"', '"shop"'];
  if (!block.includes(gateway) || !block.includes(database)) throw new Error(`the README's worker block no longer names ${gateway} and ${database}`);
  const setting = (name: string) => `new URL(self.location.href).searchParams.get("${name}")!`;
  return block.replace(gateway, setting("gateway")).replace(database, setting("database"));
}

/**
 * How a copy of the page is served, by path prefix: `/` plainly (no
 * SharedArrayBuffer), `/isolated/` cross-origin isolated (COOP + COEP: the
 * page has SharedArrayBuffer), `/no-worker/` without the codec worker script
 * (as a bundle that left it out).
 */
export type PageVariant = "plain" | "isolated" | "no-worker";

const PAGE_FILES: Readonly<Record<string, string>> = {
  "/main.js": "main.js",
  "/client-worker.js": "client-worker.js",
  "/readme-worker.js": "readme-worker.js",
  "/fluss-codec-worker.js": "fluss-codec-worker.js",
};

/** A static file server on 127.0.0.1 for the bundled page, in each {@link PageVariant}. */
export async function servePage(dir: string): Promise<{ url: string; origin: string; urlOf(variant: PageVariant): string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    let path = new URL(request.url ?? "/", "http://page").pathname;
    let variant: PageVariant = "plain";
    for (const prefixed of ["isolated", "no-worker"] as const) {
      if (path.startsWith(`/${prefixed}/`)) {
        variant = prefixed;
        path = path.slice(prefixed.length + 1);
      }
    }
    const headers: Record<string, string> =
      variant === "isolated" ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } : {};
    const file = PAGE_FILES[path];
    if (path === "/" || path === "/index.html") {
      response.writeHead(200, { ...headers, "content-type": "text/html" });
      response.end('<!doctype html><meta charset="utf-8"><title>fluss-edge</title><script type="module" src="main.js"></script>');
    } else if (path === "/favicon.ico") {
      response.writeHead(204).end();
    } else if (file !== undefined && !(variant === "no-worker" && file === "fluss-codec-worker.js")) {
      response.writeHead(200, { ...headers, "content-type": "text/javascript" });
      response.end(readFileSync(join(dir, file)));
    } else {
      response.writeHead(404).end();
    }
  });
  const { origin, close } = await listenOnLoopback(server);
  const urlOf = (variant: PageVariant) => (variant === "plain" ? `${origin}/` : `${origin}/${variant}/`);
  return { url: urlOf("plain"), origin, urlOf, close };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".wasm": "application/wasm" };

/** A static file server on 127.0.0.1 for a built site (e.g. a Vite `dist/`): `/` is index.html. */
export async function serveDirectory(dir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://site").pathname;
    const file = resolve(root, `.${path === "/" ? "/index.html" : decodeURIComponent(path)}`);
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return listenOnLoopback(server);
}

/** Starts `server` on a free 127.0.0.1 port: its origin, and how to stop it. */
async function listenOnLoopback(server: Server): Promise<{ origin: string; close(): Promise<void> }> {
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no address");
  return { origin: `http://127.0.0.1:${address.port}`, close: () => new Promise((done) => server.close(() => done())) };
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

/** A page of the bundled client in Chromium, a gateway that admits it, and a way to open more copies of it. */
export interface BrowserSuite {
  gatewayUrl: string;
  /** Opens the page in a new tab, in `variant`, and waits until it is ready. */
  openPage(variant?: PageVariant): Promise<Page>;
  close(): Promise<void>;
}

export async function startBrowserSuite(): Promise<BrowserSuite> {
  const bundle = await buildPage();
  const site = await servePage(bundle.dir);
  // The gateway admits exactly this page's origin, as a production deployment would.
  const gateway = await startGateway({
    bootstrapServers: process.env.FLUSS_BOOTSTRAP_SERVERS!,
    port: 0,
    allowedOrigins: [site.origin],
    logger: silentLogger,
  });
  const browser = await launchChromium();
  return {
    gatewayUrl: gateway.url,
    async openPage(variant = "plain") {
      const page = await browser.newPage();
      page.on("console", (message) => {
        if (message.type() === "error") console.error(`[page ${variant}] ${message.text()}`);
      });
      await page.goto(site.urlOf(variant));
      await page.waitForSelector("#ready");
      return page;
    },
    async close() {
      await browser.close();
      await gateway.close();
      await site.close();
      bundle.cleanup();
    },
  };
}
