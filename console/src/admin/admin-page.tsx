import { Alert, Button, Center, Group, Loader, Stack, Text, Title } from "@mantine/core";
import { lazy, Suspense, type ComponentType } from "react";
import { Link } from "wouter";
import { isAdmin, roleOf, useCurrentUser } from "../app/use-session";
import { ErrorAlert } from "../ui/error-alert";

interface Section {
  value: string;
  label: string;
  component: ComponentType;
  /** Shown to system administrators only (`system_admin` of GET /users/me). */
  system?: boolean;
}

const SECTIONS: Section[] = [
  { value: "fields", label: "Fields", component: lazy(() => import("./fields/fields-section")) },
  { value: "categories", label: "Categories", component: lazy(() => import("./categories/categories-section")) },
  { value: "status-sets", label: "Status sets", component: lazy(() => import("./status-sets/status-sets-section")) },
  { value: "sites", label: "Sites", component: lazy(() => import("./sites/sites-section")) },
  { value: "users", label: "Users", component: lazy(() => import("./users/users-section")) },
  { value: "api-keys", label: "API keys", component: lazy(() => import("./api-keys/api-keys-section")) },
  { value: "audit", label: "Audit log", component: lazy(() => import("./audit/audit-section")) },
  { value: "tenants", label: "Tenants", component: lazy(() => import("./tenants/tenants-section")), system: true },
];

export default function AdminPage({ section }: { section: string }) {
  const me = useCurrentUser();

  if (me.isError) return <ErrorAlert error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (!isAdmin(me.data)) return <NotAllowed role={roleOf(me.data)} />;

  const sections = SECTIONS.filter((s) => !s.system || me.data.system_admin);
  const current = sections.find((s) => s.value === section);
  return (
    <Stack gap="md">
      {/* Links, not tabs: each section has its own URL, to bookmark or open in a new tab. */}
      <Group component="nav" aria-label="Admin sections" gap={4}>
        {sections.map((s) => (
          <Button
            key={s.value}
            component={Link}
            href={`/admin/${s.value}`}
            variant={s === current ? "filled" : "subtle"}
            size="compact-md"
            aria-current={s === current ? "page" : undefined}
          >
            {s.label}
          </Button>
        ))}
      </Group>
      {current ? (
        <Suspense
          fallback={
            <Center py="xl">
              <Loader aria-label="Loading" />
            </Center>
          }
        >
          <current.component key={current.value} />
        </Suspense>
      ) : (
        <Stack gap="xs">
          <Title order={1} size="h2">
            No such admin section
          </Title>
          <Text>
            There is no section named “{section}”. <Link href="/admin/fields">Go to the fields</Link>.
          </Text>
        </Stack>
      )}
    </Stack>
  );
}

function NotAllowed({ role }: { role: string }) {
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Admin
      </Title>
      <Alert color="yellow" title="Only administrators can run the registry" role="alert">
        Fields, categories, status sets, sites, users, API keys and the audit log are set up by a tenant's administrators. Your role is {role}: ask an administrator
        of your tenant to make the change, or to give you the admin role.
      </Alert>
    </Stack>
  );
}
