#!/usr/bin/env python3
"""List the figures in a course and the references that should back them.

A tool for reviewers, not course content. For a course folder (default
``course/``) it prints, module by module:

* every sentence in the module page, the lessons and the module quiz that
  holds a figure, as ``file:line: <the sentence>``;
* then the module's ``## References`` entries, as ``file:line: - <entry>``.

A figure is a number with a per cent sign (or "per cent"), a number of three
or more digits, a decimal, "N in M" / "N out of M", "N times", a number of
millions, billions, lakh or crore, or a year-bound claim ("in 2009",
"since 1998", "by May 2018"). Years that are clearly part of a citation are
skipped: years in brackets ("WHO (2013)"), years of a document ("WHO's 2022
guidelines", "World Drug Report 2022"). Identifiers are skipped too
("RA 9165", "Resolution 298", "FHI 360", "section 64A", journal volumes).

Under a figure sentence, a line starting with ``^`` names the figures that do
not appear anywhere in the module's References (a hint, not a verdict: case
stories use invented numbers, and a reference may word a figure differently).

Unit quizzes (a unit's ``final_quiz`` or ``quiz``) are listed after their
unit's modules and checked against the references of all those modules.

With ``--sources FILE...`` (for example the project's content brief and its
addendum) every reference entry is checked: each (author or organisation,
year) pair it cites must appear together in those files: in one list item,
paragraph or "[Source: ...]" note, with that year the nearest one to the
name (or a name known only by its web address). An entry without a year
needs its author or organisation to appear. Items marked "[Unconfirmed]"
and sections headed "Could not verify" do not count as sources. Entries that
fail are marked ``! not in sources`` and listed again at the end; the exit
status is then 1. The check is a filter for a human reader: a pair found
may still belong to another document of the same body and year.

Usage:
    python tools/figures.py [COURSE] [--sources FILE ...] [--trainer-notes]

Standard library and PyYAML only.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# --------------------------------------------------------------------------
# Reading Markdown into sentences with line numbers

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
          "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten"
ABBREVIATIONS = ("al.", "e.g.", "i.e.", "etc.", "No.", "no.", "vs.", "Dr.", "St.", "approx.", "c.", "ca.")

LIST_MARKER = re.compile(r"^(?:[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)")
QUIZ_HEADER_LINE = re.compile(r"^(?:type|points|case)\s*:")
QUIZ_ID_HEADING = re.compile(r"^##\s+(?:Question|Case)\s*:")


def clean(text: str) -> str:
    """Markdown line -> plain text (links keep their words, ids and markup go)."""
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)          # images
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)           # links
    text = re.sub(r"\{#[^}]*\}", "", text)                          # option ids
    text = re.sub(r"<[^>]+>", "", text)                             # inline html
    text = text.replace("**", "").replace("`", "")
    text = re.sub(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])", "", text)  # *italics*
    return text


@dataclass
class Block:
    """A paragraph, list item, heading or table row: cleaned text plus where each line starts."""
    parts: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, line number)
    text: str = ""

    def add(self, line_no: int, text: str) -> None:
        if self.text:
            self.text += " "
        self.parts.append((len(self.text), line_no))
        self.text += text.strip()

    def line_at(self, offset: int) -> int:
        line = self.parts[0][1]
        for start, no in self.parts:
            if start <= offset:
                line = no
        return line


def split_front_matter(lines: list[str]) -> tuple[list[tuple[int, str]], int]:
    """The front-matter lines worth scanning (title, summary, objectives) and the body's first index."""
    if not lines or lines[0].strip() != "---":
        return [], 0
    keep: list[tuple[int, str]] = []
    key = None
    for i in range(1, len(lines)):
        raw = lines[i]
        if raw.strip() == "---":
            return keep, i + 1
        m = re.match(r"^([A-Za-z_]+)\s*:(.*)$", raw)
        if m:
            key, value = m.group(1), m.group(2).strip()
            if key in ("title", "summary", "objectives") and value:
                keep.append((i + 1, value.strip("\"'")))
        elif key in ("title", "summary", "objectives") and raw.strip():
            keep.append((i + 1, LIST_MARKER.sub("", raw.strip()).strip("\"'")))
    return [], 0


