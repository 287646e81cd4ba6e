import type { Config } from "../config.js";
import { badRequest } from "./errors.js";

export interface JsonLimits {
  maxDepth: number;
  maxKeys: number;
  maxStringLength: number;
  /** Refuse U+0000 and lone surrogates; import entries report them per entry instead. */
  refuseUnstorableText: boolean;
}

export function jsonLimits(config: Config): JsonLimits {
  return { maxDepth: config.JSON_MAX_DEPTH, maxKeys: config.JSON_MAX_KEYS, maxStringLength: config.JSON_MAX_STRING_LENGTH, refuseUnstorableText: true };
}

/**
 * The limits for import entries: an entry's unstorable text is that entry's
 * warning or failure in the import's report, as for any other bad value,
 * rather than a refusal of the whole file.
 */
export function importEntryLimits(config: Config): JsonLimits {
  return { ...jsonLimits(config), refuseUnstorableText: false };
}

/**
 * Refuses a parsed JSON body that nests deeper, has an object with more keys,
 * or a string (value or key) longer than the limits allow, naming where. The
 * body size limit alone would let a small body cost much: deep nesting makes
 * recursive code overflow the stack, and huge objects or strings multiply
 * the work of every check after this one.
 *
 * It also refuses text that cannot be kept exactly: U+0000 (PostgreSQL cannot
 * store it; SQLite would, so the backends would differ) and lone surrogates
 * (`"\ud800"`, which each backend's UTF-8 encoding replaces differently).
 * Every JSON body passes here, so this one check serves every route; only
 * import entries are exempt (importEntryLimits).
 */
export function checkJsonLimits(value: unknown, limits: JsonLimits): void {
  const problem = jsonLimitProblem(value, limits);
  if (problem) throw badRequest(`body: ${problem}`);
}

/** What about `value` breaks the limits, and where, or undefined. */
export function jsonLimitProblem(value: unknown, limits: JsonLimits): string | undefined {
  const problem = check(value, limits, 0);
  return problem && `${problem.message} at $${problem.path.reverse().join("")}`;
}

interface Problem {
  message: string;
  /** From the offending value up to the root; reversed for the answer. */
  path: string[];
}

// Recursive, but never deeper than maxDepth: the walk stops there, so it
// cannot overflow the stack whatever JSON.parse accepted. No allocation
// happens on the way down; the path is built only on the way back up from a
// problem, which keeps the check cheap on a 50,000-entry import.
function check(value: unknown, limits: JsonLimits, depth: number): Problem | undefined {
  if (typeof value === "string") {
    if (value.length > limits.maxStringLength) return { message: `a string is longer than ${limits.maxStringLength} characters`, path: [] };
    return limits.refuseUnstorableText ? textProblem(value, "a string") : undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  if (depth >= limits.maxDepth) return { message: `nested deeper than ${limits.maxDepth} levels`, path: [] };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item !== "object" && typeof item !== "string") continue;
      const problem = check(item, limits, depth + 1);
      if (problem) {
        problem.path.push(`[${i}]`);
        return problem;
      }
    }
    return undefined;
  }
  let count = 0;
  for (const key in value) {
    if (++count > limits.maxKeys) return { message: `an object has more than ${limits.maxKeys} keys`, path: [] };
    if (key.length > limits.maxStringLength) return { message: `a key is longer than ${limits.maxStringLength} characters`, path: [] };
    const keyProblem = limits.refuseUnstorableText ? textProblem(key, "a key") : undefined;
    if (keyProblem) return keyProblem;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item !== "object" && typeof item !== "string") continue;
    const problem = check(item, limits, depth + 1);
    if (problem) {
      problem.path.push(`.${key.length > 64 ? `${key.slice(0, 64)}…` : key}`);
      return problem;
    }
  }
  return undefined;
}

function textProblem(text: string, what: string): Problem | undefined {
  const problem = unstorableText(text);
  return problem === undefined ? undefined : { message: `${what} holds ${problem}, which cannot be stored`, path: [] };
}

/** What makes `text` impossible to keep exactly on both backends, or undefined (also used for paths and queries). */
export function unstorableText(text: string): string | undefined {
  if (text.includes("\u0000")) return "U+0000 (NUL)";
  if (!text.isWellFormed()) return "a lone UTF-16 surrogate (not a character)";
  return undefined;
}
