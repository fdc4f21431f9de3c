// Only what the package README shows for Vite.
import { defineConfig } from "vite";

export default defineConfig({
  optimizeDeps: { exclude: ["borgerblik"] },
});
