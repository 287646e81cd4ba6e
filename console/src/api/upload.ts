import { errorFromBody, errorFromParts, handleUnauthorized } from "./errors";
import { getToken } from "./session";
import type { ImportQuery, ImportStatus } from "./types";

/** The `columns` option: a file column's key as imported (null: left out); sent as JSON in the query. */
export type ColumnsOption = Record<string, string | null>;

export type StartImportQuery = Omit<ImportQuery, "columns"> & { columns?: ColumnsOption };

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface StartedImport {
  status: ImportStatus;
  /** The service answered an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/** The query string of an import or a preview: options left at their defaults are not sent. */
export function importSearch(query: StartImportQuery): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    search.set(key, key === "columns" ? JSON.stringify(value) : String(value));
  }
  return search;
}

/**
 * POST /api/v4/assets-import with the file as the body. XMLHttpRequest, not
 * fetch, for its upload progress events; the File is handed over as it is, so
 * the browser streams it from disk and a large file never sits in the page.
 */
export function startImport(
  body: Blob,
  contentType: string,
  query: StartImportQuery,
  idempotencyKey: string,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<StartedImport> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const search = importSearch(query).toString();
    xhr.open("POST", `/api/v4/assets-import${search ? `?${search}` : ""}`);
    const token = getToken();
    if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.setRequestHeader("Content-Type", contentType);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Idempotency-Key", idempotencyKey);
    xhr.responseType = "text";
    xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : body.size });
    xhr.onload = () => {
      if (xhr.status === 202 || xhr.status === 200) {
        try {
          resolve({ status: JSON.parse(xhr.responseText) as ImportStatus, replayed: xhr.getResponseHeader("Idempotent-Replayed") === "true" });
        } catch {
          reject(errorFromParts(xhr.status, "The service's answer could not be read", null));
        }
        return;
      }
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's page
      }
      const error = errorFromBody(xhr.status, body, xhr.getResponseHeader("Retry-After"));
      handleUnauthorized(error, token !== null);
      reject(error);
    };
    xhr.onerror = () => reject(new TypeError("network error"));
    xhr.onabort = () => reject(new DOMException("The upload was stopped", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
