#!/usr/bin/env python3
"""Rewrites the README's error-kind table from ErrorKind.java (ReadmeTest checks they agree)."""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
src = (root / "api/src/main/java/dev/ratchet/ErrorKind.java").read_text()
rows = []
for m in re.finditer(r'/\*\* (.*?) \*/\s*\n\s*([A-Z_]+)\(Family\.([A-Z]+),\s*((?:"[^"]*"\s*\+?\s*)+)\)', src, re.S):
    doc, name, family, hint = m.groups()
    hint = "".join(re.findall(r'"([^"]*)"', hint)).replace("<", "&lt;").replace(">", "&gt;")
    rows.append(f"| `{name}` | {family} | {' '.join(doc.split())} | {hint} |")
readme = (root / "README.md").read_text()
header = "| kind | family | meaning | default hint |\n|---|---|---|---|\n"
start = readme.index(header) + len(header)
end = readme.index("\n## ", start)
(root / "README.md").write_text(readme[:start] + "\n".join(rows) + "\n" + readme[end:])
print(f"{len(rows)} error kinds written to README.md")