def blocks_of(lines: list[str], first: int, stop_at_references: bool) -> list[Block]:
    """Group body lines into blocks; stop at '## References' when asked."""
    blocks: list[Block] = []
    cur: Block | None = None
    prev_quote = False
    in_question_header = False
    for i in range(first, len(lines)):
        raw = lines[i].rstrip("\n")
        if stop_at_references and re.match(r"^##\s+References\s*$", raw):
            break
        if QUIZ_ID_HEADING.match(raw):
            cur, in_question_header = None, True
            continue
        if in_question_header:
            if QUIZ_HEADER_LINE.match(raw.strip()):
                continue
            in_question_header = False
        stripped = raw.strip()
        quote = stripped.startswith(">")
        body = re.sub(r"^(?:>\s?)+", "", stripped)
        if not body:
            cur = None
            prev_quote = quote
            continue
        starts_new = (
            cur is None
            or body.startswith("#")
            or stripped.startswith("|")
            or LIST_MARKER.match(body) is not None
            or quote != prev_quote
            or re.match(r"^\*\*[^*]+\*\*$", body) is not None   # a bold label line
        )
        if starts_new:
            cur = Block()
            blocks.append(cur)
        # bullets go; ordered-list numbers stay (a wrapped "170." line is a figure, and Markdown
        # would also read it as a list item: worth seeing)
        text = body if stripped.startswith("|") else re.sub(r"^[-*+]\s+(?:\[[ xX]\]\s+)?", "", body.lstrip("#").strip())
        cur.add(i + 1, clean(text))
        if body.startswith("#") or re.match(r"^\*\*[^*]+\*\*$", body):
            cur = None
        prev_quote = quote
    return blocks


def sentences(block: Block) -> list[tuple[int, str]]:
    """(start offset, sentence) pairs of a block."""
    out: list[tuple[int, str]] = []
    text = block.text
    start = 0
    for m in re.finditer(r"(?<=[.!?])[\"'”’)]?\s+(?=[A-Z0-9\"“'(\[*])", text):
        before = text[start:m.start() + 1].split()
        last = before[-1] if before else ""
        initial = re.fullmatch(r"\(?[A-Z]\.", last) is not None
        if initial and len(before) > 1 and before[-2].lower() in ("hepatitis", "vitamin", "part", "annex"):
            initial = False                                         # "... with hepatitis C. The ..."
        if last.endswith(ABBREVIATIONS) or initial:
            continue
        out.append((start, text[start:m.end()].strip()))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:].strip()))
    return out


# --------------------------------------------------------------------------
# Finding figures

IDENTIFIER_BEFORE = re.compile(
    r"(?:\bRA|Republic Act|Resolution|[Ss]ection|\bs\.|\bNo\.|\bFHI|Module|Lesson|Part|NACP-|ISO|version)\s*$")
YEAR_CLAIM_BEFORE = re.compile(
    rf"(?:\b(?:in|since|from|by|until|till|between|after|before|around|about|during|early|late|mid|of|as of)"
    rf"\s+(?:(?:the\s+)?(?:end|start|beginning|middle|spring|summer|autumn|winter)\s+of\s+)?"
    rf"(?:(?:\d{{1,2}}\s+)?(?:{MONTHS})\s+)?)$",
    re.IGNORECASE)
FIGURE = re.compile(
    rf"""
    (?P<ninm>(?<![\w.,])(?:\d{{1,3}}|{NUMBER_WORDS})\s+(?:[a-z]+\s+)?(?:in|out\s+of)\s+(?:\d{{1,3}}(?![\d,])|{NUMBER_WORDS}|a\s+hundred)\b
       (?!\s+(?:months?|years?|weeks?|days?|hours?|quarters?)\b))
  | (?P<pct>(?<![\w.,])\d+(?:[.,]\d+)*\s?(?:%|per\s?cent\b))
  | (?P<scale>(?<![\w.,])\d+(?:\.\d+)?\s+(?:million|billion|lakh|crore)\b)
  | (?P<times>(?<![\w.,])\d+(?:\.\d+)?(?:\s*(?:to|-|–)\s*\d+(?:\.\d+)?)?\s+times\b)
  | (?P<year>(?<![\w.,$])(?:19|20)\d\d(?:\s*[–-]\s*(?:19|20)?\d\d)?(?![\w]|,\d|\.\d))
  | (?P<dec>(?<![\w.,])\d+\.\d+(?![\w.]))
  | (?P<big>(?<![\w.,])\d{{1,3}}(?:,\d{{3}})+(?!\d)|(?<![\w.,])\d{{3,}}(?![\w]))
    """,
    re.IGNORECASE | re.VERBOSE)


