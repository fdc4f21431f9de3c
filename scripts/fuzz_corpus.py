#!/usr/bin/env python3
"""Seeds the fuzz corpora from the scenario files and the samples (one JSON document per file)."""
import hashlib
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def put(target: str, doc) -> None:
    write(target, json.dumps(doc, ensure_ascii=False).encode())


def write(target: str, text: bytes) -> None:
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(text).hexdigest()).write_bytes(text)


for path in sorted((root / "tests" / "scenarios").glob("*.json")):
    s = json.loads(path.read_text())
    if "policy" in s:
        put("policy", s["policy"])
    if "municipality" in s:
        put("policy", s["municipality"])
    if "request" in s:
        put("request", s["request"])
        put("evaluate", s["request"])
put("policy", json.loads((root / "samples" / "municipality.json").read_text()))
for path in sorted((root / "samples" / "citizens").glob("*.json")):
    doc = json.loads(path.read_text())
    put("request", doc)
    put("evaluate", doc)
# NDJSON: a first byte picking the line limit and buffer size (see fuzz_targets/ndjson.rs), then lines.
requests = [json.loads(p.read_text()).get("request") for p in sorted((root / "tests" / "scenarios").glob("*.json"))]
lines = [json.dumps(r, ensure_ascii=False).encode() for r in requests if r is not None]
for k in (0x00, 0x3F, 0xFF):
    write("ndjson", bytes([k]) + b"\n".join(lines[:8]) + b"\n")
    write("ndjson", bytes([k]) + b"\r\n\n".join(lines[8:12]) + b"\n\n{bad\n")
# The importer: each XML fixture alone, and the Sag and Ydelse examples as one run (files split at NUL).
xml = sorted((root / "tests" / "import").glob("**/*.xml"))
for path in xml:
    write("import", path.read_bytes())
examples = [root / "tests" / "import" / n for n in ("example-sag.xml", "example-ydelse.xml")]
write("import", b"\0".join(p.read_bytes() for p in examples))
print(f"corpus seeded in {corpus}")
