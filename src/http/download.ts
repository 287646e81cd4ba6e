/**
 * A Content-Disposition for a download. The name is reduced to letters,
 * digits, dot, hyphen and underscore: no quotes, path separators or control
 * characters can reach the header or the user's file system.
 */
export function attachment(filename: string): string {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_") || "download";
  return `attachment; filename="${safe}"`;
}
