import { useState } from "react";

/**
 * Which row (or "new") a section's dialog is open for. Done closes it and
 * reloads, since a change may show elsewhere too.
 */
export function useRowDialog<T>(reload: () => void) {
  const [target, setTarget] = useState<T | null>(null);
  return {
    target,
    open: (row: T) => setTarget(row),
    close: () => setTarget(null),
    done: () => {
      setTarget(null);
      reload();
    },
  };
}
