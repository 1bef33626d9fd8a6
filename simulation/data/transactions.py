"""Transaction logs: who bought, when, for how much — the customer base as the firm sees it.

A firm never sees a customer's satisfaction, trust or intention to leave; it sees purchases in its
customer database ("keep a customer database with the category, time and product of each
purchase"). Everything a firm can say about its customers — who is active, who has gone quiet,
who is worth a win-back call — starts from this log.

* :func:`load_transactions` reads a user's CSV (customer id, date, amount; optional quantity) and
  checks every row. A bad row gets one message naming its line in the file, the column, the value
  and what is allowed; nothing is silently dropped: the file loads completely or not at all
  (:class:`TransactionFileError` lists the first 10 problems and how many there are). A big file
  is read a piece at a time (pandas' C parser, the csv module for pieces with quotes), so it
  takes little more memory than the columns returned, with a progress bar on a terminal.
* :func:`load_cdnow` reads the CDNOW log shipped in ``datasets/cdnow`` (Fader, Hardie & Lee 2005).
* :func:`customer_summary` turns a log into the RFM view of each customer — **r**ecency,
  **f**requency, **m**onetary value — in weeks, the input of "buy till you die" models such as
  BG/NBD (:mod:`simulation.data.bgnbd`).
* :func:`weekly_repeat_purchases` counts repeat purchases per calendar week: the curve a model of
  the customer base must track in the weeks after calibration.

Time is measured in weeks because the simulation steps weekly. Purchases on the same day by the
same customer count as one purchase occasion (their amounts are added).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import functools
import gzip
import io
import itertools
import operator
import os
import re
import sys
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.messages import N_, t, tn

COLUMNS = ("customer_id", "date", "amount", "quantity")
REQUIRED = ("customer_id", "date", "amount")
#: Accepted header names for each column, in order of preference (matched ignoring case, spaces,
#: hyphens and underscores). "id" comes last so an export with both "id" and "customer_id" uses
#: the latter.
ALIASES = {
    "customer_id": ("customer_id", "cust_id", "customer", "client_id", "client", "id"),
    "date": ("date", "order_date", "purchase_date", "transaction_date", "day"),
    "amount": ("amount", "value", "revenue", "sales", "dollar_value", "spend"),
    "quantity": ("quantity", "qty", "units", "number_of_cds", "items"),
}
MAX_SHOWN = 10
DELIMITERS = (",", ";", "\t", "|")
#: Date formats tried, in this order, when no ``date_format`` is given; the one that reads the
#: most rows is used for the whole file.
DATE_FORMATS = (
    "ISO8601",
    "%Y%m%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%d.%m.%Y %H:%M",
)
DATASETS = Path(__file__).resolve().parents[2] / "datasets"
EARLIEST = pd.Timestamp.min.ceil("D")  # the first whole day a timestamp holds: 1677-09-22
#: A time of day followed by a UTC offset (Z, +02:00, -0500): the end of an ISO date with a zone.
_OFFSET = r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d\d(?::?\d\d)?)$"
CDNOW = DATASETS / "cdnow" / "CDNOW_master.txt.gz"
CDNOW_SAMPLE_IDS = DATASETS / "cdnow" / "CDNOW_sample_ids.txt"


class TransactionFileError(ValueError):
    """A transaction file that cannot be loaded as it is; the message says where and why."""


# --- reading the bytes ------------------------------------------------------------------------

_SIGNATURES = (
    (b"PK\x03\x04", N_("data.kind_zip")),
    (b"\xd0\xcf\x11\xe0", N_("data.kind_xls")),
    (b"%PDF", N_("data.kind_pdf")),
)
EXPECTED = {
    "amount": N_("data.expect_amount"),
    "quantity": N_("data.expect_quantity"),
}  # what a number column allows
#: The file is read and checked this many bytes at a time: the loader holds one piece of text at
#: once, besides the compact columns it returns.
BLOCK_BYTES = 1 << 20
SNIFF_BYTES = 4096  # what the first look at a file reads: its kind, its encoding
#: Every date format is tried on this many rows; then only the ones that read the most go on.
DATE_SAMPLE_ROWS = 20_000
#: A progress bar is shown for files at least this big (on a terminal, or when asked for).
PROGRESS_BYTES = 32 * 2**20


class _Counted:
    """A binary stream that starts with the bytes already read from it and counts what it gives."""

    def __init__(self, stream, head: bytes = b""):
        self.stream, self.head, self.count = stream, head, 0

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data = self.head if size < 0 else self.head[:size]
            self.head = self.head[len(data) :]
        else:
            data = self.stream.read(size)
        self.count += len(data)
        return data


def _remaining(stream) -> int | None:
    """Bytes (or characters) left in an open file, if it can tell."""
    try:
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
        return end - here
    except (AttributeError, OSError, ValueError):
        return None


def _open(source, opened: list) -> tuple[str, int | None, _Counted | None, Iterator[str]]:
    """A name for the file in messages, its size, a counter of the bytes read so far and its
    text, a block at a time: gzip is opened, UTF-8 (with or without BOM) and UTF-16 with BOM are
    decoded, anything else is refused with a reason. Files opened here are appended to ``opened``."""
    if hasattr(source, "read"):
        stream, name = source, str(getattr(source, "name", "the file"))
        size = _remaining(source)
    else:
        path = Path(os.fspath(source))
        if not path.is_file():
            raise TransactionFileError(t("data.missing_file", source=str(path)))
        stream, name, size = path.open("rb"), str(path), path.stat().st_size
        opened.append(stream)
    head = stream.read(max(BLOCK_BYTES, SNIFF_BYTES))
    if isinstance(head, str):  # a file opened as text
        return name, size, None, _text_blocks(head.lstrip("\ufeff"), stream)
    counted = binary = _Counted(stream, head)
    if head[:2] != b"\x1f\x8b":
        first = binary.read(len(head))  # the head again
    else:
        binary = gzip.GzipFile(fileobj=counted, mode="rb")
        opened.append(binary)
        try:
            first = binary.read(max(BLOCK_BYTES, SNIFF_BYTES))
        except (OSError, EOFError, zlib.error) as error:
            raise TransactionFileError(t("data.bad_csv", source=name, line=1, problem=str(error))) from None
    for signature, kind in _SIGNATURES:
        if first.startswith(signature):
            raise TransactionFileError(t("data.not_csv", source=name, kind=t(kind)))
    if first[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif b"\x00" in first[:SNIFF_BYTES]:
        raise TransactionFileError(t("data.not_csv", source=name, kind=t("data.kind_binary")))
    else:
        encoding = "utf-8-sig"
    return name, size, counted, _decoded_blocks(first, binary, codecs.getincrementaldecoder(encoding)())


def _text_blocks(first: str, stream) -> Iterator[str]:
    yield first
    while block := stream.read(BLOCK_BYTES):
        yield block


def _decoded_blocks(first: bytes, stream, decoder) -> Iterator[str]:
    """The text of a binary stream, a block at a time (a UnicodeDecodeError's ``object`` is the
    block it was found in, so its line can be told)."""
    data = first
    while data:
        yield decoder.decode(data)
        data = stream.read(BLOCK_BYTES)
    yield decoder.decode(b"", final=True)


def _line_count(text: str) -> int:
    """Lines in ``text`` as the csv module counts them (ends: \\n, \\r\\n or \\r)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    return ends + (1 if text and text[-1] not in "\r\n" else 0)


