"""Migration folders: which tool runs them, in which order, in which transactions, building which schema.

Design (for whoever touches ``run.py``/``engine.py``, e.g. to add caching or parallelism)
========================================================================================

The work is split in two passes so that per-file work stays independent and cacheable.

1. **Plan** (:func:`build_plan`, cheap, no parsing): discover the files, recognise each
   folder as one tool's migrations (``flyway``, ``golang-migrate``, ``goose``, ``dbmate``,
   ``sqitch``, ``alembic``, ``django``, ``liquibase`` or ``plain``; forced with
   ``Settings.migrations``), give every file a :class:`MigrationFile` (format, role such as
   up/down/undo/repeatable/baseline/deploy/revert, and sort key), sort the files as the tool
   applies them, drop down/undo/revert files unless ``Settings.include_down``, and with
   ``--diff-base`` mark which files are *reported* (changed since the ref).

2. **Per file** (independent; the unit to cache and to run in a process pool): ``build_script``
   then :func:`shape_script` keeps only the up path of the file (statements keep their exact
   offsets in the original text) and rebuilds ``Script.transactions`` as the tool runs them
   (``Transaction.managed`` / :class:`ToolTransaction` for transactions the tool opens, with a
   ``reason`` such as "Flyway runs V3__add_index.sql in one transaction"); then the statement,
   transaction and script rules run, and :func:`summarize` produces a small picklable
   :class:`FileSummary` (schema and data changes with offsets and transaction numbers).
   The inputs of this step are the file's text, the settings and ``MigrationFile.cache_key()``
   plus the ``.conf`` file beside a Flyway script, so a cache key must include those; cache the
   diagnostics *and* the summary.

3. **Folder pass** (sequential, after all files, cheap): :class:`MigrationFolder` holds the
   entries (source for positions, migration file, summary, reported flag) in migration order,
   and every :class:`dsql_lint.rules.api.FolderRule` runs over it once. ``MigrationFolder.replay()``
   replays the summaries into a fresh :class:`SchemaModel`. Files before the diff base are
   replayed but their findings are dropped. A file linted on its own (stdin, the API, a rule
   page example) is a folder of one file, so history rules work there too.

History rules therefore never need another file's syntax tree: a cached file contributes its
summary, and only the folder pass re-runs when any file changes.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dsql_lint.migrations.files import FORMATS, MigrationFile, describe, flyway_version, guess_format
    from dsql_lint.migrations.folder import FolderEntry, MigrationFolder
    from dsql_lint.migrations.plan import Plan, PlanError, build_plan, describe_single
    from dsql_lint.migrations.schema import SchemaModel, Table
    from dsql_lint.migrations.shape import ShapeOptions, ToolTransaction, shape_script
    from dsql_lint.migrations.summary import Change, FileSummary, summarize

# The public names live in submodules that are imported on first use: a cached run, or the
# CLI defining its options, must not pay for the schema model and the summaries.
_LAZY = {
    "dsql_lint.migrations.files": ("FORMATS", "MigrationFile", "describe", "flyway_version", "guess_format"),
    "dsql_lint.migrations.folder": ("FolderEntry", "MigrationFolder"),
    "dsql_lint.migrations.plan": ("Plan", "PlanError", "build_plan", "describe_single"),
    "dsql_lint.migrations.schema": ("SchemaModel", "Table"),
    "dsql_lint.migrations.shape": ("ShapeOptions", "ToolTransaction", "shape_script"),
    "dsql_lint.migrations.summary": ("Change", "FileSummary", "summarize"),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "FORMATS",
    "Change",
    "FileSummary",
    "FolderEntry",
    "MigrationFile",
    "MigrationFolder",
    "Plan",
    "PlanError",
    "SchemaModel",
    "ShapeOptions",
    "Table",
    "ToolTransaction",
    "build_plan",
    "describe",
    "describe_single",
    "flyway_version",
    "guess_format",
    "shape_options",
    "shape_script",
    "summarize",
]


#: The properties a Flyway script configuration file may set (``SqlScriptMetadata``); any other key
#: makes Flyway stop with "Unknown configuration property" before it runs the script.
FLYWAY_SCRIPT_PROPERTIES = ("executeInTransaction", "encoding", "placeholderReplacement", "shouldExecute")


def flyway_executes_in_transaction(path: str) -> bool:
    """False when Flyway's script configuration file ``<script>.conf`` says ``executeInTransaction=false``.

    A ``.conf`` that exists but cannot be read (a folder, no permission, a link loop) raises
    :class:`dsql_lint.text.source.SourceError`: guessing Flyway's default would lint the file under a
    transaction model the user may have turned off. So does one Flyway itself refuses, and
    with it the script (binary content, a property it does not know, an ``executeInTransaction``
    that is neither true nor false): the migration would not run at all.
    """
    from dsql_lint.text.source import SourceError, open_binary  # open_binary never hangs on a FIFO named x.sql.conf

    conf = path + ".conf"
    name = os.path.basename(path)
    try:  # open() rather than Path.read_text: the same file, without building a Path per migration
        with open_binary(conf) as fh:
            data = fh.read()
    except FileNotFoundError:
        return True
    except OSError as exc:
        raise SourceError(
            conf, f"cannot be read ({exc.strerror or exc}), and it says whether Flyway runs {name} in a transaction"
        ) from exc
    if b"\x00" in data:
        raise SourceError(
            conf, f"looks like a binary file (it contains NUL bytes), not Flyway's configuration of {name}"
        )
    properties = _java_properties(data.decode("utf-8", errors="replace"))  # Java's reader replaces bad bytes too
    unknown = [key for key in properties if key not in FLYWAY_SCRIPT_PROPERTIES]
    if unknown:
        listed = ", ".join(f"`{_shown(key)}`" for key in unknown)
        raise SourceError(
            conf,
            f"sets {'an unknown property' if len(unknown) == 1 else 'unknown properties'} {listed}: Flyway stops "
            f"on it before running {name} (a script configuration knows {', '.join(FLYWAY_SCRIPT_PROPERTIES)})",
        )
    value = properties.get("executeInTransaction")
    if value is None:
        return True
    if value.lower() not in ("true", "false"):
        raise SourceError(
            conf, f"sets executeInTransaction to `{_shown(value)}`: Flyway stops on it before running {name} "
            "(true or false)",
        )  # fmt: skip
    return value.lower() == "true"


def _shown(text: str) -> str:
    """``text`` on one line, short, for an error message."""
    text = text.encode("unicode_escape").decode("ascii") if text else "(empty)"
    return text if len(text) <= 40 else text[:39] + "…"


def _java_properties(text: str) -> dict[str, str]:
    """The key/value pairs of a script configuration, read as Flyway reads it.

    Flyway trims each line, keeps backslashes as they are (it doubles them before
    ``java.util.Properties.load``), joins a line ending in ``\\`` with the next non-blank one,
    and then reads properties: blank lines and lines starting with ``#`` or ``!`` are comments,
    a key ends at the first ``=``, ``:`` or whitespace, the separator may be surrounded by
    whitespace, and the last of repeated keys wins.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    found: dict[str, str] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line or line[0] in "#!":
            continue
        while line.endswith("\\") and i < len(lines) and lines[i]:
            line = line[:-1] + lines[i]
            i += 1
        end = len(line)
        for separator in "=: \t\f":
            at = line.find(separator)
            if at != -1 and at < end:
                end = at
        rest = line[end:].lstrip(" \t\f")
        if rest[:1] in ("=", ":"):
            rest = rest[1:].lstrip(" \t\f")
        found[line[:end]] = rest
    return found


