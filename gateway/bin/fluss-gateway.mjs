#!/usr/bin/env node
// The fluss-edge gateway command. Runs the built package (pnpm run build first).
import { main } from "../dist/main.js";

await main(process.argv.slice(2));
