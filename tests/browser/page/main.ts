/**
 * The page under test: it imports the client's BROWSER build (esbuild resolves
 * "@fluss-edge/client" with the `browser` condition, so no Node built-in can
 * sneak in) and exposes one function per scenario for the Playwright test.
 */
import { Config, ErrorCode, FlussConnection, FlussError } from "@fluss-edge/client";

interface ScenarioResult {
  ok: boolean;
  databases?: string[];
  errorName?: string;
  errorCode?: number;
  message?: string;
}

function show(id: string, text: string): void {
  const element = document.createElement("pre");
  element.id = id;
  element.textContent = text;
  document.body.append(element);
}

async function createAndList(gatewayUrl: string, database: string): Promise<ScenarioResult> {
  const conn = await FlussConnection.create(new Config({ "gateway.url": gatewayUrl }));
  try {
    const admin = conn.getAdmin();
    await admin.createDatabase(database, { comment: "made in a browser" });
    const databases = await admin.listDatabases();
    await admin.dropDatabase(database);
    show("databases", databases.join("\n"));
    return { ok: true, databases };
  } finally {
    await conn.close();
  }
}

async function connectToDownGateway(gatewayUrl: string): Promise<ScenarioResult> {
  try {
    await FlussConnection.create(new Config({ "gateway.url": gatewayUrl, "connect-timeout": 3000 }));
    return { ok: true };
  } catch (error) {
    if (!(error instanceof FlussError)) return { ok: false, message: `not a FlussError: ${String(error)}` };
    show("error", `${error.errorCodeName} (${error.errorCode}): ${error.message}`);
    return {
      ok: false,
      errorName: error.errorCodeName,
      errorCode: error.errorCode,
      message: error.message,
    };
  }
}

declare global {
  interface Window {
    fluss: {
      createAndList: typeof createAndList;
      connectToDownGateway: typeof connectToDownGateway;
      clientErrorCode: number;
    };
  }
}

window.fluss = { createAndList, connectToDownGateway, clientErrorCode: ErrorCode.CLIENT_ERROR };
show("ready", "ready");
