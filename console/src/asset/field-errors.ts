import { ApiError } from "../api/errors";

// A 400 of an asset write lists every problem in `details`, each a sentence
// that starts with the key it concerns ("weight_kg: Invalid value found for
// field 'weight_kg' ..."), as the import's report words them. The ID's and the
// name's have fixed sentences.

const FIXED: Record<string, string> = { "Missing ID": "id", "Invalid ID found": "id", "Invalid name found": "name" };

export interface FieldErrors {
  /** The API's sentences by the key they concern. */
  byKey: Map<string, string>;
  /** Sentences that name no key the form has. */
  rest: string[];
}

/** Sorts a write's 400 by the form's keys (the longest first: a field `a` must not take the problems of `a: b`). */
export function fieldErrors(error: unknown, keys: string[]): FieldErrors {
  const byKey = new Map<string, string>();
  const rest: string[] = [];
  if (!(error instanceof ApiError) || error.status !== 400) return { byKey, rest };
  const sentences = error.details.length > 0 ? error.details : [error.message];
  const longestFirst = [...keys].sort((a, b) => b.length - a.length);
  for (const sentence of sentences) {
    const key = FIXED[sentence.replace(/\.$/, "")] ?? longestFirst.find((k) => sentence.startsWith(`${k}: `) || sentence.toLowerCase().startsWith(`${k.toLowerCase()}: `));
    if (key === undefined) rest.push(sentence);
    else byKey.set(key, byKey.has(key) ? `${byKey.get(key)} ${sentence}` : sentence);
  }
  return { byKey, rest };
}
