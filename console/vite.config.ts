import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type UserConfig } from "vite";

// The console is built into dist/console, which the service serves at `/`.
// In development (`npm run console:dev`) Vite serves it and hands the API to
// a service started with PORT=3000.
export default defineConfig(({ command }) => {
  // A build is always a production build. Vite takes NODE_ENV from the
  // environment, and the test run's `npm run build` inherits vitest's
  // NODE_ENV=test, which made React's development bundle (216 KB gzipped
  // instead of 150) the console under test.
  if (command === "build") process.env.NODE_ENV = "production";
  return config;
});

const config = {
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../dist/console", import.meta.url)),
    emptyOutDir: true,
    // The first screen is measured gzipped in docs/console.md; Vite's raw-size warning does not apply.
    chunkSizeWarningLimit: 1000,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
      "/openapi.json": "http://127.0.0.1:3000",
    },
  },
} satisfies UserConfig;
