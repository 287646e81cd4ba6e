import { describe, expect, it } from "vitest";
import { attachment } from "../../src/http/download.js";

// A download's name reaches a header and the user's file system: whatever
// the name is made of, the header is one `attachment; filename="..."` whose
// name is at least one of [A-Za-z0-9._-] and does not start with a dot.

const SAFE = /^attachment; filename="[A-Za-z0-9_-][A-Za-z0-9._-]*"$/;

describe("attachment", () => {
  it("keeps a plain name as it is", () => {
    expect(attachment("assets-2025-03-04.csv")).toBe('attachment; filename="assets-2025-03-04.csv"');
    expect(attachment("asset-prod-123.xlsx")).toBe('attachment; filename="asset-prod-123.xlsx"');
  });

  it.each([
    ["a path that climbs", "../../etc/passwd"],
    ["a Windows path", "..\\..\\Windows\\win.ini"],
    ["a quote and a header injection", 'a"b\r\nSet-Cookie: x=1'],
    ["a NUL and a second parameter", "a\u0000b; filename*=UTF-8''evil.exe"],
    ["letters outside ASCII", "Größe résumé 資産.csv"],
    ["an emoji (a surrogate pair)", "📦.json"],
    ["a hidden file", ".bashrc"],
    ["only dots", ".."],
    ["nothing", ""],
  ])("reduces %s to a safe name", (_, name) => {
    expect(attachment(name)).toMatch(SAFE);
  });
});