def _whole_lines(blocks: Iterator[str], name: str) -> Iterator[tuple[str, int]]:
    """The text in pieces of whole lines that do not end inside a quoted field (a quoted field
    may hold a line end), each with the number of its first line in the file."""
    pending, line, seen, quotes = "", 1, 0, 0  # seen: line ends decoded so far; quotes: in pending
    while True:
        try:
            text = next(blocks, None)
        except UnicodeDecodeError as error:
            raise TransactionFileError(
                t("data.encoding", source=name, line=seen + error.object[: error.start].count(b"\n") + 1)
            ) from None
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:  # a damaged .gz file
            raise TransactionFileError(
                t("data.bad_csv", source=name, line=seen + 1, problem=str(error))
            ) from None
        if text is None:
            break
        seen += text.count("\n")
        quotes += text.count('"')
        text = pending + text
        end = len(text) - 1 if text.endswith("\r") else len(text)  # "\r" may begin "\r\n"
        cut = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1
        after = text.count('"', cut) if cut and quotes else 0
        if cut and (quotes - after) % 2 == 0:
            yield text[:cut], line
            line += _line_count(text[:cut])
            pending, quotes = text[cut:], after
        else:
            pending = text  # no whole line yet, or a quoted field goes on: read more
    if pending:
        yield pending, line


