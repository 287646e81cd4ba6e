import { Badge } from "@mantine/core";
import type { ImportState, ReportStatus } from "../api/types";
import classes from "./status-badge.module.css";

const IMPORT_COLORS: Record<ImportState, string> = {
  NOT_STARTED: "gray",
  RUNNING: "blue",
  COMPLETED: "teal",
  FAILED: "red",
  CANCELLED: "orange",
};

const IMPORT_LABELS: Record<ImportState, string> = {
  NOT_STARTED: "Waiting",
  RUNNING: "Running",
  COMPLETED: "Completed",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

export function ImportStateBadge({ state }: { state: ImportState }) {
  return (
    <Badge color={IMPORT_COLORS[state]} variant="light" className={classes.badge}>
      {IMPORT_LABELS[state]}
    </Badge>
  );
}

const REPORT_COLORS: Record<ReportStatus, string> = { SUCCESS: "teal", WARNING: "yellow", FAILED: "red" };
const REPORT_LABELS: Record<ReportStatus, string> = { SUCCESS: "Success", WARNING: "Warning", FAILED: "Failed" };

export function ReportStatusBadge({ status }: { status: ReportStatus }) {
  return (
    <Badge color={REPORT_COLORS[status]} variant="light" className={classes.badge}>
      {REPORT_LABELS[status]}
    </Badge>
  );
}

export type ChangeAction = "created" | "updated" | "deleted" | "restored";

/** The colour of each kind of change, for the badge and for a timeline's bullet. */
export const CHANGE_COLORS: Record<ChangeAction, string> = { created: "teal", updated: "blue", deleted: "red", restored: "grape" };
const CHANGE_LABELS: Record<ChangeAction, string> = { created: "Created", updated: "Updated", deleted: "Deleted", restored: "Restored" };

export function ChangeActionBadge({ action }: { action: ChangeAction }) {
  return (
    <Badge color={CHANGE_COLORS[action]} variant="light" className={classes.badge}>
      {CHANGE_LABELS[action]}
    </Badge>
  );
}
