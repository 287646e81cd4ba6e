import { Pagination, Select, Skeleton, Stack, Table, Text } from "@mantine/core";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, data } from "../../api/client";
import { formatCount, formatTime } from "../../ui/format";
import { adminKeys } from "../admin-api";
import { AdminError } from "../admin-error";
import type { AuditEvent, AuditEventName } from "../admin-types";
import { SectionHeading } from "../section-heading";

const PAGE_SIZE = 50;

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
  const [page, setPage] = useState(1);
  const [event, setEvent] = useState<AuditEventName | null>(null);
  const events = useQuery({
    queryKey: [...adminKeys.audit, page, event],
    queryFn: () => data(api.GET("/api/v4/audit-events", { params: { query: { page, limit: PAGE_SIZE, ...(event ? { event } : {}) } } })),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack gap="md">
      <SectionHeading title="Audit log" description="Security events of the tenant, newest first: logins, users, passwords, API keys." />
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
      {events.isError ? <AdminError error={events.error} onRetry={() => void events.refetch()} /> : null}
      {events.isPending ? <Skeleton h={200} /> : null}
      {events.data?.total_count === 0 ? <Text c="dimmed">No events{event ? " of this kind" : ""}.</Text> : null}
      {events.data && events.data.total_count > 0 ? (
        <>
          <Text size="sm" c="dimmed">
            {formatCount(events.data.total_count)} {events.data.total_count === 1 ? "event" : "events"}
          </Text>
          <Table.ScrollContainer minWidth={860}>
            <Table verticalSpacing="xs" aria-label="Audit events">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Event</Table.Th>
                  <Table.Th>By</Table.Th>
                  <Table.Th>On</Table.Th>
                  <Table.Th>From</Table.Th>
                  <Table.Th>Details</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
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
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      ) : null}
      {events.data && events.data.total_pages > 1 ? <Pagination total={events.data.total_pages} value={page} onChange={setPage} /> : null}
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
