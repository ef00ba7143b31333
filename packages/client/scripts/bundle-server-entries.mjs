/**
 * Bundles the entries that Node, Deno and Bun load (the package's `node` and
 * `deno` exports) into dist/bundle/: a few files instead of about 200.
 * Node's module loader works file by file, and importing the unbundled build
 * took 205 ms in a fresh process, more than connecting, opening a table and
 * reading its first rows together (bench/cold-start.ts).
 *
 * - One build with code splitting over every server entry, so a module
 *   reachable from several of them (FlussError, the wire layer) is one module,
 *   as in the unbundled build: `instanceof` holds across `.`, `./wire` and
 *   `./internal`.
 * - `@bufbuild/protobuf` is bundled in (66 modules through its root entry;
 *   the package exposes none of its objects but `create`, `fromBinary` and
 *   `toBinary`, re-exported from the same copy by `./wire`). Every other
 *   dependency stays external: `apache-arrow` must be the application's own
 *   copy (its classes cross the API), and the codecs and `ws` load lazily.
 * - Every file lands in one flat directory, with the codec worker as
 *   `codec-worker.js`: node/codec-worker-host.ts starts it as
 *   `new URL("./codec-worker.js", import.meta.url)`, which then resolves next
 *   to whichever chunk holds that code.
 * - Input source maps (tsc's) are followed, so stack traces still name the
 *   TypeScript sources.
 *
 * Browsers and workerd keep the unbundled build (`default`, `browser`,
 * `workerd`): their applications go through a bundler anyway.
 *
 *   node scripts/bundle-server-entries.mjs     (after tsc; `pnpm run build` runs both)
 */
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/bundle`;
const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
const external = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).filter((name) => name !== "@bufbuild/protobuf");

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    node: "dist/node.js",
    wire: "dist/wire/index.js",
    internal: "dist/internal.js",
    "codec-worker": "dist/node/codec-worker.js",
  },
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  sourcemap: true,
  minify: false,
  // Functions and classes keep their own names where two modules' names collide in the bundle
  // (they show in stack traces and `constructor.name`), as in the unbundled build.
  keepNames: true,
  chunkNames: "chunk-[hash]",
  legalComments: "none",
  logLevel: "warning",
});
