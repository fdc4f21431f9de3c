#!/usr/bin/env python3
"""Seeds the fuzz corpora from the scenario files and the samples (one JSON document per file)."""
import hashlib
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"


def put(target: str, doc) -> None:
    text = json.dumps(doc, ensure_ascii=False).encode()
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
print(f"corpus seeded in {corpus}")
