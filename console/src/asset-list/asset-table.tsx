import { Anchor, Table, Text, UnstyledButton } from "@mantine/core";
import type { MouseEvent } from "react";
import { Link, useLocation } from "wouter";
import { assetHref } from "../app/paths";
import type { Asset } from "./assets-api";
import { cellText, isNumeric, type Column, type Names } from "./columns";
import type { SortKey } from "./view";
import classes from "./asset-list.module.css";

interface Props {
  assets: Asset[];
  columns: Column[];
  names: Names;
  sort: SortKey[];
  onSort: (field: string, add: boolean) => void;
}


/** The page of assets; the service sorts and pages, the headers only ask it to. */
export function AssetTable({ assets, columns, names, sort, onSort }: Props) {
  const [, navigate] = useLocation();
  return (
    <>
      <Table.ScrollContainer minWidth={Math.max(640, columns.length * 140)}>
        <Table highlightOnHover verticalSpacing="xs" aria-label="Assets" aria-describedby="asset-sort-help">
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => {
                const at = sort.findIndex((key) => key.field === column.key);
                const key = at >= 0 ? sort[at] : undefined;
                const numeric = isNumeric(column.type);
                return (
                  <Table.Th key={column.key} aria-sort={key ? (key.desc ? "descending" : "ascending") : undefined} className={numeric ? classes.number : undefined}>
                    {column.sortable ? (
                      <UnstyledButton className={classes.sortButton} onClick={(event: MouseEvent) => onSort(column.key, event.shiftKey)}>
                        {column.label}
                        <span className={classes.sortMark} aria-hidden="true">
                          {key ? `${key.desc ? "▼" : "▲"}${sort.length > 1 ? at + 1 : ""}` : ""}
                        </span>
                      </UnstyledButton>
                    ) : (
                      column.label
                    )}
                  </Table.Th>
                );
              })}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {assets.map((asset) => (
              <Table.Tr key={asset.id} className={classes.row} onClick={() => navigate(assetHref(asset.id))}>
                {columns.map((column) =>
                  column.key === "id" ? (
                    <Table.Td key={column.key} className={classes.id}>
                      <Anchor component={Link} href={assetHref(asset.id)} onClick={(event: MouseEvent) => event.stopPropagation()}>
                        {asset.id}
                      </Anchor>
                    </Table.Td>
                  ) : (
                    <Table.Td key={column.key} className={isNumeric(column.type) ? classes.number : classes.text}>
                      {cellText(asset, column, names)}
                    </Table.Td>
                  ),
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Text id="asset-sort-help" size="xs" c="dimmed" px="sm" pb="xs">
        Click a column's name to sort by it; Shift-click to add it as the next key (up to five).
      </Text>
    </>
  );
}
