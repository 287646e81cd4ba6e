import { api, apiFetch, data } from "./client";
import { isFinal, type Field, type FieldType, type ImportPage, type ImportState, type ImportStatus, type Preview, type ReportPage, type ReportStatus } from "./types";

/**
 * POST /api/v4/assets-import/preview: how the service reads the body, and a
 * suggested mapping; writes nothing. The body is a Blob (a file or its first
 * MiB), which openapi-fetch would serialise, so it goes through apiFetch.
 */
export async function fetchPreview(body: Blob, contentType: string, query: URLSearchParams, signal?: AbortSignal): Promise<Preview> {
  const search = query.toString();
  const response = await apiFetch(`/api/v4/assets-import/preview${search ? `?${search}` : ""}`, {
    method: "POST",
    headers: { "Content-Type": contentType, Accept: "application/json" },
    body,
    ...(signal ? { signal } : {}),
  });
  return (await response.json()) as Preview;
}

/** A page of imports; without `withChecks`, real imports only (no dry runs). */
export async function listImports(page: number, limit: number, status: ImportState | null, withChecks: boolean): Promise<ImportPage> {
  return data(api.GET("/api/v4/assets-imports", { params: { query: { page, limit, ...(status ? { status } : {}), ...(withChecks ? {} : { dry_run: false }) } } }));
}

export async function getImport(importId: number): Promise<ImportStatus> {
  return data(api.GET("/api/v4/assets-import/{import_id}", { params: { path: { import_id: importId } } }));
}

export async function cancelImport(importId: number): Promise<ImportStatus> {
  return data(api.POST("/api/v4/assets-import/{import_id}/cancel", { params: { path: { import_id: importId } } }));
}

export async function getReport(importId: number, status: ReportStatus | null, page: number, limit: number): Promise<ReportPage> {
  const query = { import_id: importId, page, limit, detail: true, ...(status ? { status } : {}) };
  return data(api.GET("/api/v4/assets-import/full-report", { params: { query } }));
}

/** One entry's rows: its warnings, then its final row with its action (at most a few, so one page). */
export async function getEntryReport(importId: number, entry: number): Promise<ReportPage["collection"]> {
  const query = { import_id: importId, entry, limit: 1000, detail: true };
  return (await data(api.GET("/api/v4/assets-import/full-report", { params: { query } }))).collection;
}

/** A page of an import's warnings and failures only, of one status or both, holding `text` if given. */
export async function getProblems(importId: number, status: "WARNING" | "FAILED" | null, text: string, page: number, limit: number): Promise<ReportPage> {
  const query = { import_id: importId, page, limit, detail: true, problems: true, ...(status ? { status } : {}), ...(text !== "" ? { q: text } : {}) };
  return data(api.GET("/api/v4/assets-import/full-report", { params: { query } }));
}

export async function createField(name: string, type: FieldType): Promise<Field> {
  return data(api.POST("/api/v4/asset-fields", { body: { name, type } }));
}

/**
 * Saves the failed entries as CSV. The download needs the Bearer header, so it
 * is fetched and handed to the browser as a Blob URL, named as the service names it.
 */
export async function downloadFailedEntries(importId: number): Promise<void> {
  const response = await apiFetch(`/api/v4/assets-import/${importId}/failed-entries?format=csv`, { headers: { Accept: "text/csv" } });
  await saveDownload(response, `import-${importId}-failed-entries.csv`);
}

/** Hands a fetched file to the browser through a Blob URL, under the name from Content-Disposition. */
export async function saveDownload(response: Response, fallbackName: string): Promise<void> {
  const blob = await response.blob();
  const name = fileName(response.headers.get("content-disposition")) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function fileName(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1]!.trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : null;
}

const POLL_MS = 500;

/**
 * Follows an import until it ends: the service's event stream (read with
 * fetch, since EventSource cannot send the Bearer header), and polling every
 * 500 ms if the stream is not there or breaks. Resolves with the final status.
 */
export async function followImport(importId: number, onStatus: (status: ImportStatus) => void, signal: AbortSignal): Promise<ImportStatus> {
  let last: ImportStatus | null = null;
  const report = (status: ImportStatus) => {
    last = status;
    onStatus(status);
  };
  try {
    await readEvents(importId, report, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    // the stream broke: polling takes over
  }
  const ended = last as ImportStatus | null;
  if (ended && isFinal(ended)) return ended;
  for (;;) {
    if (signal.aborted) throw new DOMException("stopped", "AbortError");
    const status = await getImport(importId);
    report(status);
    if (isFinal(status)) return status;
    await wait(POLL_MS, signal);
  }
}

async function readEvents(importId: number, onStatus: (status: ImportStatus) => void, signal: AbortSignal): Promise<void> {
  // GET /api/v4/assets-import/{import_id}/events (text/event-stream, which openapi-fetch does not read).
  const response = await apiFetch(`/api/v4/assets-import/${importId}/events`, { headers: { Accept: "text/event-stream" }, signal });
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    // Events end with a blank line (LF or CRLF).
    for (let end = eventEnd(buffer); end; end = eventEnd(buffer)) {
      const block = buffer.slice(0, end.index);
      buffer = buffer.slice(end.index + end.length);
      const event = parseEvent(block);
      if (event.type === "status" && event.data) {
        const status = JSON.parse(event.data) as ImportStatus;
        // After the final status the service ends the stream: it is read to its end, not
        // cancelled, so that no aborted request is left behind.
        onStatus(status);
      }
    }
  }
}

function eventEnd(buffer: string): { index: number; length: number } | null {
  const match = /\r?\n\r?\n/.exec(buffer);
  return match ? { index: match.index, length: match[0].length } : null;
}

function parseEvent(block: string): { type: string; data: string } {
  let type = "message";
  const dataLines: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (name === "event") type = value;
    else if (name === "data") dataLines.push(value);
  }
  return { type, data: dataLines.join("\n") };
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
