import { Button, Group, Text } from "@mantine/core";
import { formatCount } from "../ui/format";
import { PAGE_SIZE } from "./assets-api";

/** What a history entry of the list keeps: the cursors of the pages before it (null: the first page). */
export interface PagingState {
  before: Array<string | null>;
}

interface Props {
  count: number;
  total: number | null;
  /** null when the page came from a shared link: where it starts is not known. */
  before: Array<string | null> | null;
  hasNext: boolean;
  onNext: () => void;
  onPrevious: () => void;
  onFirst: () => void;
}

/** Keyset paging: Next follows the page's cursor, Previous goes back along the cursors kept. */
export function Paging({ count, total, before, hasNext, onNext, onPrevious, onFirst }: Props) {
  const from = before ? before.length * PAGE_SIZE + 1 : null;
  const of = total === null ? "" : ` of ${formatCount(total)}`;
  const position = count === 0 ? `0${of}` : from === null ? `${formatCount(count)} assets${of}` : `${formatCount(from)}–${formatCount(from + count - 1)}${of}`;
  return (
    <Group justify="space-between" wrap="wrap" gap="xs">
      <Text size="sm" data-testid="asset-position" aria-live="polite">
        {position}
      </Text>
      <Group gap="xs">
        {before === null ? (
          <Button variant="default" size="sm" onClick={onFirst}>
            First page
          </Button>
        ) : (
          <Button variant="default" size="sm" onClick={onPrevious} disabled={before.length === 0}>
            Previous
          </Button>
        )}
        <Button variant="default" size="sm" onClick={onNext} disabled={!hasNext}>
          Next
        </Button>
      </Group>
    </Group>
  );
}
