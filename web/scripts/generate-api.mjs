// The typed API clients' types, generated from the committed OpenAPI documents.
//
//   node scripts/generate-api.mjs          write src/api/generated/<service>.ts
//   node scripts/generate-api.mjs --check  write nothing; exit 1 naming what differs
//
// One file per HTTP API document in contracts/openapi/ (`<service>.json`). Ingest API
// documents (`<service>-ingest.json`) are left out: their publisher API keys never belong
// in a browser. `make contracts` runs this after exporting the documents, and a contract
// test runs it with --check, so a changed document cannot go unnoticed.
import { readdir, readFile, writeFile, rm } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";

const WEB = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const DOCUMENTS = path.join(WEB, "..", "contracts", "openapi");
const OUT = path.join(WEB, "src", "api", "generated");
const INGEST_SUFFIX = "-ingest.json";

function header(source) {
  return (
    `// Generated from contracts/openapi/${source} by web/scripts/generate-api.mjs.\n` +
    "// Do not edit: `make contracts` regenerates it (a contract test checks it is current).\n\n"
  );
}

async function expectedFiles() {
  const names = (await readdir(DOCUMENTS))
    .filter((name) => name.endsWith(".json") && !name.endsWith(INGEST_SUFFIX))
    .sort();
  const files = new Map();
  for (const name of names) {
    const document = JSON.parse(await readFile(path.join(DOCUMENTS, name), "utf8"));
    const ast = await openapiTS(document, { silent: true, cwd: pathToFileURL(DOCUMENTS + "/") });
    files.set(name.replace(/\.json$/, ".ts"), header(name) + astToString(ast));
  }
  return files;
}

async function committedFiles() {
  const files = new Map();
  for (const name of (await readdir(OUT)).filter((n) => n.endsWith(".ts")).sort()) {
    files.set(name, await readFile(path.join(OUT, name), "utf8"));
  }
  return files;
}

const check = process.argv.includes("--check");
const expected = await expectedFiles();
const committed = await committedFiles();
const drifted = [];
for (const [name, text] of expected) {
  if (committed.get(name) !== text) drifted.push(`${name}: differs from its OpenAPI document`);
}
for (const name of committed.keys()) {
  if (!expected.has(name)) drifted.push(`${name}: no OpenAPI document generates it`);
}
if (check) {
  if (drifted.length) {
    console.error("web API types drifted; run `make contracts`:\n" + drifted.join("\n"));
    process.exit(1);
  }
  console.log(`web API types match ${expected.size} OpenAPI documents`);
} else {
  for (const [name, text] of expected) {
    if (committed.get(name) !== text) await writeFile(path.join(OUT, name), text);
  }
  for (const name of committed.keys()) {
    if (!expected.has(name)) await rm(path.join(OUT, name));
  }
  console.log(`wrote ${drifted.length} of ${expected.size} API type files in ${OUT}`);
}