def _header(text: str, name: str) -> tuple[list[str], str, str, int]:
    """The header of the file (its first record), the delimiter, the text after the header and
    the number of the line after it."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda d: len(first_line.split(d)))  # ties: the comma
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise TransactionFileError(
            t("data.bad_csv", source=name, line=reader.line_num, problem=str(error))
        ) from None
    if header is None or not any(cell.strip() for cell in header):
        raise TransactionFileError(t("data.empty", source=name))
    return header, delimiter, lines.read(), reader.line_num + 1


@dataclass
class _Piece:
    """The records of a piece of text: the text of the columns read (stripped), the numbers
    already read as numbers (all valid), which cells are empty (None: none is), the line each
    record ends on, and the records of a wrong width (line, fields)."""

    cells: dict[str, pd.Series]
    numbers: dict[str, np.ndarray]
    empty: dict[str, np.ndarray] | None
    lines: np.ndarray
    wrong: list[tuple[int, int]]

    def is_empty(self, column: str) -> np.ndarray:
        if self.empty is None:
            return np.zeros(len(self.lines), dtype=bool)
        if column not in self.empty:
            self.empty[column] = self.cells[column].eq("").to_numpy()
        return self.empty[column]


_SPACE = re.compile(r"[^\S\r\n]")  # white space within a line: cells need stripping


def _read_fast(text: str, first: int, delimiter: str, width: int, where: dict[str, int]) -> _Piece | None:
    """The records of a piece of text without quotes, read by pandas' C parser (one record a line,
    so line numbers are exact; amount and quantity straight to numbers when they all are). None
    when the piece needs the csv module."""
    if '"' in text or "\x00" in text or text.count("\r") != text.count("\r\n"):
        return None
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    if data[-1] != 10:
        ends = np.append(ends, data.size)
    starts = np.concatenate([[0], ends[:-1] + 1])
    length = ends - starts
    length[(length > 0) & (data[np.maximum(ends - 1, 0)] == 13)] -= 1  # "\r\n"
    fields = np.diff(np.searchsorted(np.flatnonzero(data == ord(delimiter)), ends), prepend=0) + 1
    fields[length == 0] = 0
    strip = _SPACE.search(text) is not None
    numeric = [c for c in ("amount", "quantity") if c in where]

    def read(as_numbers: bool) -> pd.DataFrame:
        dtype = {i: (np.float64 if as_numbers and c in numeric else object) for c, i in where.items()}
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            names=range(max(int(fields.max()), width)),
            usecols=sorted(where.values()),
            dtype=dtype,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
        )

    try:
        frame, parsed = read(True), True
    except ValueError:  # a number column with a cell that is not a number: read it as text
        parsed = False
    try:
        frame = frame if parsed else read(False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None
    if len(frame) != ends.size:
        return None
    numbers = {}
    if parsed:
        for c in numeric:
            values = frame[where[c]].to_numpy(dtype=float)
            if not (np.isfinite(values).all() and (values >= 0).all()):
                frame, numbers = read(False), {}  # problems to name: their text is needed
                break
            numbers[c] = values
    cells = {c: (frame[i].str.strip() if strip else frame[i]) for c, i in where.items() if c not in numbers}
    lines = np.arange(first, first + ends.size, dtype=np.int64)
    # an empty cell needs two delimiters in a row, one at the start or end of a line, a short
    # line, or white space; without any of them no cell is empty and none is looked at
    gaps = (
        strip
        or (fields < width).any()
        or text[0] == delimiter
        or text[-1] == delimiter
        or any(s in text for s in (delimiter * 2, "\n" + delimiter, delimiter + "\n", delimiter + "\r"))
    )
    piece = _Piece(cells, numbers, {} if gaps else None, lines, [])
    odd = fields != width
    blank = (
        np.logical_and.reduce([piece.is_empty(c) for c in where])
        if gaps and not numbers
        else np.zeros(ends.size, dtype=bool)
    )
    check = np.flatnonzero(blank | odd)
    if not check.size:
        return piece
    drop = np.zeros(ends.size, dtype=bool)
    for k in check:
        line = data[starts[k] : starts[k] + length[k]].tobytes().decode("utf-8")
        if not line.replace(delimiter, "").strip():
            drop[k] = True  # a blank line holds no purchase
        elif odd[k]:
            drop[k] = True
            piece.wrong.append((lines[k], int(fields[k])))
    keep = ~drop
    piece.cells = {c: s[keep].reset_index(drop=True) for c, s in cells.items()}
    piece.numbers = {c: v[keep] for c, v in numbers.items()}
    piece.empty = None if piece.empty is None else {c: e[keep] for c, e in piece.empty.items()}
    piece.lines = lines[keep]
    return piece


def _read_csv(text: str, first: int, delimiter: str, width: int, where: dict[str, int], name: str) -> _Piece:
    """The same as :func:`_read_fast`, by the csv module (quoted fields, odd line ends)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, lines, wrong = [], [], []
    try:
        for row in reader:
            if len(row) != width or not any(row):
                if not any(cell.strip() for cell in row):
                    continue  # a blank line holds no purchase
                if len(row) != width:
                    wrong.append((first + reader.line_num - 1, len(row)))
                    continue
            rows.append(row)
            lines.append(first + reader.line_num - 1)
    except csv.Error as error:
        raise TransactionFileError(
            t("data.bad_csv", source=name, line=first + reader.line_num - 1, problem=str(error))
        ) from None
    take = operator.itemgetter(*where.values())
    columns = zip(*map(take, rows)) if rows else ([] for _ in where)
    piece = _Piece(
        {c: pd.Series(column, dtype=object).str.strip() for c, column in zip(where, columns)},
        {},
        {},
        np.array(lines, dtype=np.int64),
        wrong,
    )
    if rows:
        blank = np.logical_and.reduce([piece.is_empty(c) for c in where])
        if blank.any():
            blank &= np.array([not any(cell.strip() for cell in row) for row in rows])
            piece.cells = {c: s[~blank].reset_index(drop=True) for c, s in piece.cells.items()}
            piece.empty = {c: e[~blank] for c, e in piece.empty.items()}
            piece.lines = piece.lines[~blank]
    return piece


