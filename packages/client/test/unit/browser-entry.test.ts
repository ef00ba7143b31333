import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");

/** Every module reachable by static imports from `entry`, as resolved source paths and bare specifiers. */
function importGraph(entry: string): { files: Set<string>; external: Set<string> } {
  const files = new Set<string>();
  const external = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) {
      const specifier = match[1]!;
      if (specifier.startsWith(".")) pending.push(resolve(dirname(file), specifier.replace(/\.js$/, ".ts")));
      else external.add(specifier);
    }
  }
  return { files, external };
}

describe("the browser entry", () => {
  it("reaches no Node built-in and not the TCP transport", () => {
    const { files, external } = importGraph(resolve(srcDir, "index.ts"));
    expect([...external].filter((s) => s.startsWith("node:") || ["net", "tls", "fs", "ws"].includes(s))).toEqual([]);
    expect([...files].some((f) => f.includes("/node/"))).toBe(false);
    expect(files.size).toBeGreaterThan(10);
  });

  it("is what the Node entry builds on, plus the TCP transport", () => {
    const { files, external } = importGraph(resolve(srcDir, "node.ts"));
    expect(external.has("node:net")).toBe(true);
    expect(files.has(resolve(srcDir, "index.ts"))).toBe(true);
  });
});