def shape_options(
    mfile: MigrationFile, include_down: bool = False, assume_in_transaction: bool = False, aws_adapter: bool = False
) -> ShapeOptions:
    """The shaping options for one file: the settings plus what the tool's side files say."""
    from dsql_lint.migrations.shape import ShapeOptions

    no_tx = mfile.format == "flyway" and not flyway_executes_in_transaction(mfile.path)
    diesel_no_tx = mfile.format == "diesel" and not diesel_runs_in_transaction(mfile.path)
    return ShapeOptions(
        include_down=include_down,
        assume_in_transaction=assume_in_transaction,
        flyway_no_transaction=no_tx,
        aws_adapter=aws_adapter,
        diesel_no_transaction=diesel_no_tx,
    )


def diesel_runs_in_transaction(path: str) -> bool:
    """False when the migration's ``metadata.toml`` says ``run_in_transaction = false``.

    diesel_migrations reads the file with ``TomlMetadata::read_from_file(...).unwrap_or_default()``
    (file_based_migrations.rs): a missing or unreadable file, or one that is not TOML,
    means the default, a transaction.
    """
    folder = os.path.dirname(path)
    try:
        with open(os.path.join(folder, "metadata.toml"), "rb") as fh:
            raw = fh.read(1024 * 1024)
    except OSError:
        return True
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]
    try:
        value = tomllib.loads(raw.decode("utf-8")).get("run_in_transaction", True)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return True
    return value is not False