def _normal(name: str) -> str:
    return name.strip().strip('"').lower().replace("-", "_").replace(" ", "_")


def _columns(header: list[str], source: str) -> dict[str, int]:
    """Position of each known column in the header, preferring the earlier aliases."""
    names = [_normal(h) for h in header]
    found = {}
    for column, aliases in ALIASES.items():
        for alias in aliases:
            if alias in names:
                found[column] = names.index(alias)
                break
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise TransactionFileError(
            t(
                "data.missing_columns",
                source=source,
                missing=", ".join(missing),
                found=", ".join(h.strip() for h in header) or "-",
                allowed="; ".join(f"{c}: {', '.join(ALIASES[c])}" for c in REQUIRED),
            )
        )
    return found


# --- checking the values ---------------------------------------------------------------------


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


#: Order of the problems of one line: the width of the line, then its columns from left to right.
_RANK = {"width": 0, "customer_id": 1, "date": 2, "amount": 3, "quantity": 4}


class _Problems:
    """How many problems there are, and the first MAX_SHOWN of them in file order, each kept as
    (line, rank, key, values) and worded only when shown: only the first MAX_SHOWN rows of each
    kind of problem in a chunk are looked at closely."""

    def __init__(self):
        self.count, self.first = 0, []

    def add(self, rows: np.ndarray, describe) -> None:
        """Problems at positions ``rows`` (in order) of a chunk; ``describe(k)`` makes the entry of one."""
        self.count += len(rows)
        if len(rows):
            self.merge([describe(k) for k in rows[:MAX_SHOWN]])

    def merge(self, entries: list[tuple]) -> None:
        self.first = sorted(self.first + entries, key=lambda p: p[:2])[:MAX_SHOWN]


