"""Transaction logs: who bought, when, for how much — the customer base as the firm sees it.

A firm never sees a customer's satisfaction, trust or intention to leave; it sees purchases in its
customer database ("keep a customer database with the category, time and product of each
purchase"). Everything a firm can say about its customers — who is active, who has gone quiet,
who is worth a win-back call — starts from this log.

* :func:`load_transactions` reads a user's CSV (customer id, date, amount; optional quantity) and
  checks every row. A bad row gets one message naming its line in the file, the column, the value
  and what is allowed; nothing is silently dropped: the file loads completely or not at all
  (:class:`TransactionFileError` lists the first 10 problems and how many there are).
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

import csv
import datetime
import gzip
import io
import os
import warnings
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
DATE_FORMATS = ("ISO8601", "%Y%m%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y",
                "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d.%m.%Y %H:%M")
DATASETS = Path(__file__).resolve().parents[2] / "datasets"
EARLIEST = pd.Timestamp.min.ceil("D")  # the first whole day a timestamp holds: 1677-09-22
#: A time of day followed by a UTC offset (Z, +02:00, -0500): the end of an ISO date with a zone.
_OFFSET = r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d\d(?::?\d\d)?)$"
CDNOW = DATASETS / "cdnow" / "CDNOW_master.txt.gz"
CDNOW_SAMPLE_IDS = DATASETS / "cdnow" / "CDNOW_sample_ids.txt"


class TransactionFileError(ValueError):
    """A transaction file that cannot be loaded as it is; the message says where and why."""


# --- reading the bytes ------------------------------------------------------------------------

_SIGNATURES = ((b"PK\x03\x04", N_("data.kind_zip")), (b"\xd0\xcf\x11\xe0", N_("data.kind_xls")), (b"%PDF", N_("data.kind_pdf")))
EXPECTED = {"amount": N_("data.expect_amount"), "quantity": N_("data.expect_quantity")}  # what a number column allows


def _read_text(source) -> tuple[str, str]:
    """The file's text and a name for it in messages; gzip is opened, UTF-8 (with or without BOM)
    and UTF-16 with BOM are decoded, anything else is refused with a reason."""
    if hasattr(source, "read"):
        data = source.read()
        name = str(getattr(source, "name", "the file"))
    else:
        path = Path(os.fspath(source))
        if not path.is_file():
            raise TransactionFileError(t("data.missing_file", source=str(path)))
        data, name = path.read_bytes(), str(path)
    if isinstance(data, str):
        return data.lstrip("\ufeff"), name
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise TransactionFileError(t("data.bad_csv", source=name, line=1, problem=str(error))) from None
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise TransactionFileError(t("data.not_csv", source=name, kind=t(kind)))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), name
    if b"\x00" in data[:4096]:
        raise TransactionFileError(t("data.not_csv", source=name, kind=t("data.kind_binary")))
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TransactionFileError(t("data.encoding", source=name, line=line)) from None


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
        raise TransactionFileError(t(
            "data.missing_columns", source=source, missing=", ".join(missing),
            found=", ".join(h.strip() for h in header) or "-",
            allowed="; ".join(f"{c}: {', '.join(ALIASES[c])}" for c in REQUIRED)))
    return found


def _records(text: str, name: str) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """Header, the data records with the file line each ends on, and width problems."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=lambda d: len(first_line.split(d)))  # ties: the comma
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header, records, problems = None, [], []
    try:
        for row in reader:
            if header is None:
                header = row
                continue
            if not any(cell.strip() for cell in row):
                continue  # a blank line holds no purchase
            if len(row) != len(header):
                problems.append((reader.line_num, tn("data.bad_width", len(row), line=reader.line_num, found=len(row), expected=len(header))))
                continue
            records.append((reader.line_num, row))
    except csv.Error as error:
        raise TransactionFileError(t("data.bad_csv", source=name, line=reader.line_num, problem=str(error))) from None
    if header is None or not any(cell.strip() for cell in header):
        raise TransactionFileError(t("data.empty", source=name))
    return header, records, problems


# --- checking the values ---------------------------------------------------------------------

def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def _parse_dates(values: pd.Series, date_format: str | None, name: str) -> tuple[pd.Series, str | None]:
    """Dates read with one format for the whole file: ``date_format`` if given, else the format of
    DATE_FORMATS that reads the most rows (day-first and month-first both reading every row is
    ambiguous and refused rather than guessed)."""
    def read(fmt):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # mixed UTC offsets: handled below
                out = pd.to_datetime(values, format=fmt, errors="coerce")
        except (ValueError, TypeError):
            out = None
        if out is not None and out.dtype.kind == "M" and getattr(out.dt, "tz", None) is None:
            return out  # no UTC offsets: the usual case
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
                    out[part] = parsed.dt.tz_convert(None) if utc else parsed
        return out

    if date_format:
        return read(date_format), date_format
    present = values.ne("")
    best, best_format, best_count = None, None, -1
    counts = {}
    for fmt in DATE_FORMATS:
        parsed = read(fmt)
        counts[fmt] = int(parsed[present].notna().sum())
        if counts[fmt] > best_count:
            best, best_format, best_count = parsed, fmt, counts[fmt]
    if best_format in ("%d/%m/%Y", "%m/%d/%Y") and counts["%d/%m/%Y"] == counts["%m/%d/%Y"]:
        raise TransactionFileError(t("data.ambiguous_dates", source=name, example=values[present].iloc[0]))
    return best, (best_format if best_count > 0 else None)


