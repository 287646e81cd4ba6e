import Router from "find-my-way";
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from "fastify";

/**
 * Unknown paths answer 404 and known paths with another method 405 (with an
 * `Allow` header), both in the error shape. Fastify's router answers 404 for
 * both, so a second router of path patterns, fed by onRoute, tells them apart.
 * `fallback` may answer first: the console's pages.
 */
export function registerNotFound(app: FastifyInstance, fallback: (request: FastifyRequest, reply: FastifyReply) => boolean = () => false): void {
  const paths = Router();
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook("onRoute", (route) => {
    const methods = ([] as HTTPMethods[]).concat(route.method);
    let known = methodsByPath.get(route.url);
    if (!known) {
      known = new Set();
      methodsByPath.set(route.url, known);
      paths.on("GET", route.url, () => undefined, { url: route.url });
    }
    for (const m of methods) known.add(m);
  });
  app.setNotFoundHandler((request, reply) => {
    if (fallback(request, reply)) return reply;
    const path = request.url.split("?")[0] ?? "/";
    const match = paths.find("GET", path);
    const allowed = match ? methodsByPath.get((match.store as { url: string }).url) : undefined;
    if (allowed && !allowed.has(request.method)) {
      return reply
        .code(405)
        .header("allow", [...allowed].join(", "))
        .send({ code: 405, error: `method ${request.method} is not allowed on ${path}` });
    }
    return reply.code(404).send({ code: 404, error: `no route ${request.method} ${path}` });
  });
}