def _read_dates(values: pd.Series, fmt: str) -> pd.Series:
    """``values`` read as dates in the format ``fmt`` (NaT where one is not)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # mixed UTC offsets: handled below
            out = pd.to_datetime(values, format=fmt, errors="coerce")
    except (ValueError, TypeError):
        out = None
    if out is not None and out.dtype.kind == "M" and getattr(out.dt, "tz", None) is None:
        return _nanoseconds(out)  # no UTC offsets: the usual case
    # UTC offsets (+01:00 in winter and +02:00 in summer, Z): every one is converted to UTC
    # and the zone dropped; a time without an offset among them is taken as UTC
    aware = values.str.contains(_OFFSET, regex=True)
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for part, utc in ((aware, True), (~aware, False)):
        if part.any():
            try:
                parsed = pd.to_datetime(values[part], format=fmt, errors="coerce", utc=utc)
            except (ValueError, TypeError):
                continue
            if parsed.dtype.kind == "M":
                out[part] = _nanoseconds(parsed.dt.tz_convert(None) if utc else parsed)
    return out


def _nanoseconds(dates: pd.Series) -> pd.Series:
    """``dates`` as the nanosecond dates the loader keeps; NaT for a date they cannot hold
    (pandas 3 reads 2999-01-01 at a coarser unit, pandas 2 gives NaT at once): such a date is
    then reported as out of range, not as not a date."""
    if dates.dt.unit != "ns":
        dates = dates.where((dates >= pd.Timestamp.min) & (dates <= pd.Timestamp.max))
    return dates.astype("datetime64[ns]")


def _today(today) -> datetime.date:
    """The last day a purchase may be on: ``today`` if given, else today here or in UTC,
    whichever is later (a time converted to UTC may already be tomorrow's date there)."""
    if today is not None:
        return pd.Timestamp(today).date()
    return max(datetime.date.today(), datetime.datetime.now(datetime.UTC).date())


def _is_a_date(value: str, fmt: str | None) -> bool:
    """Whether ``value`` is a real calendar date that pandas cannot hold (before 1677-09-22 or
    after 2262-04-11): out of range, rather than not a date."""
    try:
        if fmt in (None, "ISO8601"):
            datetime.datetime.fromisoformat(value)
        else:
            datetime.datetime.strptime(value, fmt)
    except ValueError:
        return False
    return True


class _Dates:
    """The date column, read with one format for the whole file: ``date_format`` if given, else
    the format of DATE_FORMATS that reads the most rows. Every format is tried on the first
    DATE_SAMPLE_ROWS rows (every row of a smaller file); from there on only the formats that read
    the most rows so far stay candidates, each with its dates and problems, until the rows tell
    them apart (a log sorted by date may start with days 1 to 12 only). Day-first and
    month-first still equal at the end is ambiguous and refused rather than guessed."""

    def __init__(self, date_format: str | None, today):
        self.given = date_format
        self.candidates = [date_format] if date_format else list(DATE_FORMATS)
        self.counts = dict.fromkeys(self.candidates, 0)
        self.parts: dict[str, list[np.ndarray]] = {f: [] for f in self.candidates}
        self.problems = {f: _Problems() for f in self.candidates}
        self.example, self.rows = None, 0
        self.latest = _today(today)
        self.after = np.datetime64(self.latest + datetime.timedelta(days=1), "ns")

    def add(self, values: pd.Series, lines: np.ndarray, empty: np.ndarray) -> None:
        text = values.to_numpy()
        present = ~empty
        if self.example is None and present.any():
            self.example = text[present][0]
        for fmt in self.candidates:
            dates = _read_dates(values, fmt).to_numpy()
            missing = np.isnat(dates)
            self.counts[fmt] += int((~missing & present).sum())
            self.problems[fmt].add(
                np.flatnonzero(missing | (dates >= self.after)),
                functools.partial(self._problem, fmt, text, lines, dates),
            )
            self.parts[fmt].append(dates)
        self.rows += len(lines)
        best = max(self.counts[f] for f in self.candidates)
        # a format further behind than the rest of the sample can make up is out; after the
        # sample, every format behind the best
        behind = best - max(DATE_SAMPLE_ROWS - self.rows, 0)
        if best > 0 and len(self.candidates) > 1:
            for fmt in [f for f in self.candidates if self.counts[f] < behind]:
                self.candidates.remove(fmt)
                del self.parts[fmt], self.problems[fmt]

    def _problem(self, fmt: str, text: np.ndarray, lines: np.ndarray, dates: np.ndarray, k: int) -> tuple:
        value, where = text[k], {"line": lines[k], "column": "date"}
        if value == "":
            return lines[k], 2, N_("data.blank"), where
        if not np.isnat(dates[k]):
            return (
                lines[k],
                2,
                N_("data.input.dates.future"),
                {**where, "value": _shown(value), "today": self.latest.isoformat()},
            )
        if _is_a_date(value, fmt):
            return (
                lines[k],
                2,
                N_("data.input.dates.out_of_range"),
                {
                    **where,
                    "value": _shown(value),
                    "earliest": EARLIEST.date().isoformat(),
                    "today": self.latest.isoformat(),
                },
            )
        return lines[k], 2, N_("data.not_a_date"), {**where, "value": _shown(value)}

    def chosen(self, name: str) -> tuple[str, str | None]:
        """The format used (first of the best), and what is allowed, for messages; refuses an
        ambiguous file."""
        fmt = max(self.candidates, key=lambda f: self.counts[f])  # ties: the first in DATE_FORMATS
        pair = ("%d/%m/%Y", "%m/%d/%Y")
        if (
            not self.given
            and fmt in pair
            and set(pair) <= set(self.candidates)
            and self.counts[pair[0]] == self.counts[pair[1]]
        ):
            raise TransactionFileError(t("data.ambiguous_dates", source=name, example=self.example))
        used = fmt if self.given or self.counts[fmt] > 0 else None
        allowed = (
            t("data.allowed_date_format", format=used)
            if used and used != "ISO8601"
            else t("data.allowed_date_any")
        )
        return fmt, allowed

    def column(self, fmt: str) -> np.ndarray:
        parts = self.parts.pop(fmt)
        self.parts.clear()
        return np.concatenate(parts) if parts else np.empty(0, dtype="datetime64[ns]")


def _number_problems(
    column: str, raw: pd.Series, values: np.ndarray, empty: np.ndarray, lines: np.ndarray, problems: _Problems
) -> None:
    text = raw.to_numpy()
    bad = ~np.isfinite(values) | (values < 0)
    if column == "quantity":
        bad &= ~empty  # an unknown quantity is allowed

    def describe(k):
        value = text[k]
        if value == "":
            key = N_("data.blank")
        elif np.isfinite(values[k]) and values[k] < 0:
            key = N_("data.negative")
        else:
            key = N_("data.not_a_number")
        return lines[k], _RANK[column], key, {"line": lines[k], "column": column, "value": _shown(value)}

    problems.add(np.flatnonzero(bad), describe)


def _progress_bar(progress: bool | None, size: int | None, name: str):
    """A bar in bytes for a big file: when asked for (``progress=True``, a widget in a notebook),
    or by default when the messages go to a terminal; never for a small file."""
    if progress is False or size is None or size < PROGRESS_BYTES:
        return None
    if progress is None and not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=size, unit="B", unit_scale=True, desc=Path(name).name, leave=False)


