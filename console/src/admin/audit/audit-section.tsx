import { Select, Stack, Table, Text } from "@mantine/core";
import { useState } from "react";
import { api, data } from "../../api/client";
import { formatCount, formatTime } from "../../ui/format";
import { adminKeys } from "../admin-api";
import { AdminTable } from "../admin-table";
import type { AuditEvent, AuditEventName } from "../admin-types";
import { LoadStates } from "../load-states";
import { PAGE_SIZE, PageLinks, usePagedQuery } from "../paged-query";
import { PageHeading } from "../../ui/page-heading";

const EVENT_LABELS: Record<AuditEventName, string> = {
  login: "Logged in",
  login_failed: "Login failed",
  login_throttled: "Login locked out",
  logout: "Logged out",
  password_changed: "Password changed",
  password_change_failed: "Password change failed",
  password_reset: "Password reset",
  user_created: "User created",
  user_updated: "User changed",
  api_key_created: "API key created",
  api_key_deleted: "API key deleted",
  tenant_created: "Tenant created",
};

const EVENT_FILTER = [{ value: "all", label: "All events" }, ...Object.entries(EVENT_LABELS).map(([value, label]) => ({ value, label }))];

export default function AuditSection() {
  const [event, setEvent] = useState<AuditEventName | null>(null);
  const { query: events, page, setPage } = usePagedQuery([...adminKeys.audit, event], (page) => data(api.GET("/api/v4/audit-events", { params: { query: { page, limit: PAGE_SIZE, ...(event ? { event } : {}) } } })));

  return (
    <Stack gap="md">
      <PageHeading title="Audit log" description="Security events of the tenant, newest first: logins, users, passwords, API keys." />
      <Select
        label="Event"
        data={EVENT_FILTER}
        value={event ?? "all"}
        onChange={(value) => {
          setEvent(value && value !== "all" ? (value as AuditEventName) : null);
          setPage(1);
        }}
        allowDeselect={false}
        w={240}
      />
      <LoadStates query={events} empty={events.data?.total_count === 0 ? `No events${event ? " of this kind" : ""}.` : null} height={200} />
      {events.data && events.data.total_count > 0 ? (
        <>
          <Text size="sm" c="dimmed">
            {formatCount(events.data.total_count)} {events.data.total_count === 1 ? "event" : "events"}
          </Text>
          <AdminTable label="Audit events" columns={["When", "Event", "By", "On", "From", "Details"]} minWidth={860}>
            {events.data.collection.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td style={{ whiteSpace: "nowrap" }}>{formatTime(row.at)}</Table.Td>
                <Table.Td>{EVENT_LABELS[row.event as AuditEventName] ?? row.event}</Table.Td>
                <Table.Td>{row.actor ?? "–"}</Table.Td>
                <Table.Td>{row.target ?? "–"}</Table.Td>
                <Table.Td>{row.ip ?? "–"}</Table.Td>
                <Table.Td>
                  <Details details={row.details} />
                </Table.Td>
              </Table.Tr>
            ))}
          </AdminTable>
        </>
      ) : null}
      <PageLinks data={events.data} page={page} onChange={setPage} />
    </Stack>
  );
}

function Details({ details }: { details: AuditEvent["details"] }) {
  if (!details || Object.keys(details).length === 0) return <>–</>;
  return (
    <Text size="xs" ff="monospace" style={{ wordBreak: "break-word" }}>
      {Object.entries(details)
        .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(", ")}
    </Text>
  );
}
