#!/usr/bin/env python3
"""Generate src/catalogue/data.rs, the KLE catalogue embedded in borgerblik.

Inputs (in --data DIR, default ../shared/data relative to the repository root):
  OS2KLE.txt      one emne a line: KLENummer='27.36.04':KLETitel='...':Keywords[Weight]=...
  KLE-groups.tsv  header "number<TAB>title", one hovedgruppe (27) or gruppe (27.36) a row

Titles ending in "[udgår YYYY]" are stripped of the marker and get retired: Some(YYYY).
Any line that cannot be parsed, or a duplicate number, aborts with a non-zero exit
(except the duplicates listed in KNOWN_DUPLICATES, each resolved explicitly).

  python3 scripts/gen_catalogue.py            # (re)write src/catalogue/data.rs
  python3 scripts/gen_catalogue.py --check    # exit 1 if the committed file is stale

Python 3.11, standard library only.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT / ".." / "shared" / "data"
OUTPUT = REPO_ROOT / "src" / "catalogue" / "data.rs"
EMNER_FILE = "OS2KLE.txt"
GROUPS_FILE = "KLE-groups.tsv"

EMNE_LINE = re.compile(r"^KLENummer='(\d\d\.\d\d\.\d\d)':KLETitel='(.*?)':Keywords\[Weight\]=")
GROUP_NUMBER = re.compile(r"^\d\d(\.\d\d)?$")
RETIRED = re.compile(r"\s*\[udgår (\d{4})\]\s*$")

# Duplicates in the inputs that are known and resolved by hand: number -> the title to keep.
# KLE-groups.tsv lists 28.77 twice ("... klubtilbud m.v" and "... klubtilbud mv."); the emner
# of 28.77 spell it "mv.", so that row wins. Any other duplicate still aborts the run.
KNOWN_DUPLICATES = {
    "28.77": "Betaling for dag-, fritids- og klubtilbud mv.",
}


class DataError(Exception):
    pass


def split_title(raw: str, where: str) -> tuple[str, int | None]:
    """Strip the retirement marker; return (title, year)."""
    retired = None
    m = RETIRED.search(raw)
    if m:
        retired = int(m.group(1))
        raw = raw[: m.start()]
    title = raw.strip()
    if not title:
        raise DataError(f"{where}: empty title")
    if "[udgår" in title or "udgår]" in title:
        raise DataError(f"{where}: retirement marker not at the end of the title: {title!r}")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in title):
        raise DataError(f"{where}: control character in title: {title!r}")
    return title, retired


def add(entries: dict, number: str, title: str, retired: int | None, where: str) -> None:
    if number in entries:
        prev = entries[number]
        keep = KNOWN_DUPLICATES.get(number)
        if keep is None or keep not in (prev[0], title):
            raise DataError(
                f"{where}: duplicate number {number} ({prev[0]!r} at {prev[2]}, {title!r} here)"
            )
        if keep == title:
            entries[number] = (title, retired, where)
        return
    entries[number] = (title, retired, where)


def read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise DataError(f"cannot read {path}: {e}") from e
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not UTF-8: {e}") from e
    return text.removeprefix("\ufeff")


def load(data_dir: Path) -> list[tuple[str, str, int | None]]:
    entries: dict[str, tuple[str, int | None, str]] = {}

    emner = 0
    for i, line in enumerate(read_text(data_dir / EMNER_FILE).splitlines(), 1):
        where = f"{EMNER_FILE}:{i}"
        if not line.strip():
            continue
        m = EMNE_LINE.match(line)
        if not m:
            raise DataError(f"{where}: cannot parse: {line[:120]!r}")
        title, retired = split_title(m.group(2), where)
        add(entries, m.group(1), title, retired, where)
        emner += 1

    groups = 0
    lines = read_text(data_dir / GROUPS_FILE).splitlines()
    if not lines or lines[0].split("\t") != ["number", "title"]:
        raise DataError(f"{GROUPS_FILE}:1: expected header 'number<TAB>title'")
    for i, line in enumerate(lines[1:], 2):
        where = f"{GROUPS_FILE}:{i}"
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 2 or not GROUP_NUMBER.match(cols[0]):
            raise DataError(f"{where}: cannot parse: {line[:120]!r}")
        title, retired = split_title(cols[1], where)
        add(entries, cols[0], title, retired, where)
        groups += 1

    if emner == 0 or groups == 0:
        raise DataError(f"no rows read from {data_dir} ({emner} emner, {groups} groups)")
    return [(n, t, r) for n, (t, r, _) in sorted(entries.items())]


def rust_str(s: str) -> str:
    out = []
    for c in s:
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append(f"\\u{{{ord(c):x}}}")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def render(rows: list[tuple[str, str, int | None]]) -> str:
    emner = sum(1 for n, _, _ in rows if len(n) == 8)
    hoved = sum(1 for n, _, _ in rows if len(n) == 2)
    grupper = len(rows) - emner - hoved
    retired = sum(1 for _, _, r in rows if r is not None)
    head = f"""\
