import { FlussError } from "../errors/index.js";

/**
 * An event handler whose parameter is checked bivariantly, so that the DOM's
 * `(this: WebSocket, ev: CloseEvent) => any` and the `ws` package's
 * `(event: WebSocket.CloseEvent) => void` both fit the same slot.
 */
type Handler<E> = { bivarianceHack(event: E): void }["bivarianceHack"];

/**
 * The part of the WHATWG `WebSocket` the gateway transport uses. The global
 * `WebSocket` of browsers, Deno, workerd, Bun and Node ≥ 22 fits it, and so
 * does the `ws` package's client class.
 */
export interface WebSocketLike {
  /** Set to `"arraybuffer"` before the first message arrives. */
  binaryType: string;
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The subprotocol the server selected. */
  readonly protocol: string;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ readonly data: unknown }> | null;
  onerror: Handler<unknown> | null;
  onclose: Handler<{ readonly code: number; readonly reason: string }> | null;
  send(data: Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
}

/**
 * A WebSocket constructor, e.g. `globalThis.WebSocket` or `WebSocket` from the
 * `ws` package. Pass one to `FlussConnection.create(config, { webSocket })`
 * where the runtime's own is missing or must be replaced.
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** `readyState` of an open WebSocket. */
export const WEBSOCKET_OPEN = 1;

/**
 * A loader for a WebSocket class of the entry's choosing. The Node entry
 * registers the `ws` package here: Node 20 has no global WebSocket, and on
 * Node ≥ 22 it is preferred over the global one (see node.ts). The browser
 * entry registers nothing and imports no `ws`.
 */
let registered: { load: () => Promise<WebSocketConstructor>; preferOverGlobal: boolean } | undefined;

/**
 * Registers the class used when no WebSocket is injected: when the runtime
 * has no global one, or, with `preferOverGlobal`, before the global one (which
 * stays the choice if this one cannot be loaded).
 */
export function registerWebSocketLoader(load: () => Promise<WebSocketConstructor>, options: { preferOverGlobal?: boolean } = {}): void {
  registered = { load, preferOverGlobal: options.preferOverGlobal ?? false };
}

/**
 * The WebSocket class to connect with: the injected one, else the registered
 * one where it is preferred, else the runtime's global `WebSocket`, else the
 * registered one. Fails with CLIENT_ERROR when there is none.
 */
export async function resolveWebSocket(injected: WebSocketConstructor | undefined): Promise<WebSocketConstructor> {
  if (injected) return injected;
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  const hasGlobal = typeof global === "function";
  if (registered && (registered.preferOverGlobal || !hasGlobal)) {
    try {
      return await registered.load();
    } catch (cause) {
      if (!hasGlobal) throw FlussError.client("cannot load a WebSocket implementation for gateway.url", cause);
    }
  }
  if (hasGlobal) return global as WebSocketConstructor;
  throw FlussError.client(
    "this runtime has no global WebSocket: pass one as FlussConnection.create(config, { webSocket })",
  );
}