def inside_brackets(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[:pos]:
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
    return depth > 0


def figures_in(sentence: str) -> list[tuple[int, str]]:
    """(offset, figure) pairs found in a sentence."""
    found: list[tuple[int, str]] = []
    last_claim_year_end = -10
    for m in FIGURE.finditer(sentence):
        before = sentence[:m.start()]
        if IDENTIFIER_BEFORE.search(before):
            continue
        after = sentence[m.end():m.end() + 4]
        if re.match(r"\(\d|:\s?[A-Za-z]?\d", after):                # journal volume 185(16), 36:S99
            continue
        if m.lastgroup == "year":
            chained = (m.start() - last_claim_year_end < 8
                       and re.search(r"(?:and|or|to|–|-)\s*$", before))
            if inside_brackets(sentence, m.start()) or not (YEAR_CLAIM_BEFORE.search(before) or chained):
                continue
            last_claim_year_end = m.end()
        found.append((m.start(), m.group(0)))
    return found


# --------------------------------------------------------------------------
# References

@dataclass
class Reference:
    file: Path
    line: int
    text: str
    heading: bool = False       # a sub-heading line inside the References section


def references_of(path: Path) -> list[Reference]:
    lines = path.read_text(encoding="utf-8").splitlines()
    refs: list[Reference] = []
    inside = False
    for i, raw in enumerate(lines, start=1):
        if re.match(r"^##\s+References\s*$", raw):
            inside = True
            continue
        if not inside:
            continue
        if re.match(r"^#{1,2}\s", raw):
            break
        if not raw.strip():
            continue
        if re.match(r"^[-*+]\s+", raw):
            refs.append(Reference(path, i, re.sub(r"^[-*+]\s+", "", raw).strip()))
        elif raw.startswith((" ", "\t")) and refs and not refs[-1].heading:
            refs[-1].text += " " + raw.strip()
        else:
            refs.append(Reference(path, i, raw.strip(), heading=True))
    return refs


def normalise(text: str, lower: bool = True) -> str:
    text = text.replace("*", "").replace("_", " ")
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"\s+", " ", text).strip()
    return text.lower() if lower else text


def years_in(text: str) -> set[str]:
    years: set[str] = set()
    for m in re.finditer(r"(?<!\d)((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)?\d\d))?(?![\d])", text):
        years.add(m.group(1))
        if m.group(2):
            end = m.group(2)
            years.add(end if len(end) == 4 else m.group(1)[:2] + end)
    return years


GENERIC = {
    "the", "a", "an", "and", "of", "for", "in", "on", "by", "with", "as", "at", "to", "from", "reported",
    "reporting", "summarised", "listed", "quoted", "world", "report", "reports", "health", "global",
    "international", "journal", "guidelines", "guideline", "guidance", "guide", "news", "drug", "drugs",
    "harm", "reduction", "women", "woman", "hiv", "aids", "un", "ngo", "sti", "asia", "programme",
    "programmes", "project", "study", "brief", "policy", "slides", "slide", "deck", "note", "technical",
    "article", "story", "presentation", "paper", "analysis", "survey", "mapping", "statement", "tool",
    "history", "profile", "organisation", "network", "update", "updated", "revised", "chapter", "section",
    "part", "annual", "national", "committee", "people", "who", "use", "inject", "injecting", "both",
    "others", "above", "item",
}

GENERIC_ACRONYMS = {"HIV", "AIDS", "NGO", "STI", "STIS", "SRH", "SRHR", "HCV", "HBV", "TITLE"}


