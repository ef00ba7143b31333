/**
 * The dashboard page: a form to pick a gateway and a log table, and a live
 * view of that table (row count, rate, a one-minute chart, the latest rows).
 * Query parameters fill the form and `?autostart=1` opens it at once, e.g.
 *   http://127.0.0.1:5173/?gateway=ws://127.0.0.1:8787/fluss&database=shop&table=events&autostart=1
 */
import { FlussError } from "@fluss-edge/client";
import { formatCell, formatCount } from "./format.js";
import { LiveTable, type LiveTableTarget, type LiveTableView } from "./live-table.js";
import { loadZstdModule } from "./zstd-module.js";

// Fetch and compile the ZSTD codec while the page loads; opening a table waits for it.
void loadZstdModule();

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`missing #${id}`);
  return found as T;
}

const form = element<HTMLFormElement>("target");
const stopButton = element<HTMLButtonElement>("stop");
const status = element<HTMLDivElement>("status");
const chart = element<HTMLCanvasElement>("rate-chart");
const rowsTable = element<HTMLTableElement>("latest-rows");

let live: LiveTable | undefined;

function showStatus(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function showError(error: FlussError): void {
  showStatus(`${error.errorCodeName} (${error.errorCode}): ${error.message}`, true);
}

function render(view: LiveTableView): void {
  element("row-count").textContent = formatCount(view.rowsRead);
  element("row-rate").textContent = formatCount(view.rowsPerSecond);
  element("latest-offset").textContent = view.latestOffset === undefined ? "–" : formatCount(view.latestOffset);
  const head = rowsTable.tHead!;
  if (head.rows.length === 0) {
    const header = head.insertRow();
    for (const column of view.columns) header.appendChild(document.createElement("th")).textContent = column;
  }
  const body = rowsTable.tBodies[0]!;
  body.replaceChildren(
    ...view.latestRows.map((values) => {
      const row = document.createElement("tr");
      for (const value of values) row.appendChild(document.createElement("td")).textContent = formatCell(value);
      return row;
    }),
  );
  drawHistory(view.history);
}

function drawHistory(history: readonly number[]): void {
  const context = chart.getContext("2d");
  if (!context) return;
  const { width, height } = chart;
  const peak = Math.max(1, ...history);
  const barWidth = width / history.length;
  context.clearRect(0, 0, width, height);
  context.fillStyle = "#3b6fd8";
  history.forEach((rows, i) => {
    const barHeight = (rows / peak) * (height - 4);
    context.fillRect(i * barWidth + 1, height - barHeight, barWidth - 2, barHeight);
  });
}

async function stop(): Promise<void> {
  const running = live;
  live = undefined;
  stopButton.disabled = true;
  await running?.stop();
}

async function open(target: LiveTableTarget): Promise<void> {
  await stop();
  rowsTable.tHead!.replaceChildren();
  rowsTable.tBodies[0]!.replaceChildren();
  showStatus(`Opening ${target.database}.${target.table} through ${target.gatewayUrl}…`);
  try {
    live = await LiveTable.open(target, render, showError);
    stopButton.disabled = false;
    showStatus(`Following ${target.database}.${target.table} from the ${target.from} offsets.`);
  } catch (error) {
    showError(error instanceof FlussError ? error : FlussError.client(String(error)));
  }
}

function targetFromForm(): LiveTableTarget {
  const data = new FormData(form);
  return {
    gatewayUrl: String(data.get("gateway")),
    database: String(data.get("database")),
    table: String(data.get("table")),
    from: data.get("from") === "latest" ? "latest" : "earliest",
  };
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void open(targetFromForm());
});
stopButton.addEventListener("click", () => {
  void stop().then(() => showStatus("Stopped."));
});

const params = new URLSearchParams(location.search);
for (const name of ["gateway", "database", "table", "from"]) {
  const value = params.get(name);
  const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  if (value !== null && field) field.value = value;
}
if (params.get("autostart") === "1") void open(targetFromForm());
