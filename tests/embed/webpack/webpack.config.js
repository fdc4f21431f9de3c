// Only what the package README shows for webpack 5 (experiments.asyncWebAssembly), plus where the
// fixture's entry and output are.
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export default {
  mode: "production",
  entry: "./src/main.js",
  output: { path: path.join(here, "dist"), filename: "main.js", clean: true },
  experiments: { asyncWebAssembly: true },
};