def name_candidates(citation: str, titles: list[str]) -> list[str]:
    """Author or organisation names (and titles) that a source must mention."""
    text = re.sub(r"\([^()]*\)", " ", citation)                 # dates and asides
    cands: list[str] = []
    for chunk in re.split(r",|;|\band\b|\bwith\b|\bfor\b|\bby\b|\bin\b|\bvia\b|\bon\b|\bat\b|(?<!HIV)/(?!AIDS)", text):
        chunk = re.sub(r"\bet al\.?", "", chunk)
        chunk = re.sub(r"\b(?:TITLE\d+|as|reported|reporting|summarised|quoted|listed|described)\b", " ", chunk)
        chunk = re.sub(r"^\s*(?:[A-Z]\.\s*)+", "", chunk)           # leading initials: P. Tanguay
        chunk = re.sub(r"^(.*[a-z][\w'-]*)\s+[A-Z]{1,3}\s*$", r"\1", chunk)   # Degenhardt L, Des Jarlais DC
        chunk = re.sub(r"^\s*the\s+", "", chunk, flags=re.I).strip(" .:'\"")
        if not re.search(r"[A-Za-z]", chunk) or (chunk[0].islower() and len(chunk.split()) > 3):
            continue
        if len(chunk.split()) == 1 and chunk.lower() in GENERIC and not chunk.isupper():  # "report", not "WHO"
            continue
        cands.append(chunk)
        words = chunk.split()
        if (len(words) > 2 and all(w[0].isupper() for w in words)       # Human Rights Watch -> HRW
                and not any(re.fullmatch(r"[A-Z][A-Z0-9&-]+", w) for w in words)):
            cands.append("".join(w[0] for w in words))
        # acronyms identify a body on their own (UNODC ROSA, ABS-CBN News)
        for tok in re.findall(r"[A-Za-z][\w&'-]*", chunk):
            if tok not in GENERIC_ACRONYMS and re.fullmatch(r"[A-Z][A-Z0-9&-]{2,}", tok):
                cands.append(tok)
    for t in titles:
        t = re.sub(r"\b(?:19|20)\d\d\b", "", t).strip(" .:,'\"")
        if t:
            cands.append(t)
    seen: list[str] = []
    for c in cands:
        if c not in seen:
            seen.append(c)
    return seen


def citations_of(entry: str) -> list[tuple[str, list[str], set[str]]]:
    """(citation text, titles, years) for each citation a reference entry makes.

    The entry's first citation is everything before its first ': '. Further
    citations are 'Name (date): ...' or 'Name (date), on ...' inside the entry.
    """
    titles: list[str] = []

    def mask(m: re.Match) -> str:
        titles.append(m.group(1))
        return f" TITLE{len(titles) - 1} "

    masked = re.sub(r"\*\"?([^*]+?)\"?\*", mask, entry)
    masked = re.sub(r"\"([^\"]+)\"", lambda m: mask(m) if len(m.group(1).split()) > 2 else m.group(0), masked)

    def unmask(text: str) -> tuple[str, list[str], set[str]]:
        used = [titles[int(n)] for n in re.findall(r"TITLE(\d+)", text)]
        years = years_in(re.sub(r"TITLE\d+", " ", text))
        for title in used:
            years |= years_in(title)
        return text, used, years

    out = []
    head, sep, _ = masked.partition(": ")
    out.append(unmask(head if sep else masked))
    for m in re.finditer(r"(?:^|[.;:]\s+)((?:[^.;:]|:(?!\s))*?\([^()]*\b(?:19|20)\d\d\b[^()]*\))"
                         r"(?=:|,\s+(?:on|as|reported)\b|\.?\s*$)", masked):
        if m.start(1) >= len(head):
            out.append(unmask(m.group(1)))
    return out


