"""Turn PyYAML's parser jargon into the fix an editor can make.

Pure: given the problem text PyYAML reported, the YAML source and the 1-based
position, return a fix-oriented message, or None to keep the parser's words.
"""

from __future__ import annotations

CURLY = "“”‘’"


def explain(problem: str, text: str, line: int, col: int, line_offset: int = 0) -> str | None:
    """A fix-oriented message for the common YAML mistakes, or None (`line` is within `text`)."""
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "'\\t'" in problem or "\t" in here[: max(col, 1)]:
        return "a tab is used for indentation; YAML needs spaces — replace the tab with spaces"
    if problem.startswith("mapping values are not allowed"):
        _, _, value = here.partition(": ")
        if value and any(c in value for c in CURLY):
            return (
                "the value contains Word's curly quotes (“ ” ‘ ’) and ': '; "
                'put the whole value in straight quotes: "…"'
            )
        if value and ": " in value:
            return "a value containing ': ' needs quotes: write key: \"…: …\""
        return "this line is indented deeper than the key above it; align it with that key"
    if "end of stream" in problem or "while scanning a quoted scalar" in problem:
        quoted = [i for i, t in enumerate(lines[:line], 1) if t.count('"') % 2 or t.count("'") % 2]
        where = f" (opened on line {quoted[0] + line_offset})" if quoted else ""
        return f"a quote is not closed{where}; add the closing quote at the end of the value"
    if problem.startswith("expected <block end>"):
        return "this line's indentation does not match the keys around it; align it with its siblings"
    return None
