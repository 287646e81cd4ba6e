import { Pagination } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";

export const PAGE_SIZE = 50;

/** A list read a page at a time; the page shown stays until the next one is there, so the table does not jump. */
export function usePagedQuery<T extends { total_pages: number }>(queryKey: readonly unknown[], read: (page: number) => Promise<T>) {
  const [page, setPage] = useState(1);
  const query = useQuery({ queryKey: [...queryKey, page], queryFn: () => read(page), placeholderData: keepPreviousData });
  return { query, page, setPage };
}

export function PageLinks({ data, page, onChange }: { data: { total_pages: number } | undefined; page: number; onChange: (page: number) => void }) {
  return data && data.total_pages > 1 ? <Pagination total={data.total_pages} value={page} onChange={onChange} /> : null;
}
