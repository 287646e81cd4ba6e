import { Alert, Button, Container, Stack, Text } from "@mantine/core";
import { Component, type ErrorInfo, type ReactNode } from "react";
import { describeError } from "../api/errors";

interface State {
  error: unknown;
}

/** Whatever a screen throws while rendering is shown in words, never as a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error("console error", error, info.componentStack);
  }

  override render(): ReactNode {
    if (this.state.error === null) return this.props.children;
    const chunkFailed = this.state.error instanceof Error && /dynamically imported module|Importing a module script failed/i.test(this.state.error.message);
    return (
      <Container size="sm" py="xl">
        <Alert color="red" title="This screen could not be shown" role="alert">
          <Stack gap="sm">
            <Text size="sm">
              {chunkFailed ? "A part of the console could not be loaded: the service may have been updated. Reload the page." : describeError(this.state.error)}
            </Text>
            <div>
              <Button variant="light" color="red" onClick={() => window.location.reload()}>
                Reload
              </Button>
            </div>
          </Stack>
        </Alert>
      </Container>
    );
  }
}
