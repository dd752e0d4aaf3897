"""JUnit XML: one test case per linted file, failing when the file has findings.

CI systems that show test results (GitLab, Jenkins, Azure) then list every file, and a
failing file lists its findings in the failure text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import TextIO

from dsql_lint.report import write_all
from dsql_lint.run.lint import FileResult, Run, RunResult
from dsql_lint.text.disk import Spill
from dsql_lint.text.source import printable

#: Characters XML 1.0 cannot carry, even escaped (a message may quote them from the SQL).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def testcase(file: FileResult) -> ET.Element:
    """The ``<testcase>`` of one file."""
    name = printable(file.path)
    case = ET.Element("testcase", name=name, classname="dsql-lint", file=name, time="0")
    if file.error is not None:
        error = ET.SubElement(case, "error", message=_xml_text(file.error), type="file-error")
        error.text = _xml_text(f"{name}: {file.error}")
        return case
    if not file.diagnostics:
        return case
    count = len(file.diagnostics)
    codes = sorted({d.code for d in file.diagnostics})
    failure = ET.SubElement(
        case,
        "failure",
        message=f"{count} finding{'s' if count != 1 else ''} ({', '.join(codes)})",
        type=codes[0] if len(codes) == 1 else "dsql-lint",
    )
    failure.text = _xml_text(
        "\n".join(
            f"{printable(d.path)}:{d.line}:{d.column}: {d.code} [{d.severity._value_}] {d.message}"
            for d in file.diagnostics
        )
    )
    return case


def suites(result: Run) -> tuple[ET.Element, ET.Element]:
    """The ``<testsuites>`` element and its one ``<testsuite>``, with the run's counts and no test case."""
    tally = result.tally()
    tests = str(tally.files)
    failures = str(tally.with_findings)
    errors = str(len(tally.failed))
    root = ET.Element("testsuites", name="dsql-lint", tests=tests, failures=failures, errors=errors)
    suite = ET.SubElement(
        root, "testsuite", name="dsql-lint", tests=tests, failures=failures, errors=errors, skipped="0", time="0"
    )
    return root, suite


def write_junit(result: Run, out: TextIO, color: bool) -> None:
    """Write a ``<testsuites>`` document with one ``<testsuite>``, one test case at a time: the text
    ``ET.indent`` and ``ET.tostring`` make of the whole tree, without holding the tree.

    The suite's counts come first: a streamed run's test cases wait on disk until they are known.
    """

    def cases(files: Iterable[FileResult]) -> Iterator[str]:
        for file in files:
            case = testcase(file)
            ET.indent(case, level=2)  # as ET.indent(root) indents it: testsuites > testsuite > testcase
            yield "\n    " + ET.tostring(case, encoding="unicode")

    written: Iterable[str]
    if isinstance(result, RunResult):
        written = cases(result.files)
    else:
        spill = Spill()
        for text in cases(result.results()):
            spill.add(text)
        written = spill.replay()
    root, suite = suites(result)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    if not result.tally().files:  # an empty suite is written as <testsuite ... />
        ET.indent(root)
        out.write(ET.tostring(root, encoding="unicode") + "\n")
        return
    out.write(_start_tag(root) + "\n  " + _start_tag(suite))
    write_all(out, written)
    out.write("\n  </testsuite>\n</testsuites>\n")


def _start_tag(element: ET.Element) -> str:
    """``<tag attributes>`` as ``ET.tostring`` writes it (an attribute's ``>`` is escaped, so the first one ends it)."""
    element.text = " "
    text = ET.tostring(element, encoding="unicode")
    return text[: text.index(">") + 1]
