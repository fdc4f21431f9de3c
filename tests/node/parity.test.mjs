// Parity: every scenario of the snapshot suite (tests/scenarios/*.json) gives byte-identical JSON
// through the Node build of the wasm module (pkg/node, the speed build) and through the native CLI
// (parity-check.mjs). parity-web.test.mjs does the same for the browser builds.
import { loadWasm } from "./helpers.mjs";
import { parityTests } from "./parity-check.mjs";

parityTests("pkg/node", loadWasm());
