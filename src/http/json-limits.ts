import type { Config } from "../config.js";
import { badRequest } from "./errors.js";

export interface JsonLimits {
  maxDepth: number;
  maxKeys: number;
  maxStringLength: number;
}

export function jsonLimits(config: Config): JsonLimits {
  return { maxDepth: config.JSON_MAX_DEPTH, maxKeys: config.JSON_MAX_KEYS, maxStringLength: config.JSON_MAX_STRING_LENGTH };
}

/**
 * Refuses a parsed JSON body that nests deeper, has an object with more keys,
 * or a string (value or key) longer than the limits allow, naming where. The
 * body size limit alone would let a small body cost much: deep nesting makes
 * recursive code overflow the stack, and huge objects or strings multiply
 * the work of every check after this one.
 */
export function checkJsonLimits(value: unknown, limits: JsonLimits): void {
  // Iterative, so the check itself cannot overflow the stack; paths are
  // built only for the answer, from each node's parent.
  const stack: Node[] = [{ value, depth: 0, parent: undefined, key: "" }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { value: current, depth } = node;
    if (typeof current === "string") {
      if (current.length > limits.maxStringLength) throw badRequest(`body: the string at ${pathOf(node)} is longer than ${limits.maxStringLength} characters`);
      continue;
    }
    if (typeof current !== "object" || current === null) continue;
    if (depth >= limits.maxDepth) throw badRequest(`body: nested deeper than ${limits.maxDepth} levels at ${pathOf(node)}`);
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) stack.push({ value: current[i], depth: depth + 1, parent: node, key: i });
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.maxKeys) throw badRequest(`body: the object at ${pathOf(node)} has more than ${limits.maxKeys} keys`);
    for (const key of keys) {
      if (key.length > limits.maxStringLength) throw badRequest(`body: a key of the object at ${pathOf(node)} is longer than ${limits.maxStringLength} characters`);
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1, parent: node, key });
    }
  }
}

interface Node {
  value: unknown;
  depth: number;
  parent: Node | undefined;
  key: string | number;
}

/** `$[3].name`: where a node sits in the body, keys shortened to stay readable. */
function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let at: Node | undefined = node; at?.parent; at = at.parent) {
    parts.push(typeof at.key === "number" ? `[${at.key}]` : `.${at.key.length > 64 ? `${at.key.slice(0, 64)}…` : at.key}`);
  }
  return `$${parts.reverse().join("")}`;
}
