/** Telling Node from Deno and Bun (both also report a Node version) and from browsers. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { serverRuntime } from "../../../src/client/runtime.js";

describe("serverRuntime", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("is node under Node", () => {
    expect(serverRuntime()).toBe("node");
  });

  it("is deno or bun where their globals exist, although process.versions.node does too", () => {
    vi.stubGlobal("Deno", {});
    expect(serverRuntime()).toBe("deno");
    vi.unstubAllGlobals();
    vi.stubGlobal("Bun", {});
    expect(serverRuntime()).toBe("bun");
  });

  it("is undefined without a Node process (browsers, workerd)", () => {
    vi.stubGlobal("process", undefined);
    const runtime = serverRuntime();
    vi.unstubAllGlobals();
    expect(runtime).toBeUndefined();
  });
});
