import { Alert, Button, Group, List, Text } from "@mantine/core";
import { ApiError, describeError, isRetryable } from "../api/errors";

/** An API error in plain words, with a retry when asking again may help. */
export function ErrorAlert({ error, title = "That did not work", onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  return (
    <Alert color="red" title={title} role="alert">
      <Group justify="space-between" align="center" gap="sm">
        <Text size="sm">{describeError(error)}</Text>
        {onRetry && isRetryable(error) ? (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        ) : null}
      </Group>
      {error instanceof ApiError && error.details.length > 0 ? (
        <List size="sm" mt="xs">
          {error.details.map((detail, index) => (
            <List.Item key={index}>{detail}</List.Item>
          ))}
        </List>
      ) : null}
    </Alert>
  );
}