def load_transactions(
    path_or_buffer, *, date_format: str | None = None, today=None, progress: bool | None = None
) -> pd.DataFrame:
    """A validated transaction log, one row per purchase, in file order.

    ``path_or_buffer``: a path, or an open file (text or bytes), holding a CSV with a header line.
    Columns are found by name, ignoring case: customer id (customer_id, cust_id, customer, id, ...),
    date (date, order_date, purchase_date, ...), amount (amount, value, revenue, sales,
    dollar_value, ...) and, optionally, quantity (quantity, qty, units, ...); other columns are
    ignored. Commas, semicolons, tabs or bars separate the fields; ``.gz`` files are opened.
    ``date_format``: a ``strftime`` format such as ``"%d/%m/%Y"``; without it one format is
    inferred for the whole file (ISO ``2024-01-31`` works everywhere). Times with a UTC offset
    (``2024-07-15T10:00:00+02:00``, ``...Z``) are converted to UTC. ``today``: the last day a
    purchase may be on (a date or ``"2024-03-01"``; default: today): a date after it is refused,
    and so is one beyond what a timestamp holds (before 1677-09-22, after 2262-04-11).
    ``progress``: a progress bar for a file of PROGRESS_BYTES or more — ``True``: shown (a widget
    in a notebook), ``None`` (default): shown on a terminal only, ``False``: never.

    The file is read and checked a chunk at a time, so a big file takes little more memory than
    the columns returned (about 32 bytes a row, plus each customer id once).

    Returns columns ``customer_id`` (str, leading zeros kept), ``date`` (datetime64), ``amount``
    (float >= 0) and ``quantity`` (float, NaN where absent). Raises
    :class:`TransactionFileError` naming the first problems — line in the file (the header is
    line 1), column, value, what is allowed — and how many there are in all. Returns (negative
    amounts) are refused: a returned purchase is not a purchase occasion.
    """
    with contextlib.ExitStack() as stack:
        opened: list = []
        stack.callback(lambda: [f.close() for f in reversed(opened)])
        name, size, counted, blocks = _open(path_or_buffer, opened)
        pieces = _whole_lines(blocks, name)
        text, _ = next(pieces, ("", 1))
        header, delimiter, text, line = _header(text, name)
        where = _columns(header, name)
        bar = _progress_bar(progress, size, name)
        if bar is not None:
            stack.callback(bar.close)
        return _check(
            itertools.chain([(text, line)], pieces),
            len(header),
            delimiter,
            where,
            name,
            date_format,
            today,
            bar,
            counted,
        )


