#!/usr/bin/env python3
"""Checks every relative link of the repository's Markdown files: the file must exist,
and a #fragment must name a heading of it (GitHub's slugs). test.sh runs this.

  python3 scripts/check-links.py      # prints each broken link, exits 1 if any
"""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def slug(heading):
    """A heading's anchor as GitHub and most forges make it."""
    text = re.sub(r"[`*]|<[^>]+>", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    found = set()
    in_code = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            found.add(slug(line.lstrip("#")))
    return found


def main():
    files = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    broken = 0
    for name in files:
        path = ROOT / name
        if not path.exists():
            continue
        in_code = False
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.startswith("```"):
                in_code = not in_code
            if in_code:
                continue
            for target in LINK.findall(line):
                if re.match(r"[a-z]+:", target):
                    continue  # https:, mailto: ...: not ours to check here
                file_part, _, fragment = target.partition("#")
                dest = (path.parent / file_part).resolve() if file_part else path
                problem = None
                if not dest.exists():
                    problem = "no such file"
                elif fragment and dest.suffix == ".md" and fragment not in anchors(dest):
                    problem = f"no heading #{fragment}"
                if problem:
                    print(f"{name}:{number}: broken link {target}: {problem}", file=sys.stderr)
                    broken += 1
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
