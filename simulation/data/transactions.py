"""Transaction logs: who bought, when, for how much — the firm's customer database (000, rule 3:
"keep a customer database with the category, time and product of each purchase"; 004: collect
customer data as a habit and learn to analyse it).

``load_transactions`` reads a user's CSV (customer id, date, amount; optional quantity) and
checks every row: a bad row gets a message naming its line, the column, the value and what is
allowed, and nothing is silently dropped — the file loads completely or not at all.
``load_cdnow`` reads the CDNOW log shipped in ``datasets/cdnow`` (Fader, Hardie & Lee 2005).
``customer_summary`` turns a log into each customer's frequency, recency and age in weeks (the
RFM view, and the input of buy-till-you-die models such as BG/NBD).
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.messages import t

COLUMNS = ("customer_id", "date", "amount", "quantity")
REQUIRED = ("customer_id", "date", "amount")
ALIASES = {
    "customer_id": ("customer_id", "customer", "customer id", "id", "cust_id", "client_id"),
    "date": ("date", "order_date", "purchase_date", "day", "transaction_date"),
    "amount": ("amount", "value", "revenue", "sales", "dollar_value", "spend", "total"),
    "quantity": ("quantity", "qty", "units", "number_of_cds", "items"),
}
MAX_SHOWN = 10
CDNOW = Path(__file__).resolve().parents[2] / "datasets" / "cdnow" / "CDNOW_master.txt.gz"


class TransactionFileError(ValueError):
    """A transaction file that cannot be loaded as it is; the message says where and why."""


def _columns(header: list[str], source: str) -> dict[str, int]:
    """Position of each known column in the header (case and spaces ignored)."""
    names = [h.strip().lower().replace("-", "_") for h in header]
    found = {}
    for column, aliases in ALIASES.items():
        for i, name in enumerate(names):
            if name in aliases or name.replace("_", " ") in aliases:
                found.setdefault(column, i)
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise TransactionFileError(t("data.missing_columns", source=source, missing=", ".join(missing), found=", ".join(h.strip() for h in header) or "-", allowed="; ".join(f"{c}: {', '.join(ALIASES[c])}" for c in REQUIRED)))
    return found


def _read_text(source) -> tuple[str, str]:
    if hasattr(source, "read"):
        data = source.read()
        name = getattr(source, "name", "the file")
    else:
        path = Path(source)
        if not path.is_file():
            raise TransactionFileError(t("data.missing_file", source=str(path)))
        data, name = path.read_bytes(), str(path)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise TransactionFileError(t("data.encoding", source=name, line=line)) from None
    return data, name


def load_transactions(source, *, date_format: str | None = None) -> pd.DataFrame:
    """A validated transaction log: customer_id (str), date, amount (float >= 0), quantity (float
    or NaN). ``source``: a path or an open file. Raises :class:`TransactionFileError` naming the
    first problems (line, column, value, what is allowed) and how many there are in all."""
    text, name = _read_text(source)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise TransactionFileError(t("data.empty", source=name))
    where = _columns(rows[0], name)
    width = len(rows[0])
    lines, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line holds no purchase
        if len(row) != width:
            problems.append(t("data.bad_width", line=number, found=len(row), expected=width))
            continue
        lines.append((number, row))
    if not lines and not problems:
        raise TransactionFileError(t("data.no_rows", source=name))
    numbers = np.array([n for n, _ in lines])
    frame = pd.DataFrame({c: [row[i].strip() for _, row in lines] for c, i in where.items()})
    ids = frame.customer_id
    for k in np.flatnonzero(ids.eq("").to_numpy()):
        problems.append(t("data.bad_value", line=numbers[k], column="customer_id", value="", allowed=t("data.allowed_id")))
    dates = pd.to_datetime(frame.date, format=date_format, errors="coerce") if date_format else pd.to_datetime(frame.date, format="mixed", errors="coerce")
    for k in np.flatnonzero(dates.isna().to_numpy()):
        problems.append(t("data.bad_value", line=numbers[k], column="date", value=frame.date.iloc[k], allowed=t("data.allowed_date", format=date_format or "YYYY-MM-DD")))
    for column in ("amount", "quantity"):
        if column not in frame:
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        blank_quantity = frame[column].eq("") if column == "quantity" else pd.Series(False, index=frame.index)
        bad = (values.isna() & ~blank_quantity) | (values < 0) | np.isinf(values)
        for k in np.flatnonzero(bad.to_numpy()):
            problems.append(t("data.bad_value", line=numbers[k], column=column, value=frame[column].iloc[k], allowed=t(f"data.allowed_{column}")))
        frame[column] = values
    if problems:
        problems.sort(key=lambda p: int(p.split()[1].rstrip(",")))
        shown = "\n  ".join(problems[:MAX_SHOWN])
        raise TransactionFileError(t("data.problems", source=name, count=len(problems), shown=shown))
    out = pd.DataFrame({"customer_id": ids.astype(str), "date": dates, "amount": frame.amount.astype(float)})
    out["quantity"] = frame.quantity.astype(float) if "quantity" in frame else np.nan
    return out


def load_cdnow() -> pd.DataFrame:
    """The CDNOW transaction log shipped in ``datasets/cdnow`` (69,659 purchases, 23,570 customers,
    1997-01 to 1998-06), in the same columns as :func:`load_transactions`."""
    with gzip.open(CDNOW, "rt") as f:
        raw = pd.read_csv(f, sep=r"\s+", dtype={"customer_id": str, "date": str})
    return pd.DataFrame({"customer_id": raw.customer_id, "date": pd.to_datetime(raw.date, format="%Y%m%d"), "amount": raw.dollar_value.astype(float), "quantity": raw.number_of_cds.astype(float)})


def customer_summary(tx: pd.DataFrame, calibration_end, start=None) -> pd.DataFrame:
    """Each customer's history up to ``calibration_end`` in weeks (purchases on one day count once):
    ``frequency`` (repeat purchase days), ``recency`` (weeks from the first to the last purchase),
    ``T`` (weeks from the first purchase to the end), ``monetary`` (mean amount of the repeat
    purchase days), ``first`` (date of the first purchase). Customers whose first purchase is
    before ``start`` or after the end are left out."""
    end = pd.Timestamp(calibration_end)
    data = tx[tx.date <= end]
    if start is not None:
        first_all = data.groupby("customer_id").date.min()
        data = data[data.customer_id.map(first_all) >= pd.Timestamp(start)]
    days = data.groupby(["customer_id", "date"], as_index=False).amount.sum()
    g = days.groupby("customer_id")
    first, last, count = g.date.min(), g.date.max(), g.date.size()
    total = g.amount.sum()
    first_amount = days.sort_values("date").groupby("customer_id").amount.first()
    frequency = count - 1
    repeat_spend = total - first_amount
    return pd.DataFrame({
        "frequency": frequency,
        "recency": (last - first).dt.days / 7.0,
        "T": (end - first).dt.days / 7.0,
        "monetary": np.where(frequency > 0, repeat_spend / frequency.where(frequency > 0, 1), 0.0),
        "first": first,
    })


def weekly_repeat_purchases(tx: pd.DataFrame, start, weeks: int) -> pd.Series:
    """Repeat purchase days per week (a customer's first purchase day is not a repeat), week 1
    starting at ``start``: the series a customer-base model must track."""
    days = tx.groupby(["customer_id", "date"], as_index=False).size()
    first = days.groupby("customer_id").date.transform("min")
    repeat = days[days.date > first]
    week = ((repeat.date - pd.Timestamp(start)).dt.days // 7 + 1).astype(int)
    counts = week[(week >= 1) & (week <= weeks)].value_counts().reindex(range(1, weeks + 1), fill_value=0)
    return counts.rename("repeat_purchases").rename_axis("week")