def _check(pieces, width, delimiter, where, name, date_format, today, bar, counted) -> pd.DataFrame:
    """Read and check the records a piece of text at a time; the compact columns, or every problem."""
    problems = _Problems()
    dates = _Dates(date_format, today)
    ids: dict[str, int] = {}  # each customer id once, with its number (numbers may skip some)
    numbered = 0  # numbers handed out so far
    codes, numbers = [], {c: [] for c in ("amount", "quantity") if c in where}
    rows_read = 0
    for text, first in pieces:
        if not text:
            continue
        piece = _read_fast(text, first, delimiter, width, where) or _read_csv(
            text, first, delimiter, width, where, name
        )
        del text
        wrong, lines = piece.wrong, piece.lines
        problems.add(
            np.arange(len(wrong)),
            lambda k, wrong=wrong: (
                wrong[k][0],
                0,
                N_("data.bad_width"),
                {"line": wrong[k][0], "found": wrong[k][1], "expected": width},
            ),
        )
        if bar is not None and counted is not None:
            bar.update(counted.count - bar.n)
        if not len(lines):
            continue
        rows_read += len(lines)
        problems.add(
            np.flatnonzero(piece.is_empty("customer_id")),
            lambda k: (lines[k], 1, N_("data.blank"), {"line": lines[k], "column": "customer_id"}),  # noqa: B023 - called at once
        )
        local, uniques = pd.factorize(piece.cells.pop("customer_id"))
        # a new id takes the number offered to it; a known one keeps its own (C speed, no loop here)
        known = np.fromiter(
            map(ids.setdefault, uniques, itertools.count(numbered)), dtype=np.int64, count=len(uniques)
        )
        numbered += len(uniques)
        codes.append(known[local].astype(np.int32 if numbered < 2**31 else np.int64))
        empty = piece.is_empty("date")
        dates.add(piece.cells.pop("date"), lines, empty)
        for column in numbers:
            if column in piece.numbers:
                numbers[column].append(piece.numbers[column])
                continue
            empty = piece.is_empty(column)
            raw = piece.cells.pop(column)
            values = pd.to_numeric(raw.where(~empty, None), errors="coerce").to_numpy(dtype=float)
            _number_problems(column, raw, values, empty, lines, problems)
            numbers[column].append(values)
        del piece, local, uniques, known
    if rows_read == 0 and problems.count == 0:
        raise TransactionFileError(t("data.no_rows", source=name))
    fmt, allowed_date = dates.chosen(name)
    total = problems.count + dates.problems[fmt].count
    if total:
        problems.merge(dates.problems[fmt].first)
        allowed = {
            1: t("data.allowed_id"),
            2: allowed_date,
            3: t(EXPECTED["amount"]),
            4: t(EXPECTED["quantity"]),
        }
        texts = [
            tn(key, values["found"], **values)
            if rank == 0
            else t(key, **{"allowed": allowed[rank], **values})
            for _, rank, key, values in problems.first
        ]
        raise TransactionFileError(
            tn("data.problems", total, source=name, count=total, shown="\n  ".join(texts))
        )
    index = np.empty(numbered, dtype=object)
    index[np.fromiter(ids.values(), dtype=np.int64, count=len(ids))] = list(ids)
    del ids
    out = {"customer_id": index[np.concatenate(codes)] if codes else np.empty(0, dtype=object)}
    del codes, index
    out["date"] = dates.column(fmt)
    for column in ("amount", "quantity"):
        parts = numbers.pop(column, None)
        out[column] = np.concatenate(parts) if parts else np.full(len(out["date"]), np.nan)
    # Series of a given dtype, taken as they are: no inference over the ids, no second copy
    return pd.DataFrame({c: pd.Series(v, dtype=v.dtype, copy=False) for c, v in out.items()}, copy=False)


def load_cdnow(*, sample: bool = False) -> pd.DataFrame:
    """The CDNOW log shipped in ``datasets/cdnow``: every purchase, January 1997 to June 1998, of
    the 23,570 customers whose first purchase at CDNOW was in the first quarter of 1997 (69,659
    rows), in the columns of :func:`load_transactions` (amount in US dollars, quantity in CDs).

    ``sample=True``: only the 2,357 customers of Fader and Hardie's 1/10 systematic sample (6,919
    rows), on which the published BG/NBD parameters were estimated.
    """
    if not CDNOW.is_file():
        raise FileNotFoundError(t("data.no_cdnow", path=CDNOW))
    with gzip.open(CDNOW, "rt", encoding="ascii") as f:
        raw = pd.read_csv(f, sep=r"\s+", dtype={"customer_id": str, "date": str})
    if sample:
        ids = set(CDNOW_SAMPLE_IDS.read_text(encoding="ascii").split())
        raw = raw[raw.customer_id.isin(ids)].reset_index(drop=True)
    return pd.DataFrame(
        {
            "customer_id": raw.customer_id,
            "date": pd.to_datetime(raw.date, format="%Y%m%d"),
            "amount": raw.dollar_value.astype(float),
            "quantity": raw.number_of_cds.astype(float),
        }
    )


# --- summaries for calibration ------------------------------------------------------------------


def _purchase_days(tx: pd.DataFrame) -> pd.DataFrame:
    """One row per customer and purchase day, amounts added: a purchase occasion."""
    days = tx.assign(date=pd.to_datetime(tx.date).dt.normalize())
    return days.groupby(["customer_id", "date"], as_index=False, sort=True).amount.sum()


