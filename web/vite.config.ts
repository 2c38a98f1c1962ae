import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// The build is configuration-free: everything that differs between the local runtime and a
// deployed stage (user pool, API base URLs) comes from /config.json at run time.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    // A CSP without 'unsafe-inline' forbids inline scripts and styles: keep every asset a file.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
  },
  test: {
    environment: "node",
    include: ["src/**/*.test.ts"],
  },
});
