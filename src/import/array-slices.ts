/**
 * Where each element of a JSON array of objects starts and ends, found with
 * one scan instead of parsing the whole array: the worker then parses one
 * batch at a time and never holds every entry of a large import as objects.
 * The text must already be known to be a JSON array of objects (acceptance
 * checked it), so only braces outside strings matter.
 */
export function objectBounds(text: string): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, honouring backslash escapes.
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i++;
        else if (s === 0x22) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === 1 && c === 0x7b) starts.push(i);
      depth++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      if (depth === 1 && c === 0x7d) ends.push(i + 1);
    }
  }
  return { starts, ends };
}

/** Parses elements [from, to) of the array whose bounds were found above. */
export function parseSlice(text: string, bounds: { starts: number[]; ends: number[] }, from: number, to: number): Array<Record<string, unknown>> {
  if (to <= from) return [];
  return JSON.parse(`[${text.slice(bounds.starts[from], bounds.ends[to - 1])}]`) as Array<Record<string, unknown>>;
}
