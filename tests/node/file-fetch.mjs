// Preload (node --import) that lets the browser example run in Node: `fetch` of a file: URL (how
// pkg/web's init() finds borgerblik_bg.wasm next to its module) reads the file. Not a test file.
import fs from "node:fs";

const networkFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = input instanceof URL ? input : new URL(String(input), "file:///");
  if (url.protocol === "file:") {
    return new Response(fs.readFileSync(url), { headers: { "content-type": "application/wasm" } });
  }
  return networkFetch(input, init);
};
