#!/usr/bin/env python3
"""Parses SQL that ConflictQL emitted with sqlglot's dialect, for the engines CI cannot run.

Reads a JSON job on standard input: {"dialect": "spark" | "bigquery", "statements": ["...", ...]}.
Writes JSON to standard output: a list with, for each statement, null when sqlglot parsed it
into exactly one statement, or the parse error. Syntax only: nothing is run. Needs
`pip install sqlglot`.
"""
import json
import sys

import sqlglot
from sqlglot.errors import ParseError


def parse(statement, dialect):
    body = "\n".join(line for line in statement.splitlines() if not line.startswith("--")).strip().rstrip(";")
    try:
        parsed = [tree for tree in sqlglot.parse(body, read=dialect) if tree is not None]
    except ParseError as error:
        return str(error).splitlines()[0][:300]
    return None if len(parsed) == 1 else f"{len(parsed)} statements"


def main():
    job = json.load(sys.stdin)
    json.dump([parse(statement, job["dialect"]) for statement in job["statements"]], sys.stdout)


if __name__ == "__main__":
    main()