// @generated by scripts/gen_catalogue.py from OS2KLE.txt and KLE-groups.tsv. Do not edit by hand;
// change the data or the script and run `python3 scripts/gen_catalogue.py`.
//
// KLE catalogue: {hoved} hovedgrupper and {grupper} grupper from KLE-groups.tsv, {emner} emner from
// OS2KLE.txt ({retired} retiring), sorted by number; titles without their `[udgår YYYY]` marker.
//
// Derived from OS2KLE.txt of the OS2 repository os2kle/os2kle, © OS2, and from KLE-groups.tsv,
// derived from scripts/kle-mapping.csv of the repository OS2compliance/OS2compliance.
// Both are licensed under the Mozilla Public License 2.0, and so is this file:
//
// This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy of
// the MPL was not distributed with this file, You can obtain one at https://mozilla.org/MPL/2.0/.
// See NOTICE at the repository root.

// Compact tables (the wasm module has a size budget): every entry's number as its two-digit parts,
// column by column (all first parts, then all second, then all third; 255 = no such part), which
// gzip packs 2.5 times smaller than entry by entry; its title's length in bytes within TITLES; and
// the few retired entries. `super::table()` builds the `Entry` list from them once.

#[rustfmt::skip]
pub(super) static NUMBER_PARTS: [&[u8]; 3] = [
"""
    columns, lens, titles, retired_rows = ([], [], []), [], [], []
    for i, (number, title, year) in enumerate(rows):
        parts = [int(p) for p in number.split(".")] + [255, 255]
        for column, part in zip(columns, parts):
            column.append(part)
        size = len(title.encode("utf-8"))
        if size > 255:
            raise DataError(f"title of {number} is {size} bytes; the table holds at most 255")
        lens.append(size)
        titles.append(f"    {rust_str(title)},\n")
        if year is not None:
            retired_rows.append(f"    ({i}, {year}),\n")
    def byte_rows(values: list[int], indent: str) -> str:
        return "".join(
            indent + ", ".join(str(n) for n in values[i : i + 32]) + ",\n" for i in range(0, len(values), 32)
        )

    return (
        head
        + "".join("    &[\n" + byte_rows(column, "        ") + "    ],\n" for column in columns)
        + "];\n\n#[rustfmt::skip]\npub(super) static TITLE_LENS: &[u8] = &[\n"
        + byte_rows(lens, "    ")
        + "];\n\n#[rustfmt::skip]\npub(super) static TITLES: &str = concat!(\n"
        + "".join(titles)
        + ");\n\n#[rustfmt::skip]\npub(super) static RETIRED: &[(u16, u16)] = &[\n"
        + "".join(retired_rows)
        + "];\n"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="directory holding the two data files")
    ap.add_argument("--check", action="store_true", help="exit 1 if src/catalogue/data.rs is out of date")
    args = ap.parse_args(argv)

    try:
        rows = load(args.data)
    except DataError as e:
        print(f"gen_catalogue: error: {e}", file=sys.stderr)
        return 2
    text = render(rows)

    if args.check:
        try:
            current = OUTPUT.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as e:
            print(f"gen_catalogue: {OUTPUT.relative_to(REPO_ROOT)} unreadable: {e}", file=sys.stderr)
            return 1
        if current == text:
            print(f"gen_catalogue: {OUTPUT.relative_to(REPO_ROOT)} is up to date ({len(rows)} entries)")
            return 0
        diff = list(
            difflib.unified_diff(
                current.splitlines(), text.splitlines(), "committed", "generated", n=0, lineterm=""
            )
        )
        removed = sum(1 for d in diff if d.startswith("-") and not d.startswith("---"))
        added = sum(1 for d in diff if d.startswith("+") and not d.startswith("+++"))
        print(
            f"gen_catalogue: {OUTPUT.relative_to(REPO_ROOT)} is out of date "
            f"(-{removed} +{added} lines); "
            "run python3 scripts/gen_catalogue.py",
            file=sys.stderr,
        )
        for d in diff[:40]:
            print(d, file=sys.stderr)
        if len(diff) > 40:
            print(f"... {len(diff) - 40} more diff lines", file=sys.stderr)
        return 1

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUTPUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    print(f"gen_catalogue: wrote {OUTPUT.relative_to(REPO_ROOT)} ({len(rows)} entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
