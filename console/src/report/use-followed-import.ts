import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { assetsChanged } from "../api/asset-reads";
import { followImport, getImport } from "../api/imports";
import { isFinal, type ImportStatus } from "../api/types";

export const importKey = (importId: number) => ["import", importId] as const;

/**
 * An import's status, live while it runs: the service's event stream (or
 * polling) writes each new status into the query cache; once it has ended,
 * the list and the report are fetched again.
 */
export function useFollowedImport(importId: number | null, initial?: ImportStatus) {
  const queryClient = useQueryClient();
  const status = useQuery({
    queryKey: importKey(importId ?? 0),
    queryFn: () => getImport(importId!),
    enabled: importId !== null,
    ...(initial ? { initialData: initial } : {}),
    staleTime: Infinity,
  });
  const running = status.data !== undefined && !isFinal(status.data);

  useEffect(() => {
    if (importId === null || !running) return;
    const controller = new AbortController();
    let ended = false;
    const onStatus = (next: ImportStatus) => {
      ended ||= isFinal(next);
      queryClient.setQueryData(importKey(importId), next);
    };
    followImport(importId, onStatus, controller.signal)
      .then(() => {
        void queryClient.invalidateQueries({ queryKey: ["imports"] });
        void queryClient.invalidateQueries({ queryKey: ["report", importId] });
        void queryClient.invalidateQueries({ queryKey: ["problems", importId] });
        void assetsChanged(queryClient);
      })
      .catch(() => {
        // Polling failed too (the service is gone, the session ended): show the last status
        // the service gave; the query's own error handling reports what is wrong.
        if (!controller.signal.aborted) void queryClient.invalidateQueries({ queryKey: importKey(importId) });
      });
    // The final status ends `running`, which runs this cleanup: the stream, about to end on its own, is left to.
    return () => {
      if (!ended) controller.abort();
    };
  }, [importId, running, queryClient]);

  return status;
}