def _today(today) -> datetime.date:
    """The last day a purchase may be on: ``today`` if given, else today here or in UTC,
    whichever is later (a time converted to UTC may already be tomorrow's date there)."""
    if today is not None:
        return pd.Timestamp(today).date()
    return max(datetime.date.today(), datetime.datetime.now(datetime.timezone.utc).date())


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


def load_transactions(path_or_buffer, *, date_format: str | None = None, today=None) -> pd.DataFrame:
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

    Returns columns ``customer_id`` (str, leading zeros kept), ``date`` (datetime64), ``amount``
    (float >= 0) and ``quantity`` (float, NaN where absent). Raises
    :class:`TransactionFileError` naming the first problems — line in the file (the header is
    line 1), column, value, what is allowed — and how many there are in all. Returns (negative
    amounts) are refused: a returned purchase is not a purchase occasion.
    """
    text, name = _read_text(path_or_buffer)
    if not text.strip():
        raise TransactionFileError(t("data.empty", source=name))
    header, records, problems = _records(text, name)
    where = _columns(header, name)
    if not records and not problems:
        raise TransactionFileError(t("data.no_rows", source=name))
    lines = np.array([n for n, _ in records], dtype=int)
    frame = pd.DataFrame({c: [row[i].strip() for _, row in records] for c, i in where.items()}, dtype=object)

    for k in np.flatnonzero(frame.customer_id.eq("").to_numpy()):
        problems.append((lines[k], t("data.blank", line=lines[k], column="customer_id", allowed=t("data.allowed_id"))))

    dates, used = _parse_dates(frame.date, date_format, name)
    allowed_date = t("data.allowed_date_format", format=used) if used and used != "ISO8601" else t("data.allowed_date_any")
    latest = _today(today)
    for k in np.flatnonzero(dates.isna().to_numpy()):
        value = frame.date.iloc[k]
        if value == "":
            problems.append((lines[k], t("data.blank", line=lines[k], column="date", allowed=allowed_date)))
        elif _is_a_date(value, used or date_format):
            problems.append((lines[k], t("data.input.dates.out_of_range", line=lines[k], column="date", value=_shown(value),
                                         earliest=EARLIEST.date().isoformat(), today=latest.isoformat())))
        else:
            problems.append((lines[k], t("data.not_a_date", line=lines[k], column="date", value=_shown(value), allowed=allowed_date)))
    for k in np.flatnonzero((dates >= pd.Timestamp(latest) + pd.Timedelta(days=1)).to_numpy()):
        problems.append((lines[k], t("data.input.dates.future", line=lines[k], column="date", value=_shown(frame.date.iloc[k]), today=latest.isoformat())))

    numbers = {}
    for column in ("amount", "quantity"):
        if column not in frame:
            continue
        raw = frame[column]
        values = pd.to_numeric(raw.where(raw.ne(""), None), errors="coerce").astype(float)
        allowed = t(EXPECTED[column])
        for k in np.flatnonzero((values.isna() | ~np.isfinite(values) | (values < 0)).to_numpy()):
            value = raw.iloc[k]
            if value == "":
                if column == "quantity":
                    continue  # an unknown quantity is allowed
                key = N_("data.blank")
            elif np.isfinite(values.iloc[k]) and values.iloc[k] < 0:
                key = N_("data.negative")
            else:
                key = N_("data.not_a_number")
            problems.append((lines[k], t(key, line=lines[k], column=column, value=_shown(value), allowed=allowed)))
        numbers[column] = values

    if problems:
        problems.sort(key=lambda p: p[0])
        shown = "\n  ".join(text for _, text in problems[:MAX_SHOWN])
        raise TransactionFileError(tn("data.problems", len(problems), source=name, count=len(problems), shown=shown))
    out = pd.DataFrame({"customer_id": frame.customer_id.astype(str), "date": dates.astype("datetime64[ns]"), "amount": numbers["amount"]})
    out["quantity"] = numbers["quantity"] if "quantity" in numbers else np.nan
    return out.reset_index(drop=True)


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
    return pd.DataFrame({
        "customer_id": raw.customer_id,
        "date": pd.to_datetime(raw.date, format="%Y%m%d"),
        "amount": raw.dollar_value.astype(float),
        "quantity": raw.number_of_cds.astype(float),
    })


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
    summary = pd.DataFrame({
        "frequency": frequency.astype(int),
        "recency": (last - first).dt.days / 7.0,
        "T": (end - first).dt.days / 7.0,
        "monetary": (repeat_spend / frequency.where(frequency > 0)).fillna(0.0),
        "first": first,
    })
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
