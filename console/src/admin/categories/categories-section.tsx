import { Badge, Button, Group, Paper, Stack } from "@mantine/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { catalogQueries } from "../../api/catalog";
import { FRESH } from "../admin-api";
import type { Category } from "../admin-types";
import { ConfirmDelete } from "../confirm-delete";
import { ItemName } from "../item-name";
import { LoadStates } from "../load-states";
import { RowActions } from "../row-actions";
import { useRowDialog } from "../row-dialog";
import { PageHeading } from "../../ui/page-heading";
import { CategoryForm } from "./category-form";
import { treeRows } from "./category-tree";

type Editing = { category: Category | null; parentId: string | null };

export default function CategoriesSection() {
  const queryClient = useQueryClient();
  const categories = useQuery({ ...catalogQueries.categories, ...FRESH });
  const statusSets = useQuery({ ...catalogQueries.statusSets, ...FRESH });
  const fields = useQuery({ ...catalogQueries.customFields, ...FRESH });
  const refresh = () => void queryClient.invalidateQueries();
  const editing = useRowDialog<Editing>(refresh);
  const deleting = useRowDialog<Category>(refresh);
  const toDelete = deleting.target;
  const ready = categories.data && statusSets.data && fields.data;
  const setName = (id: string | null) => statusSets.data?.find((s) => s.id === id)?.name ?? id;
  const failed = [categories, statusSets, fields].find((q) => q.isError);

  return (
    <Stack gap="md">
      <PageHeading
        title="Categories"
        description="A tree: a category's fields and status set apply below it too."
        action={
          <Button onClick={() => editing.open({ category: null, parentId: null })} disabled={!ready}>
            New category
          </Button>
        }
      />
      <LoadStates query={failed ?? categories} loading={!ready && !failed} empty={categories.data?.length === 0 ? "No categories yet." : null} height={200} />
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
                  <ItemName name={category.name} id={category.id} />
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
                <RowActions name={category.name} onEdit={() => editing.open({ category, parentId: category.parent_id })} onDelete={() => deleting.open(category)}>
                  <Button size="xs" variant="subtle" onClick={() => editing.open({ category: null, parentId: category.id })} aria-label={`Add a subcategory to ${category.name}`}>
                    Add subcategory
                  </Button>
                </RowActions>
              </Group>
            </Paper>
          ))}
        </Stack>
      ) : null}
      {editing.target && ready ? (
        <CategoryForm
          category={editing.target.category}
          parentId={editing.target.parentId}
          categories={categories.data}
          statusSets={statusSets.data}
          fields={fields.data}
          onClose={editing.close}
          onSaved={editing.done}
        />
      ) : null}
      {toDelete ? (
        <ConfirmDelete
          title={`Delete the category “${toDelete.name}”?`}
          onClose={deleting.close}
          onDelete={() => data(api.DELETE("/api/v4/categories/{category_id}", { params: { path: { category_id: toDelete.id } } }))}
          onDone={deleting.done}
        >
          A category with subcategories, or one that assets have (deleted assets included), cannot be deleted: move them first.
        </ConfirmDelete>
      ) : null}
    </Stack>
  );
}
