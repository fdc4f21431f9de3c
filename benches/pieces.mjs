// Reading an NDJSON file as a Node program would: pieces of whole lines, one buffer reused.
// Shared by benches/wasm.mjs and benches/js-loop.mjs so both read the file the same way.
import { closeSync, openSync, readSync } from "node:fs";

/**
 * Calls `each` with the file's pieces of whole lines (about `size` bytes; the view is reused, so
 * `each` must be done with it when it returns) until `each` returns false. As examples/js/ndjson.mjs.
 */
export function pieces(file, size, each) {
  const fd = openSync(file, "r");
  let buffer = Buffer.allocUnsafe(size);
  let end = 0;
  try {
    for (;;) {
      if (end === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
      const n = readSync(fd, buffer, end, buffer.length - end, null);
      end += n;
      const cut = n > 0 ? buffer.lastIndexOf(10, end - 1) + 1 : end;
      if (cut > 0) {
        if (each(buffer.subarray(0, cut)) === false) return;
        buffer.copyWithin(0, cut, end);
        end -= cut;
      }
      if (n === 0) return;
    }
  } finally {
    closeSync(fd);
  }
}