def customer_summary(tx: pd.DataFrame, calibration_end, observation_end=None, *, start=None) -> pd.DataFrame:
    """Each customer's purchase history as the firm sees it at ``calibration_end`` (inclusive): the
    RFM summary that buy-till-you-die models such as BG/NBD take as input, in weeks.

    One row per customer who bought by ``calibration_end`` (index ``customer_id``):

    * ``frequency`` — repeat purchases: distinct purchase days after the first, up to the end.
      The first purchase only tells when the customer was acquired; repeat buying is what a
      retention programme tries to keep going.
    * ``recency`` — weeks from the first to the last purchase (0 without repeat purchases). A
      frequent customer who has been silent for long is probably lost; the same silence from an
      occasional buyer means little.
    * ``T`` — weeks from the first purchase to ``calibration_end``: how long the firm has known
      the customer.
    * ``monetary`` — mean amount of the repeat purchase days (0 without repeat purchases); the
      first purchase is left out, as usual, because it often differs (a welcome offer, a trial).
    * ``first`` — date of the first purchase.

    ``observation_end``: also count what happened after the calibration, for checking a forecast:
    ``frequency_holdout`` (purchase days in (calibration_end, observation_end]) and
    ``duration_holdout`` (weeks in that period). ``start``: leave out customers whose first
    purchase is before it (to study one cohort).
    """
    end = pd.Timestamp(calibration_end)
    days = _purchase_days(tx)
    first_all = days.groupby("customer_id").date.min()
    if start is not None:
        days = days[days.customer_id.map(first_all) >= pd.Timestamp(start)]
    calibration = days[days.date <= end]
    g = calibration.groupby("customer_id")
    first, last, frequency = g.date.min(), g.date.max(), g.size() - 1
    repeat_spend = g.amount.sum() - g.amount.first()  # days are sorted: first() is the first day
    summary = pd.DataFrame(
        {
            "frequency": frequency.astype(int),
            "recency": (last - first).dt.days / 7.0,
            "T": (end - first).dt.days / 7.0,
            "monetary": (repeat_spend / frequency.where(frequency > 0)).fillna(0.0),
            "first": first,
        }
    )
    summary.index.name = "customer_id"
    if observation_end is not None:
        stop = pd.Timestamp(observation_end)
        if stop <= end:
            raise ValueError(t("data.summary_dates", calibration_end=end.date(), observation_end=stop.date()))
        later = days[(days.date > end) & (days.date <= stop)].groupby("customer_id").size()
        summary["frequency_holdout"] = later.reindex(summary.index, fill_value=0).astype(int)
        summary["duration_holdout"] = (stop - end).days / 7.0
    return summary


def weekly_repeat_purchases(tx: pd.DataFrame, start, weeks: int) -> pd.Series:
    """Repeat purchases per calendar week — distinct customer purchase days that are not the
    customer's first — for weeks 1..``weeks``, week 1 being the 7 days from ``start``.

    This is the curve of Fader and Hardie's tracking plot: a model calibrated on the first weeks
    must carry it on through the weeks after (the holdout), when no newcomers join the cohort.
    """
    days = _purchase_days(tx)
    first = days.groupby("customer_id").date.transform("min")
    repeat = days[days.date > first]
    week = (repeat.date - pd.Timestamp(start)).dt.days // 7 + 1
    counts = week[(week >= 1) & (week <= weeks)].value_counts().reindex(range(1, weeks + 1), fill_value=0)
    return counts.astype(int).rename("repeat_purchases").rename_axis("week")


def repeat_purchases_by_age(tx: pd.DataFrame, calibration_end) -> pd.DataFrame:
    """Repeat purchases by the customer's age: for each week k = 0, 1, ... after the first purchase
    (k = 0: days 1-7 after it), the repeat purchase days in it (``purchases``) and the customers
    whose history up to ``calibration_end`` covers the whole week (``customers``). Week by week
    it shows whether new customers buy again sooner than later in their life (a burst after the
    first purchase) without the calendar's mix of old and new customers."""
    end = pd.Timestamp(calibration_end)
    days = _purchase_days(tx)
    days = days[days.date <= end]
    first = days.groupby("customer_id").date.transform("min")
    after = (days.date - first).dt.days.to_numpy()
    known = (end - first).dt.days.to_numpy()  # days known after the customer's first purchase
    age = (after - 1) // 7
    covered = (after > 0) & (known >= 7 * (age + 1))  # repeat purchases in weeks seen whole
    weeks = int(known.max()) // 7
    purchases = np.bincount(age[covered], minlength=weeks)[:weeks]
    customers = np.bincount(known[after == 0] // 7, minlength=weeks + 1)[::-1].cumsum()[::-1][1 : weeks + 1]
    return pd.DataFrame(
        {"purchases": purchases, "customers": customers}, index=pd.RangeIndex(weeks, name="age_weeks")
    )
