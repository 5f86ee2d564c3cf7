"""A rule's matches found where they can start, not by trying every character of the text.

Takes a compiled pattern and a text; gives the matches the pattern's finditer gives, tried only where one
of the literal words every match must start with occurs (case folded), found once per text and word; the
words of a whole rule set in one pass over the text (Words).
"""
import ahocorasick
import regex

SPECIAL_GROUPS = ("?:", "?i:", "?-i:", "?=", "?!", "?<=", "?<!", "?P<")
OPTIONAL, SOME = "optional", "some"


class UnknownSyntax(ValueError):
    pass


def _parse(p: str, i: int = 0) -> tuple[list[list], int]:
    """The alternatives (each a list of (item, quantifier)) of P from I up to the group's ')' or the end;
    an item is ("literal", char), ("atom", its source), ("zero", None) or ("group"|"look", alternatives,
    its opening)."""
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
            item = ("look" if opening in ("?=", "?!", "?<=", "?<!") else "group", inner, opening)
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
            item, i = ("atom", p[i:j + 1]), j + 1
        elif ch == "\\":
            escaped = p[i + 1]
            if escaped in "pPN" and p.startswith("{", i + 2):
                j = p.index("}", i) + 1
                item, i = ("atom", p[i:j]), j
            elif escaped.isalnum():
                item, i = (("zero", None) if escaped in "bBAZ" else ("atom", p[i:i + 2])), i + 2
            else:
                item, i = ("literal", escaped), i + 2
        elif ch in "^$":
            item, i = ("zero", None), i + 1
        elif ch in ".*+?{":
            if ch != ".":
                raise UnknownSyntax("quantifier with nothing before it")
            item, i = ("atom", "."), i + 1
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
    for k, ((kind, value, *_), quantifier) in enumerate(sequence):
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
    for (kind, value, *_), quantifier in sequence + [(("atom", None), None)]:
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


class Words:
    """The literal words a set of scanners looks up, found in a text all at once: one pass of an Aho-Corasick
    automaton instead of a search through the text for each word."""

    def __init__(self, scanners):
        self.words = sorted({w for scanner in scanners for w in (*(scanner.starts or ()), *scanner.runs)})
        self.automaton = ahocorasick.Automaton()
        for word in self.words:
            self.automaton.add_word(word, (word, len(word) - 1))
        if self.words:
            self.automaton.make_automaton()

    def places(self, text: str) -> "Places":
        """The places of TEXT with every word of the set already found."""
        places = Places(text)
        if places.aligned and self.words:
            found = {word: [] for word in self.words}
            for end, (word, back) in self.automaton.iter(places.folded):
                found[word].append(end - back)
            places.found.update(found)
        return places


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


# what regex's \s matches (all of it lies below U+3001)
WHITE_SPACE = "".join(c for c in map(chr, range(0x3001)) if regex.match(r"\s", c))


def _first(sequence: list, ignore_case: bool) -> list[str] | None:
    """Patterns of one character, one of which the first character of a match of SEQUENCE that is not white
    space matches; None where any character may be (or a match may hold white space only)."""
    for k, (item, quantifier) in enumerate(sequence):
        kind, value, rest = item[0], item[1], sequence[k + 1:]
        if kind == "look" and item[2] == "?=":
            ahead = [_first(alternative, ignore_case) for alternative in value]
            if None not in ahead:       # what follows is also what the lookahead matches
                return [one for first in ahead for one in first]
            continue
        if kind in ("look", "zero") or (kind == "literal" and value in WHITE_SPACE) or value == r"\s":
            continue                    # takes no characters, or only white space
        if kind == "group":
            inner = ignore_case or item[2] == "?i:"
            found = []
            for alternative in value:
                first = _first(alternative + rest, inner)
                if first is None:
                    return None
                found += first
        else:
            one = regex.escape(value) if kind == "literal" else value
            if regex.search(one, WHITE_SPACE, regex.I if ignore_case else 0):
                return None
            found = [f"(?i:{one})" if ignore_case else one]
        if quantifier == OPTIONAL:
            after = _first(rest, ignore_case)
            if after is None:
                return None
            found += after
        return found
    return None


def first_after(pattern: str) -> regex.Pattern | None:
    """A pattern of one character that the first character of every match of PATTERN (a regex with no
    flags) that is not white space matches; None where any character may be, or the syntax tells nothing."""
    try:
        alternatives, end = _parse(pattern)
        if end != len(pattern):
            return None
        found = []
        for alternative in alternatives:
            first = _first(alternative, False)
            if first is None:
                return None
            found += first
    except (UnknownSyntax, ValueError, IndexError):
        return None
    return regex.compile("|".join(dict.fromkeys(found)))


def zero_width(pattern: str) -> bool:
    """Whether PATTERN is lookarounds and anchors only, where its syntax tells."""
    try:
        alternatives, end = _parse(pattern)
    except (UnknownSyntax, ValueError, IndexError):
        return False
    return end == len(pattern) and all(item[0] in ("look", "zero") for a in alternatives for item, _ in a)
