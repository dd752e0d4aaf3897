"""What does PostgreSQL's parse tree cost, for the benchmark folder's 10,000 statements? (issue 18)

Usage::

    python benchmarks/tree_cost.py [--rounds 3] [--folder DIR] [--proto-module DIR]

Issue 18's cold target is 2x AWS dsql-lint with ``--jobs 1`` (about 445 ms for the whole process
on the 1,000-file folder here). The redesign reads rules off libpg_query's tree; this prints what
each way of getting that tree costs, before any rule runs, over every file of the folder
(``corpus.py``; DSQL's ``ASYNC`` blanked so that every file parses), min of ``--rounds``. It also
counts the files that parse whole as they are written: a tree made from ``pg_query_parse`` of each
file, ASYNC left in, covers only those (190 of the 1,000), and a whole-process time measured that
way leaves most of the folder out.


* ``raw parse``: PostgreSQL's raw parser and nothing else (``pg_query_split_with_parser``, what the
  syntax check does today through ``pgsyntax``'s binding);
* ``JSON (C)``: ``pg_query_parse``, the tree as JSON text; ``json.loads``: that text as dicts
  (the garbage collector paused, as a run pauses it per file);
* ``pglast``: ``pglast.parser.parse_sql``, pglast's own Python AST;
* with ``--proto-module DIR``, a folder holding ``pg_query_pb2.py`` (generated from the
  ``pg_query.proto`` of pglast's source distribution with ``grpc_tools.protoc``; needs the
  ``protobuf`` package): ``protobuf (C)``, ``pg_query_parse_protobuf``; ``decode``, the upb
  decoder's ``ParseFromString``; ``columns``, reading every CREATE TABLE column's name and
  type name from the decoded messages.

A benchmark, not a test: it asserts nothing, it reports.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from dsql_lint.frontend import pgsyntax


def _best(rounds: int, step: Callable[[], Any]) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        gc.disable()
        started = time.perf_counter()
        try:
            step()
        finally:
            times.append(time.perf_counter() - started)
            gc.enable()
    return min(times)


def _protobuf_steps(texts: list[bytes], module_dir: str) -> dict[str, Callable[[], Any]]:
    sys.path.insert(0, module_dir)
    import pg_query_pb2  # type: ignore[import-not-found]

    path = pgsyntax._extension_path()
    if path is None or type(pgsyntax._load()).__name__ != "_Library":
        raise SystemExit("tree_cost: pglast's extension exports no C symbols here; no protobuf figures")
    lib = ctypes.CDLL(path)

    class Protobuf(ctypes.Structure):
        _fields_ = (("len", ctypes.c_size_t), ("data", ctypes.c_void_p))

    class Result(ctypes.Structure):
        _fields_ = (("parse_tree", Protobuf), ("stderr_buffer", ctypes.c_char_p), ("error", ctypes.c_void_p))

    lib.pg_query_parse_protobuf.restype = Result
    lib.pg_query_parse_protobuf.argtypes = (ctypes.c_char_p,)
    lib.pg_query_free_protobuf_parse_result.argtypes = (Result,)

    def serialize() -> list[bytes]:
        blobs = []
        for text in texts:
            result = lib.pg_query_parse_protobuf(text)
            if not result.error:
                blobs.append(ctypes.string_at(result.parse_tree.data, result.parse_tree.len))
            lib.pg_query_free_protobuf_parse_result(result)
        return blobs

    blobs = serialize()

    def decode() -> list[Any]:
        found = []
        for blob in blobs:
            message = pg_query_pb2.ParseResult()
            message.ParseFromString(blob)
            found.append(message)
        return found

    messages = decode()

    def columns() -> int:
        count = 0
        for message in messages:
            for raw in message.stmts:
                if raw.stmt.WhichOneof("node") != "create_stmt":
                    continue
                for element in raw.stmt.create_stmt.table_elts:
                    if element.WhichOneof("node") == "column_def":
                        column = element.column_def
                        _ = (column.colname, [n.string.sval for n in column.type_name.names])
                        count += 1
        return count

    return {"protobuf (C)": serialize, "decode (upb)": decode, "columns": columns}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="a folder of .sql files (default: corpus.py's 1,000 files)")
    parser.add_argument("--proto-module", metavar="DIR", help="a folder holding a generated pg_query_pb2.py")
    args = parser.parse_args()
    folder = args.folder
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="dsql-lint-tree-")) / "folder"
        corpus.write_folder(folder)
    written = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.sql"))]
    # DSQL's ASYNC blanked (same length), as the syntax check does: every file parses.
    texts = [t.replace(" ASYNC", "      ") for t in written]
    encoded = [t.encode() for t in texts]
    library = pgsyntax._load()
    if library is None:
        raise SystemExit("tree_cost: libpg_query (pglast) is not installed")
    # A file parsed whole as it is written: PostgreSQL's grammar rejects CREATE INDEX ASYNC, so a
    # tree made this way covers only the files without it (190 of corpus.py's 1,000).
    as_written = sum(1 for t in written if library.parse_json(t) is not None)
    json_texts = [library.parse_json(t) for t in texts]
    steps: dict[str, Callable[[], Any]] = {}
    if isinstance(library, pgsyntax._Library):
        steps["raw parse"] = lambda: [library.split(t) for t in encoded]
    steps["JSON (C)"] = lambda: [library.parse_json(t) for t in texts]
    steps["json.loads"] = lambda: [json.loads(t) for t in json_texts if t]
    try:
        from pglast import parser as pglast_parser

        steps["pglast parse_sql"] = lambda: [pglast_parser.parse_sql(t) for t in texts]
    except ImportError:
        pass
    if args.proto_module:
        steps.update(_protobuf_steps(encoded, args.proto_module))
    print(f"{len(texts)} files from {folder}, {sum(1 for t in json_texts if t)} parsed; min of {args.rounds} rounds")
    print(f"  (as written, ASYNC left in: {as_written} of {len(written)} files parse whole)")
    for name, step in steps.items():
        print(f"  {name:20s} {_best(args.rounds, step) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
