import { createTheme } from "@mantine/core";

export const theme = createTheme({
  primaryColor: "indigo",
  defaultRadius: "sm",
  // A focus ring on every focusable control, for keyboard use (Mantine's default shows it on keyboard focus only).
  focusRing: "auto",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
});
