import { Button, CloseButton, Group, Paper, Skeleton, Stack, Switch, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import { useHistoryState } from "wouter/use-browser-location";
import { useCategories, useFields, useSites, useStatusSets } from "../api/catalog";
import { NEW_ASSET } from "../app/paths";
import { canWriteAssets, useCurrentUser } from "../app/use-session";
import { PageHeading } from "../ui/page-heading";
import { ErrorAlert } from "../ui/error-alert";
import { countAssets, listAssets } from "./assets-api";
import { AssetTable } from "./asset-table";
import { ColumnChooser } from "./column-chooser";
import { allColumns, namesOf, projection, visibleColumns } from "./columns";
import { ExportMenu, useExport } from "./export-menu";
import { FilterBuilder } from "./filter-builder";
import { FilterChips } from "./filter-chips";
import { putFilters } from "./filters";
import { Paging, type PagingState } from "./paging";
import { parseView, queryParams, queryString, sortBy, viewUrl, withQuery, type AssetView } from "./view";

const SEARCH_DELAY_MS = 300;

export default function AssetListPage() {
  const me = useCurrentUser();
  const [, navigate] = useLocation();
  const search = useSearch();
  const view = useMemo(() => parseView(search), [search]);
  // The cursors of the pages before this one ride in the history entry, so Previous and a reload both know them.
  const paging = useHistoryState<PagingState | null>();
  const before = view.cursor === null ? [] : (paging?.before ?? null);
  const params = useMemo(() => queryParams(view), [view]);
  const paramsKey = queryString(params);


  const fields = useFields();
  const categories = useCategories();
  const statusSets = useStatusSets();
  const sites = useSites();
  const names = useMemo(() => namesOf(categories.data, statusSets.data, sites.data), [categories.data, statusSets.data, sites.data]);
  const all = useMemo(() => allColumns(fields.data ?? []), [fields.data]);
  const columns = useMemo(() => visibleColumns(all, view.columns), [all, view.columns]);
  const wanted = projection(view.columns);

  const rows = useQuery({
    queryKey: ["assets", "list", paramsKey, view.cursor, wanted?.join(",")],
    queryFn: ({ signal }) => listAssets(params, view.cursor, wanted, signal),
    placeholderData: keepPreviousData,
  });
  const total = useQuery({
    queryKey: ["assets", "count", queryString(queryParams({ ...view, sort: [] }))],
    queryFn: ({ signal }) => countAssets(params, signal),
    placeholderData: keepPreviousData,
  });
  const download = useExport(params);

  const go = (next: AssetView, options: { replace?: boolean; before?: Array<string | null> } = {}) =>
    navigate(viewUrl(next), { replace: options.replace ?? false, state: options.before ? ({ before: options.before } satisfies PagingState) : null });

  const [text, setText] = useState(view.search);
  const [debounced] = useDebouncedValue(text, SEARCH_DELAY_MS);
  useEffect(() => setText(view.search), [view.search]);
  // Only a change of the typed text sends it (so the effect follows `debounced` alone): a URL that
  // changed meanwhile (Back, a chip removed) is not overwritten by the text typed before.
  useEffect(() => {
    if (debounced !== view.search) go(withQuery(view, { search: debounced }), { replace: true });
  }, [debounced]);

  const [building, setBuilding] = useState(false);

  return (
    <Stack gap="md">
      <PageHeading
        title="Assets"
        action={
          <Group gap="xs">
              <ExportMenu download={download} />
              {canWriteAssets(me.data) ? (
                <Button component={Link} href={NEW_ASSET}>
                  New asset
                </Button>
              ) : null}
          </Group>
        }
      />
      <Group align="flex-end" gap="xs" wrap="wrap">
        <TextInput
          label="Search"
          description="ID, name, description and text values"
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          rightSection={text !== "" ? <CloseButton aria-label="Clear the search" onClick={() => setText("")} /> : null}
          style={{ flex: "1 1 240px" }}
          maw={420}
        />
        <Button variant="default" onClick={() => setBuilding((b) => !b)} aria-expanded={building}>
          Add filter
        </Button>
        <Switch
          label="Show deleted"
          checked={view.includeInactive}
          onChange={(event) => go(withQuery(view, { includeInactive: event.currentTarget.checked }))}
          mb={8}
        />
        <ColumnChooser all={all} visible={columns} onChange={(keys) => go({ ...view, columns: keys }, { replace: true, ...(before ? { before } : {}) })} />
      </Group>
      {building ? (
        <FilterBuilder
          columns={all}
          names={names}
          categories={categories.data ?? []}
          onAdd={(added) => {
            go(withQuery(view, { filters: putFilters(view.filters, added) }));
            setBuilding(false);
          }}
          onClose={() => setBuilding(false)}
        />
      ) : null}
      <FilterChips
        filters={view.filters}
        columns={all}
        names={names}
        onRemove={(index) => go(withQuery(view, { filters: view.filters.filter((_, i) => i !== index) }))}
        onClear={() => go(withQuery(view, { filters: [] }))}
      />
      {download.isError ? <ErrorAlert title="The export did not work" error={download.error} /> : null}
      {fields.isError ? <ErrorAlert error={fields.error} onRetry={() => void fields.refetch()} /> : null}
      {rows.isError ? <ErrorAlert title="The assets could not be listed" error={rows.error} onRetry={() => void rows.refetch()} /> : null}
      {rows.isPending && !rows.isError ? <Skeleton h={320} /> : null}
      {rows.data ? (
        <Paper
          withBorder
          aria-busy={rows.isPlaceholderData}
          data-testid="asset-results"
          // Which query the rows shown answer (empty while the previous page stands in), for the browser benchmark.
          data-view={rows.isPlaceholderData ? "" : paramsKey}
        >
          {rows.data.count === 0 ? (
            <Text c="dimmed" p="md">
              {view.search !== "" || view.filters.length > 0 ? "No assets match this search and these filters." : "No assets yet."}
            </Text>
          ) : (
            <AssetTable assets={rows.data.collection} columns={columns} names={names} sort={view.sort} onSort={(field, add) => go(withQuery(view, { sort: sortBy(view.sort, field, add) }))} />
          )}
        </Paper>
      ) : null}
      {rows.data ? (
        <Paging
          count={rows.data.count}
          // A previous view's total would be wrong for these rows: none until this view's comes.
          total={total.isPlaceholderData ? null : (total.data ?? null)}
          before={before}
          hasNext={rows.data.next_cursor !== null}
          onNext={() => go({ ...view, cursor: rows.data.next_cursor }, { before: [...(before ?? []), view.cursor] })}
          onPrevious={() => before && before.length > 0 && go({ ...view, cursor: before.at(-1) ?? null }, { before: before.slice(0, -1) })}
          onFirst={() => go({ ...view, cursor: null })}
        />
      ) : null}
      {/* A query the API refuses is refused by both calls: one alert says it. */}
      {total.isError && !rows.isError ? <ErrorAlert title="The assets could not be counted" error={total.error} onRetry={() => void total.refetch()} /> : null}
    </Stack>
  );
}
