// Writes the OpenAPI document the service serves at /openapi.json to
// openapi/openapi.json, and the TypeScript types openapi-typescript makes of
// it to openapi/schema.d.ts: typed clients (the test client, the console)
// are built on them, and test/openapi/document.test.ts fails when either
// file no longer matches the routes. Run: npm run openapi
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { generateOpenApiFiles } from "./openapi-files.js";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const files = await generateOpenApiFiles();
mkdirSync(`${root}/openapi`, { recursive: true });
writeFileSync(`${root}/openapi/openapi.json`, files.document);
writeFileSync(`${root}/openapi/schema.d.ts`, files.types);
console.log("wrote openapi/openapi.json and openapi/schema.d.ts");
