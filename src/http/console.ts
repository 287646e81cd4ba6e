import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Where `npm run build` puts the console: dist/console, from src/ (tests) and from dist/ (the built server) alike. */
export const CONSOLE_DIR = fileURLToPath(new URL("../../dist/console", import.meta.url));

/** Paths that are never the console's, whatever the client accepts. */
const SERVICE_PATHS = /^\/(?:api\/|docs(?:\/|$)|openapi\.json$|healthz$|readyz$|metrics$)/;

/**
 * The web console: a single-page app built by Vite into `dir`. Its hashed
 * assets are cached for good; index.html is revalidated each time, so a new
 * build reaches every browser at its next load. Without a build (a checkout
 * that never ran `npm run build`) the API works and `/` says how to build it.
 */
export async function registerConsole(app: FastifyInstance, dir: string = CONSOLE_DIR): Promise<void> {
  if (!isBuilt(dir)) {
    app.get("/", { schema: { hide: true } }, async (_request, reply) =>
      reply.code(503).header("retry-after", "60").send({ code: 503, error: "the console is not built: run `npm run build` (the API under /api/v4 works without it)" }),
    );
    return;
  }
  const assets = `${join(dir, "assets")}/`;
  await app.register(fastifyStatic, {
    root: dir,
    prefix: "/",
    // One route per file found at start: other paths reach the not-found handler.
    wildcard: false,
    index: "index.html",
    cacheControl: false,
    setHeaders: (reply, path) => reply.header("cache-control", path.startsWith(assets) ? "public, max-age=31536000, immutable" : "no-cache"),
  });
}

/**
 * A browser's page load outside the API (GET, Accept: text/html) of a path
 * the console's router knows, such as /imports/7: answered with index.html.
 * The API and the service's own paths keep their JSON 404s. False when the
 * request is not such a load.
 */
export function consolePageFallback(dir: string = CONSOLE_DIR): (request: FastifyRequest, reply: FastifyReply) => boolean {
  const built = isBuilt(dir);
  return (request, reply) => {
    if (!built || (request.method !== "GET" && request.method !== "HEAD")) return false;
    const path = request.url.split("?")[0] ?? "/";
    if (SERVICE_PATHS.test(path) || !(request.headers.accept ?? "").includes("text/html")) return false;
    void reply.header("cache-control", "no-cache").sendFile("index.html", dir);
    return true;
  };
}

/** Whether a route is the API's or the service's own (no-store answers, strict query parameters), not a file of the console. */
export function isServiceRoute(url: string): boolean {
  return SERVICE_PATHS.test(url);
}

const isBuilt = (dir: string) => existsSync(join(dir, "index.html"));