@dataclass
class Sources:
    blocks: list[str]
    whole: str

    @classmethod
    def read(cls, paths: list[Path]) -> Sources:
        blocks: list[str] = []

        def close(cur: list[str]) -> None:
            text = normalise(" ".join(cur), lower=False)
            if not text or "unconfirmed]" in text[:40].lower():  # "[Unconfirmed]: ..." items are no source
                return
            # a "[Source: ...]" note is a unit of its own, apart from the text around it
            blocks.extend(part for part in re.split(r"(\[Source:[^\]]*\])", text, flags=re.I) if part.strip())

        for path in paths:
            cur: list[str] = []
            unverified = False                                # a "Could not verify" section is no source
            for raw in path.read_text(encoding="utf-8").splitlines():
                if raw.startswith("#"):
                    unverified = bool(re.search(r"could not verify|unverified|not verified", raw, re.I))
                if raw[:1] not in ("", " ", "\t") and cur:
                    close(cur)
                    cur = []
                if not unverified:
                    cur.append(raw)
            if cur:
                close(cur)
        return cls(blocks, "\n".join(blocks))

    @staticmethod
    def mentions(block: str, name: str) -> bool:
        name = normalise(name, lower=False)
        acronym = re.fullmatch(r"[A-Z][A-Z0-9&-]+", name) is not None      # WHO is not "who"
        flags = 0 if acronym else re.IGNORECASE
        if re.search(r"(?<![\w])" + re.escape(name) + r"(?![\w])", block, flags):
            return True
        # a one-word name may be known only by its web address (filtermag.org)
        return (" " not in name and len(name) >= 4
                and re.search(r"https?://[^/\s]*" + re.escape(name), block, re.IGNORECASE) is not None)

    def near(self, block: str, name: str, year: str) -> bool:
        """The year is (one of) the year(s) nearest to a mention of the name, within WINDOW characters."""
        if not self.mentions(block, name):
            return False
        name = normalise(name, lower=False)
        flags = 0 if re.fullmatch(r"[A-Z][A-Z0-9&-]+", name) else re.IGNORECASE
        name_at = [m.start() for m in re.finditer(r"(?<![\w])" + re.escape(name) + r"(?![\w])", block, flags)] or [
            m.start() for m in re.finditer(r"https?://", block)]
        years_at: list[tuple[int, set[str]]] = []
        for m in re.finditer(r"(?<!\d)(?:19|20)\d\d(?:\s*-\s*(?:19|20)?\d\d)?(?!\d)", block):
            years_at.append((m.start(), years_in(m.group(0))))
        for n in name_at:
            dist = sorted((abs(n - pos), ys) for pos, ys in years_at)
            if not dist:
                continue
            nearest = dist[0][0]
            if any(year in ys for d, ys in dist if d <= min(nearest + self.CLUSTER, self.WINDOW)):
                return True
        return False

    CLUSTER = 25
    WINDOW = 160

    def check(self, entry: str) -> list[str]:
        """What the sources lack for this entry: 'Name, year' or 'Name (no year)' items."""
        missing: list[str] = []
        citations = citations_of(entry)
        for i, (citation, titles, years) in enumerate(citations):
            names = name_candidates(citation, titles)
            if not names:
                continue
            label = names[0]
            if not years:
                # an entry's lead-in without a year ("Country law: ...") is no citation
                # when the entry goes on to cite dated sources
                if i == 0 and len(citations) > 1:
                    continue
                if not any(self.mentions(self.whole, n) for n in names):
                    missing.append(f"{label} (no year)")
                continue
            for year in sorted(years):
                ok = any(year in years_in(b) and any(self.near(b, n, year) for n in names) for b in self.blocks)
                if not ok:
                    missing.append(f"{label}, {year}")
        return missing


# --------------------------------------------------------------------------
# The course

@dataclass
class Group:
    title: str
    files: list[Path]
    references: list[Reference]
    module_page: Path | None = None


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        if end != -1:
            return yaml.safe_load(text[3:end]) or {}
    return {}


