"""A rule's matches found where they can start, not by trying every character of the text.

Takes a compiled pattern and a text; gives the matches the pattern's finditer gives, tried only where one
of the literal words every match must start with occurs (case folded), found once per text and word.
"""
import regex

SPECIAL_GROUPS = ("?:", "?i:", "?-i:", "?=", "?!", "?<=", "?<!", "?P<")
OPTIONAL, SOME = "optional", "some"


class UnknownSyntax(ValueError):
    pass


def _parse(p: str, i: int = 0) -> tuple[list[list], int]:
    """The alternatives (each a list of (item, quantifier)) of P from I up to the group's ')' or the end;
    an item is ("literal", char), ("atom", None), ("zero", None) or ("group"|"look", alternatives)."""
    alternatives = [[]]
    while i < len(p):
        ch = p[i]
        if ch == ")":
            return alternatives, i
        if ch == "|":
            alternatives.append([])
            i += 1
            continue
        if ch == "(":
            opening = next((g for g in SPECIAL_GROUPS if p.startswith(g, i + 1)), None)
            if opening is None and p.startswith("?", i + 1):
                raise UnknownSyntax(p[i:i + 4])
            j = i + 1 + len(opening or "")
            if opening == "?P<":
                j = p.index(">", j) + 1
            inner, j = _parse(p, j)
            if j >= len(p):
                raise UnknownSyntax("unclosed group")
            item = ("look" if opening in ("?=", "?!", "?<=", "?<!") else "group", inner)
            i = j + 1
        elif ch == "[":
            j = i + 1 + (p.startswith("^", i + 1))
            j += p.startswith("]", j)
            while j < len(p) and p[j] != "]":
                if p[j] == "[":
                    raise UnknownSyntax("nested set")
                j += 2 if p[j] == "\\" else 1
            if j >= len(p):
                raise UnknownSyntax("unclosed set")
            item, i = ("atom", None), j + 1
        elif ch == "\\":
            escaped = p[i + 1]
            if escaped in "pPN" and p.startswith("{", i + 2):
                item, i = ("atom", None), p.index("}", i) + 1
            elif escaped.isalnum():
                item, i = ("zero" if escaped in "bBAZ" else "atom", None), i + 2
            else:
                item, i = ("literal", escaped), i + 2
        elif ch in "^$":
            item, i = ("zero", None), i + 1
        elif ch in ".*+?{":
            if ch != ".":
                raise UnknownSyntax("quantifier with nothing before it")
            item, i = ("atom", None), i + 1
        else:
            item, i = ("literal", ch), i + 1
        quantifier = None
        if i < len(p) and p[i] in "?*+{":
            if p[i] == "{":
                j = p.index("}", i)
                low = p[i + 1:j].split(",")[0]
                if low and not low.isdigit():
                    raise UnknownSyntax(p[i:j + 1])
                quantifier, i = (SOME if low and int(low) > 0 else OPTIONAL), j + 1
            else:
                quantifier, i = (SOME if p[i] == "+" else OPTIONAL), i + 1
            if i < len(p) and p[i] in "?+":
                i += 1
        alternatives[-1].append((item, quantifier))
    return alternatives, i


def _starts(sequence: list) -> set[str] | None:
    """The literal prefixes one of which every match of SEQUENCE starts with, or None where none is known."""
    written = ""
    for k, ((kind, value), quantifier) in enumerate(sequence):
        if kind in ("look", "zero"):
            continue                    # takes no characters: the match still starts with what follows
        if kind == "literal" and quantifier is None:
            written += value
            continue
        if written:
            return {written}
        if kind == "atom":
            return None
        rest = sequence[k + 1:]
        if kind == "literal":
            found = {value}
        else:
            found = set()
            for alternative in value:
                inner = _starts(alternative + (rest if quantifier is None else []))
                if inner is None:
                    return None
                found |= inner
        if quantifier == OPTIONAL:
            after = _starts(rest)
            if after is None:
                return None
            found |= after
        return found
    return {written} if written else None


def _required(sequence: list) -> set[str]:
    """Literal runs every match of SEQUENCE holds (at or after its start: lookarounds left out)."""
    found, written = set(), ""
    for (kind, value), quantifier in sequence + [(("atom", None), None)]:
        if kind == "literal" and quantifier is None:
            written += value
            continue
        if written:
            found.add(written)
            written = ""
        if kind == "group" and quantifier != OPTIONAL and len(value) == 1:
            found |= _required(value[0])
    return found


def literal_starts(pattern: regex.Pattern) -> tuple[str, ...] | None:
    """The case-folded words one of which every match of PATTERN starts with, or None where the pattern's
    syntax or its start tells none (it may start with a digit class, for example)."""
    if pattern.flags & regex.VERBOSE:
        return None
    try:
        alternatives, end = _parse(pattern.pattern)
        if end != len(pattern.pattern):
            return None
        found = set()
        for alternative in alternatives:
            starts = _starts(alternative)
            if not starts:
                return None
            found |= starts
    except (UnknownSyntax, ValueError, IndexError):
        return None
    folded = {s.casefold() for s in found}
    return None if "" in folded else tuple(sorted(folded))


class Places:
    """Where each literal word occurs in one text, case folded; each word looked up once."""

    def __init__(self, text: str):
        self.text = text
        self.folded = text.casefold()
        # a character that folds to several (ß to ss) would shift the offsets: then every rule scans it all
        self.aligned = len(self.folded) == len(text)
        self.found: dict[str, list[int]] = {}

    def of(self, word: str) -> list[int]:
        if word not in self.found:
            at, find, folded = [], self.folded.find, self.folded
            k = find(word)
            while k != -1:
                at.append(k)
                k = find(word, k + 1)
            self.found[word] = at
        return self.found[word]


def literal_runs(pattern: regex.Pattern) -> tuple[str, ...]:
    """Case-folded literal runs every match of PATTERN holds, where its syntax tells them."""
    if pattern.flags & regex.VERBOSE:
        return ()
    try:
        alternatives, end = _parse(pattern.pattern)
    except (UnknownSyntax, ValueError, IndexError):
        return ()
    if end != len(pattern.pattern) or len(alternatives) != 1:
        return ()
    return tuple(sorted(run.casefold() for run in _required(alternatives[0])))


class Scanner:
    """A pattern with the literal words its matches start with, and the literal runs they all hold."""

    def __init__(self, pattern: regex.Pattern):
        self.pattern = pattern
        self.starts = literal_starts(pattern)
        self.runs = literal_runs(pattern) if self.starts is not None else ()

    def finditer(self, places: Places) -> list:
        """The matches PATTERN.finditer(text) gives, in order."""
        text = places.text
        if self.starts is None or not places.aligned:
            return list(self.pattern.finditer(text))
        candidates = set()
        for word in self.starts:
            candidates.update(places.of(word))
        # no match starts after the last place of a run every match holds: not tried there, where the
        # engine would look for that run through the rest of the text on every try (the report's square)
        last = min((places.of(run)[-1] if places.of(run) else -1 for run in self.runs), default=len(text))
        found, position, match = [], 0, self.pattern.match
        for start in sorted(candidates):
            if start > last:
                break
            if start < position:
                continue
            m = match(text, start)
            if m is None:
                continue
            if m.end() == m.start():    # finditer's stepping over empty matches: let it do the stepping
                return list(self.pattern.finditer(text))
            found.append(m)
            position = m.end()
        return found
