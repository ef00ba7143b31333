/** Which WebSocket class the gateway transport connects with. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorCode, FlussError } from "../../../src/errors/index.js";
import { registerWebSocketLoader, resolveWebSocket, type WebSocketConstructor } from "../../../src/transport/websocket-constructor.js";

const named = (name: string): WebSocketConstructor => ({ [name]: class {} })[name] as unknown as WebSocketConstructor;
const globalClass = named("GlobalWebSocket");
const registeredClass = named("RegisteredWebSocket");
const injectedClass = named("InjectedWebSocket");
const failingLoad = () => Promise.reject(new Error("cannot import ws"));

describe("resolveWebSocket", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("takes the injected class before anything else", async () => {
    vi.stubGlobal("WebSocket", globalClass);
    registerWebSocketLoader(async () => registeredClass, { preferOverGlobal: true });
    expect(await resolveWebSocket(injectedClass)).toBe(injectedClass);
  });

  it("takes the registered class over the runtime's global one where it is preferred (the Node entry on Node ≥ 22)", async () => {
    vi.stubGlobal("WebSocket", globalClass);
    registerWebSocketLoader(async () => registeredClass, { preferOverGlobal: true });
    expect(await resolveWebSocket(undefined)).toBe(registeredClass);
  });

  it("keeps the global class when the preferred one cannot be loaded", async () => {
    vi.stubGlobal("WebSocket", globalClass);
    registerWebSocketLoader(failingLoad, { preferOverGlobal: true });
    expect(await resolveWebSocket(undefined)).toBe(globalClass);
  });

  it("takes the global class before a registered fallback that is not preferred (Deno, Bun)", async () => {
    vi.stubGlobal("WebSocket", globalClass);
    registerWebSocketLoader(async () => registeredClass);
    expect(await resolveWebSocket(undefined)).toBe(globalClass);
  });

  it("falls back to the registered class without a global one (Node 20), and names the failure to load it", async () => {
    vi.stubGlobal("WebSocket", undefined);
    registerWebSocketLoader(async () => registeredClass);
    expect(await resolveWebSocket(undefined)).toBe(registeredClass);
    registerWebSocketLoader(failingLoad, { preferOverGlobal: true });
    const error = await resolveWebSocket(undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FlussError);
    expect((error as FlussError).errorCode).toBe(ErrorCode.CLIENT_ERROR);
    expect((error as FlussError).message).toMatch(/cannot load a WebSocket implementation/);
  });
});