def groups_of(course: Path, trainer_notes: bool) -> list[Group]:
    manifest = yaml.safe_load((course / "course.yaml").read_text(encoding="utf-8")) or {}
    groups: list[Group] = []
    listed: set[str] = set()

    def module_group(folder: str) -> Group:
        mdir = course / "modules" / folder
        page = mdir / "module.md"
        fm = front_matter(page)
        files = [page] + [mdir / name for name in fm.get("lessons") or []]
        if fm.get("quiz"):
            files.append(mdir / fm["quiz"])
        if trainer_notes and fm.get("trainer_notes"):
            files.append(mdir / fm["trainer_notes"])
        return Group(f"{fm.get('title', folder)} ({folder})", files, references_of(page), page)

    for unit in manifest.get("units") or []:
        unit_groups = []
        for folder in unit.get("modules") or []:
            listed.add(folder)
            unit_groups.append(module_group(folder))
        groups.extend(unit_groups)
        for key in ("final_quiz", "quiz"):
            if unit.get(key):
                refs = [r for g in unit_groups for r in g.references]
                groups.append(Group(f"{unit.get('title', unit.get('id'))} unit quiz ({unit[key]}); "
                                    f"checked against the references of the unit's modules",
                                    [course / unit[key]], refs))
    for mdir in sorted((course / "modules").glob("*/")):
        if mdir.name not in listed and (mdir / "module.md").exists():
            groups.append(module_group(mdir.name))
    return groups


def scan(path: Path, stop_at_references: bool) -> list[tuple[int, str, list[str]]]:
    """(line, sentence, figures) for every sentence with a figure."""
    lines = path.read_text(encoding="utf-8").splitlines()
    keep, first = split_front_matter(lines)
    blocks: list[Block] = []
    for no, value in keep:
        b = Block()
        b.add(no, clean(value))
        blocks.append(b)
    blocks += blocks_of(lines, first, stop_at_references)
    out = []
    for block in blocks:
        for start, sentence in sentences(block):
            figs = figures_in(sentence)
            if figs:
                out.append((block.line_at(start + figs[0][0]), sentence, [f for _, f in figs]))
    return out


def in_references(figure: str, refs_text: str) -> bool:
    fig = normalise(figure)
    variants = {fig, fig.replace(" ", ""), fig.replace("per cent", "%").replace(" %", "%")}
    for match in re.finditer(r"[\d.,]+", fig):
        variants.add(match.group(0).rstrip(".,"))
    return any(v and re.search(r"(?<![\w.])" + re.escape(v) + r"(?![\d])", refs_text) for v in variants)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("course", nargs="?", default="course", help="course folder (default: course)")
    parser.add_argument("--sources", nargs="+", type=Path, metavar="PATH",
                        help="files every cited (author or organisation, year) must appear in")
    parser.add_argument("--trainer-notes", action="store_true", help="also list figures in trainer notes")
    args = parser.parse_args(argv)

    course = Path(args.course)
    if not (course / "course.yaml").exists():
        parser.error(f"{course} has no course.yaml")
    for path in args.sources or []:
        if not path.is_file():
            parser.error(f"no such source file: {path}")
    sources = Sources.read(args.sources) if args.sources else None

    flagged: list[tuple[Reference, list[str]]] = []
    unreferenced = 0
    for group in groups_of(course, args.trainer_notes):
        print(f"# {group.title}")
        print()
        refs_text = normalise(" ".join(r.text for r in group.references))
        for path in group.files:
            if not path.exists():
                print(f"{path}: missing file")
                continue
            for line, sentence, figs in scan(path, stop_at_references=path == group.module_page):
                print(f"{path}:{line}: {sentence}")
                missing = [f for f in figs if not in_references(f, refs_text)]
                if missing:
                    unreferenced += 1
                    print(f"    ^ not in References: {', '.join(missing)}")
        if group.module_page is not None:
            print()
            print(f"## References ({group.module_page})")
            if not group.references:
                print("(no References section)")
            for ref in group.references:
                if ref.heading:
                    print(f"{ref.file}:{ref.line}: {ref.text}")
                    continue
                print(f"{ref.file}:{ref.line}: - {ref.text}")
                if sources:
                    missing = sources.check(ref.text)
                    if missing:
                        flagged.append((ref, missing))
                        print(f"    ! not in sources: {'; '.join(missing)}")
        print()

    print(f"# Summary: {unreferenced} figure sentence(s) with a figure not found in their References")
    if sources:
        print(f"# {len(flagged)} reference entr{'y' if len(flagged) == 1 else 'ies'} "
              f"with an (author or organisation, year) pair not found in the sources")
        for ref, missing in flagged:
            print(f"{ref.file}:{ref.line}: {'; '.join(missing)}")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
