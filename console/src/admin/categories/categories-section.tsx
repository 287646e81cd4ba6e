import { Badge, Button, Group, Paper, Skeleton, Stack, Text } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { adminKeys, listCategories, listCustomFields, listStatusSets } from "../admin-api";
import { AdminError } from "../admin-error";
import type { Category } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { SectionHeading } from "../section-heading";
import { CategoryForm } from "./category-form";
import { treeRows } from "./category-tree";

type Editing = { category: Category | null; parentId: string | null } | null;

export default function CategoriesSection() {
  const queryClient = useQueryClient();
  const categories = useQuery({ queryKey: adminKeys.categories, queryFn: listCategories });
  const statusSets = useQuery({ queryKey: adminKeys.statusSets, queryFn: listStatusSets });
  const fields = useQuery({ queryKey: adminKeys.fields, queryFn: listCustomFields });
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const refresh = () => void queryClient.invalidateQueries();
  const ready = categories.data && statusSets.data && fields.data;
  const setName = (id: string | null) => statusSets.data?.find((s) => s.id === id)?.name ?? id;
  const failed = [categories, statusSets, fields].find((q) => q.isError);

  return (
    <Stack gap="md">
      <SectionHeading
        title="Categories"
        description="A tree: a category's fields and status set apply below it too."
        action={
          <Button onClick={() => setEditing({ category: null, parentId: null })} disabled={!ready}>
            New category
          </Button>
        }
      />
      {failed ? <AdminError error={failed.error} onRetry={() => void failed.refetch()} /> : null}
      {!ready && !failed ? <Skeleton h={200} /> : null}
      {categories.data?.length === 0 ? <Text c="dimmed">No categories yet.</Text> : null}
      {ready ? (
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: "none" }} aria-label="Category tree">
          {treeRows(categories.data).map(({ category, depth }) => (
            <Paper
              component="li"
              key={category.id}
              withBorder
              p="xs"
              ml={`calc(${Math.min(depth, 6)} * var(--mantine-spacing-lg))`}
              aria-label={category.name}
            >
              <Group justify="space-between" gap="xs">
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Text fw={600}>
                    {category.name}{" "}
                    <Text span size="sm" c="dimmed">
                      {category.id}
                    </Text>
                  </Text>
                  <Group gap={4}>
                    {category.effective_status_set_id ? (
                      <Badge variant="outline" tt="none" color={category.status_set_id ? "blue" : "gray"}>
                        Statuses: {setName(category.effective_status_set_id)}
                        {category.status_set_id ? "" : " (inherited)"}
                      </Badge>
                    ) : null}
                    {category.fields.map((name) => (
                      <Badge key={name} variant="light" tt="none">
                        {name}
                      </Badge>
                    ))}
                  </Group>
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="subtle" onClick={() => setEditing({ category: null, parentId: category.id })} aria-label={`Add a subcategory to ${category.name}`}>
                    Add subcategory
                  </Button>
                  <Button size="xs" variant="default" onClick={() => setEditing({ category, parentId: category.parent_id })} aria-label={`Edit ${category.name}`}>
                    Edit
                  </Button>
                  <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(category)} aria-label={`Delete ${category.name}`}>
                    Delete
                  </Button>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
      ) : null}
      {editing && ready ? (
        <CategoryForm
          category={editing.category}
          parentId={editing.parentId}
          categories={categories.data}
          statusSets={statusSets.data}
          fields={fields.data}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            refresh();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDelete
          title={`Delete the category “${deleting.name}”?`}
          onClose={() => setDeleting(null)}
          onDelete={() => data(api.DELETE("/api/v4/categories/{category_id}", { params: { path: { category_id: deleting.id } } }))}
          onDone={() => {
            setDeleting(null);
            refresh();
          }}
        >
          A category with subcategories, or one that assets have (deleted assets included), cannot be deleted: move them first.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}
