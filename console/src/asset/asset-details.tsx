import { Badge, Card, DataList, Group, SimpleGrid, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { formatTime } from "../ui/format";
import type { Asset } from "./asset-api";
import { categoryPathName, fieldGroups, statusName, type Catalog } from "./catalog";
import { formatValue } from "./draft";

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

const none = (
  <Text span c="dimmed" size="sm">
    no value
  </Text>
);

/** The asset's system attributes, read-only. */
export function AssetAttributes({ asset, catalog }: { asset: Asset; catalog: Catalog }) {
  return (
    <Card withBorder padding="md" component="section" aria-labelledby="asset-attributes">
      <Title order={2} size="h4" id="asset-attributes" mb="sm">
        Attributes
      </Title>
      <DataList labelWidth={130}>
        <Item label="ID">
          <Text span ff="monospace" size="sm">
            {asset.id}
          </Text>
        </Item>
        <Item label="Category">{asset.category ? categoryPathName(catalog, asset.category) : none}</Item>
        <Item label="Status">{asset.status ? statusName(catalog, asset.category, asset.status) : none}</Item>
        <Item label="Site">{asset.site_id ? `${asset.site_name ?? asset.site_id} (${asset.site_id})` : none}</Item>
        <Item label="Tags">
          {asset.tags.length > 0 ? (
            <Group gap={4}>
              {asset.tags.map((tag) => (
                <Badge key={tag} variant="light" tt="none">
                  {tag}
                </Badge>
              ))}
            </Group>
          ) : (
            none
          )}
        </Item>
        <Item label="Description">{asset.description ? <Text style={{ whiteSpace: "pre-wrap" }}>{asset.description}</Text> : none}</Item>
        <Item label="Created">
          {formatTime(asset.created_at)} by {asset.created_by}
        </Item>
        <Item label="Updated">
          {formatTime(asset.updated_at)} by {asset.updated_by}
        </Item>
        <Item label="Version">{asset.version}</Item>
      </DataList>
    </Card>
  );
}

/** The custom values, one card per category that brings fields, then "Other fields". */
export function AssetFieldValues({ asset, catalog }: { asset: Asset; catalog: Catalog }) {
  const held = Object.keys(asset).filter((key) => catalog.fieldByName.has(key));
  const groups = fieldGroups(catalog, asset.category, held);
  if (groups.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 1, md: groups.length > 1 ? 2 : 1 }} spacing="md">
      {groups.map((group) => {
        const id = `fields-${group.category?.id ?? "other"}`;
        return (
          <Card key={id} withBorder padding="md" component="section" aria-labelledby={id}>
            <Title order={2} size="h4" id={id} mb="sm">
              {group.title}
            </Title>
            <DataList labelWidth={130}>
              {group.fields.map((field) => (
                <Item key={field.name} label={field.name}>
                  {asset[field.name] === undefined ? none : formatValue(asset[field.name])}
                </Item>
              ))}
            </DataList>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
