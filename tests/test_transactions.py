"""Transaction files: a good file loads whole, every kind of bad row is named (line in the file,
column, value, what is allowed), nothing is silently dropped; the shipped CDNOW log; the RFM
summary and the weekly repeat purchases computed by hand on a tiny log."""

from __future__ import annotations

import gzip
import io

import numpy as np
import pandas as pd
import pytest

from simulation.data import (
    TransactionFileError,
    customer_summary,
    load_cdnow,
    load_transactions,
    weekly_repeat_purchases,
)

HEADER = "customer_id,date,amount\n"


def csv(text: str) -> io.StringIO:
    return io.StringIO(text)


def problems(text: str, **options) -> str:
    with pytest.raises(TransactionFileError) as error:
        load_transactions(csv(text), **options)
    return str(error.value)


def test_a_good_file_loads_every_row_with_aliases_and_optional_quantity():
    tx = load_transactions(
        csv(
            "Cust_ID,Order Date,Revenue,Qty,Channel\n007,2024-01-01,10.5,1,web\nb,2024-01-03,3,,shop\n007,2024-02-01,0,2,web\n"
        )
    )
    assert list(tx.columns) == ["customer_id", "date", "amount", "quantity"]
    assert tx.customer_id.tolist() == ["007", "b", "007"]  # ids are text: leading zeros kept
    assert tx.amount.tolist() == [10.5, 3.0, 0.0] and tx.amount.dtype == float
    assert np.isnan(tx.quantity.iloc[1]) and tx.date.iloc[2] == pd.Timestamp("2024-02-01")
    assert tx.date.dtype.kind == "M"


def test_without_quantity_the_column_is_empty_and_customer_id_beats_id():
    tx = load_transactions(csv("id,customer_id,date,amount\n1,x,2024-01-01,5\n"))
    assert tx.quantity.isna().all() and tx.customer_id.tolist() == ["x"]


@pytest.mark.parametrize(
    "text, options, dates",
    [
        ("customer;date;amount\na;31.01.2024;3\n", {}, ["2024-01-31"]),  # a European Excel export
        ("customer\tdate\tamount\na\t2024/01/31\t3\n", {}, ["2024-01-31"]),
        (
            HEADER + "a,01/31/2024,3\na,02/01/2024,4\n",
            {},
            ["2024-01-31", "2024-02-01"],
        ),  # only month first fits
        (HEADER + "a,01/02/2024,3\n", {"date_format": "%d/%m/%Y"}, ["2024-02-01"]),
        (HEADER + "a,19970101,3\n", {}, ["1997-01-01"]),
        (HEADER + "a,2024-01-31 17:05:00,3\n", {}, ["2024-01-31 17:05"]),
    ],
)
def test_separators_and_date_formats(text, options, dates):
    tx = load_transactions(csv(text), **options)
    assert tx.date.tolist() == [pd.Timestamp(d) for d in dates]


@pytest.mark.parametrize(
    "row, expected",
    [
        ("x,2024-01-01,12;5x", 'line 3, column "amount": "12;5x" is not a number (expected a number >= 0'),
        ('x,2024-01-01,"12,5"', 'line 3, column "amount": "12,5" is not a number'),
        ("x,2024-01-01,$12", 'line 3, column "amount": "$12" is not a number'),
        ("x,2024-01-01,inf", 'line 3, column "amount": "inf" is not a number'),
        ("x,2024-01-01,-3", 'line 3, column "amount": "-3" is negative; returns are not supported'),
        ("x,2024-01-01,", 'line 3, column "amount": the value is empty'),
        ("x,yesterday,3", 'line 3, column "date": "yesterday" is not a date (expected a date'),
        ("x,2024-02-30,3", 'line 3, column "date": "2024-02-30" is not a date'),
        (",2024-01-01,3", 'line 3, column "customer_id": the value is empty (expected a customer id'),
        ("x,2024-01-01", "line 3, 2 fields: expected 3"),
    ],
)
def test_each_bad_row_is_named_by_line_column_and_value(row, expected):
    message = problems(f"{HEADER}ok,2024-01-01,1\n{row}\n")
    assert expected in message and "1 problem, nothing was loaded" in message


def test_a_bad_quantity_and_the_line_numbers_of_the_file():
    message = problems("customer_id,date,amount,qty\na,2024-01-01,1,1\n\nb,2024-01-02,2,two\n")
    assert 'line 4, column "quantity": "two" is not a number' in message  # the blank line 3 counts
    message = problems(HEADER + 'a,2024-01-01,1\n"multi\nline",2024-01-01,x\n')
    assert 'line 4, column "amount"' in message  # a quoted field over two lines: the line it ends on


def test_all_problems_are_counted_and_the_first_ten_shown_in_file_order():
    rows = "".join(f"c{i},2024-01-01,bad\n" for i in range(24)) + "c,never,1\n"
    message = problems(HEADER + rows)
    assert "25 problems, nothing was loaded" in message and message.count("\n  line ") == 10
    assert message.index("line 2,") < message.index("line 3,") < message.index("line 11,")


def test_missing_columns_name_what_was_found_and_what_is_allowed():
    message = problems("customer_id,when\n1,2024-01-01\n")
    assert "the columns date, amount are missing; found: customer_id, when" in message
    assert "amount: amount, value, revenue" in message


def test_empty_unreadable_and_non_csv_files_are_explained(tmp_path):
    assert "the file is empty" in problems("")
    assert "the file is empty" in problems("\n\n")
    assert "no purchases follow" in problems(HEADER)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("customer_id,date,amount\nJos\xe9,2024-01-01,3\n".encode("latin-1"))
    with pytest.raises(TransactionFileError, match="line 2 is not UTF-8"):
        load_transactions(latin)
    workbook = tmp_path / "export.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(TransactionFileError, match="Excel workbook.*not a CSV text file"):
        load_transactions(workbook)
    with pytest.raises(TransactionFileError, match="not a CSV text file"):
        load_transactions(io.BytesIO(b"\x00\x01\x02binary"))
    with pytest.raises(TransactionFileError, match="does not exist"):
        load_transactions(tmp_path / "nope.csv")
    assert 'date_format="%d/%m/%Y"' in problems(HEADER + "a,01/02/2024,3\n")  # day or month first?


def test_gzip_utf8_bom_and_utf16_files_load(tmp_path):
    text = HEADER + "Zoë,2024-01-01,3\n"
    (tmp_path / "a.csv.gz").write_bytes(gzip.compress(text.encode()))
    (tmp_path / "b.csv").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "c.csv").write_bytes(text.encode("utf-16"))
    for name in ("a.csv.gz", "b.csv", "c.csv"):
        assert load_transactions(tmp_path / name).customer_id.tolist() == ["Zoë"]


def test_nothing_is_dropped_blank_lines_aside():
    lines = [f"c{i % 7},2024-01-{1 + i % 28:02d},{i}" for i in range(200)]
    text = HEADER + "\n".join(lines[:100]) + "\n\n" + "\n".join(lines[100:]) + "\n"
    tx = load_transactions(csv(text))
    assert len(tx) == sum(1 for line in text.splitlines()[1:] if line.strip()) == 200
    assert tx.amount.tolist() == list(map(float, range(200)))  # in file order


def test_the_shipped_cdnow_log():
    tx = load_cdnow()
    assert len(tx) == 69_659 and tx.customer_id.nunique() == 23_570
    assert tx.date.min() == pd.Timestamp("1997-01-01") and tx.date.max() == pd.Timestamp("1998-06-30")
    assert tx.groupby("customer_id").date.min().max() == pd.Timestamp("1997-03-25")  # a Q1-1997 cohort
    assert (tx.amount >= 0).all() and (tx.quantity >= 1).all()
    sample = load_cdnow(sample=True)
    assert len(sample) == 6_919 and sample.customer_id.nunique() == 2_357


def test_customer_summary_by_hand():
    tx = load_transactions(
        csv(
            HEADER + "a,2024-01-01,10\na,2024-01-01,5\na,2024-01-15,20\na,2024-01-29,40\nb,2024-01-08,7\n"
            "a,2024-03-04,99\nb,2024-02-12,1\nc,2024-02-19,8\n"
        )
    )
    s = customer_summary(tx, "2024-02-05", observation_end="2024-03-04")
    assert sorted(s.index) == ["a", "b"]  # c arrives after the calibration
    # a: first day 01-01 (10 + 5: one occasion), repeats 01-15 and 01-29
    assert s.loc["a", "frequency"] == 2 and s.loc["a", "recency"] == pytest.approx(4.0)
    assert s.loc["a", "T"] == pytest.approx(5.0) and s.loc["a", "monetary"] == pytest.approx(30.0)
    assert s.loc["a", "first"] == pd.Timestamp("2024-01-01")
    assert (
        s.loc["b", "frequency"] == 0 and s.loc["b", "recency"] == 0 and s.loc["b", "T"] == pytest.approx(4.0)
    )
    assert s.loc["b", "monetary"] == 0
    assert s.frequency_holdout.to_dict() == {"a": 1, "b": 1} and s.duration_holdout.iloc[0] == pytest.approx(
        4.0
    )
    with pytest.raises(ValueError, match="must come before"):
        customer_summary(tx, "2024-02-05", observation_end="2024-01-01")
    weekly = weekly_repeat_purchases(tx, "2024-01-01", 10)
    # repeats: a on 01-15 (week 3), 01-29 (week 5), 03-04 (week 10); b on 02-12 (week 7)
    assert weekly.to_dict() == {w: int(w in (3, 5, 7, 10)) for w in range(1, 11)}


def test_the_data_card_states_the_files_checksums():
    import hashlib
    import re

    from simulation.data.transactions import CDNOW, CDNOW_SAMPLE_IDS

    card = (CDNOW.parent / "README.md").read_text(encoding="utf-8")
    for path in (CDNOW, CDNOW_SAMPLE_IDS):
        row = next(line for line in card.splitlines() if f"`{path.name}`" in line and "|" in line)
        assert re.search(r"`([0-9a-f]{64})`", row).group(1) == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "first, second",
    [
        ("2024-01-15T10:00:00+01:00", "2024-07-15T10:00:00+02:00"),  # winter and summer time
        ("2024-01-15T09:00:00Z", "2024-07-15T10:00:00+02:00"),
        ("2024-01-15 10:00:00+01:00", "2024-07-15 08:00:00"),
    ],  # an offset and a plain time (read as UTC)
)
def test_mixed_utc_offsets_are_converted_to_utc(first, second):
    tx = load_transactions(csv(f"{HEADER}1,{first},10\n2,{second},5\n"))
    assert tx.date.dtype == "datetime64[ns]" and tx.date.dt.tz is None
    assert tx.date.tolist() == [pd.Timestamp("2024-01-15 09:00"), pd.Timestamp("2024-07-15 08:00")]


def test_dates_after_today_are_refused_naming_line_column_and_value():
    text = HEADER + "a,2024-02-29,1\nb,2024-03-01T23:59:00,2\nc,2024-03-02,3\nd,2025-01-01,4\n"
    message = problems(text, today="2024-03-01")
    assert 'line 4, column "date": "2024-03-02" is after today (2024-03-01)' in message
    assert "2 problems, nothing was loaded" in message and 'line 5, column "date": "2025-01-01"' in message
    assert (
        len(load_transactions(csv(text.rsplit("c,", 1)[0]), today="2024-03-01")) == 2
    )  # today itself is fine
    tomorrow = (pd.Timestamp.now() + pd.Timedelta(days=2)).strftime("%Y-%m-%d")
    assert "is after today" in problems(f"{HEADER}a,{tomorrow},1\n")  # today is the real one by default


@pytest.mark.parametrize("value", ["2999-01-01", "2999-01-01T10:00:00+02:00", "1500-06-30"])
def test_a_date_beyond_the_calendar_is_out_of_range_not_not_a_date(value):
    message = problems(f"{HEADER}a,2024-01-01,1\nb,{value},1\n", today="2024-03-01")
    assert (
        f'line 3, column "date": "{value}" is out of range (expected a date from 1677-09-22 to 2024-03-01)'
        in message
    )
    assert "not a date" not in message


# --- big files: a piece at a time, little memory, a progress bar ----------------------------------


def write_log(path, rows: int, customers: int = 50_000, seed: int = 0) -> float:
    """A plain log of ``rows`` purchases (about 26 bytes a row); returns the total amount."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, customers, rows).tolist()
    days = (
        (np.datetime64("2022-01-01") + rng.integers(0, 730, rows).astype("timedelta64[D]"))
        .astype(str)
        .tolist()
    )
    cents = rng.integers(100, 20_000, rows)
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER)
        f.writelines(f"C{i:06d},{d},{c // 100}.{c % 100:02d}\n" for i, d, c in zip(ids, days, cents.tolist()))
    return float(cents.sum()) / 100


def test_a_big_file_loads_in_little_more_memory_than_its_size(tmp_path):
    import tracemalloc

    path = tmp_path / "big.csv"
    total = write_log(path, 850_000)
    size = path.stat().st_size  # about 22 MB
    tracemalloc.start()
    try:
        tx = load_transactions(path, progress=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (
        len(tx) == 850_000
        and tx.customer_id.iloc[0].startswith("C")
        and tx.amount.sum() == pytest.approx(total)
    )
    assert tx.date.dtype == "datetime64[ns]" and tx.date.min() >= pd.Timestamp("2022-01-01")
    # the columns returned take about 1.2 times the file (32 bytes a row); reading the whole file
    # as text and rows, as before, took about 25 times
    assert peak < 2.5 * size, f"peak {peak / 1e6:.0f} MB for a {size / 1e6:.0f} MB file"


def test_line_numbers_and_the_date_format_survive_reading_in_pieces(monkeypatch):
    from simulation.data import transactions

    monkeypatch.setattr(transactions, "BLOCK_BYTES", 50)  # pieces of a line or two
    monkeypatch.setattr(transactions, "DATE_SAMPLE_ROWS", 3)
    rows = [f"c{i},{1 + i % 12:02d}/03/2024,{i}" for i in range(40)]  # days 1-12 only: either way round
    rows[20] = 'c20,"10/03/2024",1'  # a quoted field, read by the csv module
    rows[25] = '"multi\nline",11/03/2024,2'  # a record over two lines
    text = HEADER + "\n".join(rows[:30]) + "\n\n" + "\n".join(rows[30:]) + "\n"
    assert "day first or month first" in problems(text)
    later = text + "c40,13/03/2024,-4\nc41,,x\n"  # 13 March tells: day first
    message = problems(later)
    assert "3 problems" in message  # header, 40 records, one over two lines, a blank line: line 44
    assert 'line 44, column "amount": "-4" is negative' in message
    assert 'line 45, column "date": the value is empty (expected a date in the format %d/%m/%Y' in message
    assert 'line 45, column "amount": "x" is not a number' in message
    tx = load_transactions(csv(later.rsplit("c40", 1)[0] + "c40,13/03/2024,4\n"))
    assert (
        len(tx) == 41
        and tx.date.iloc[-1] == pd.Timestamp("2024-03-13")
        and tx.customer_id.iloc[25] == "multi\nline"
    )


def test_a_progress_bar_only_for_a_big_file_and_only_when_asked_or_on_a_terminal(
    tmp_path, monkeypatch, capsys
):
    from simulation.data import transactions

    path = tmp_path / "log.csv"
    write_log(path, 2_000)
    load_transactions(path, progress=True)
    assert capsys.readouterr().err == ""  # below PROGRESS_BYTES: no bar even when asked
    monkeypatch.setattr(transactions, "PROGRESS_BYTES", 1_000)
    load_transactions(path)
    assert capsys.readouterr().err == ""  # not a terminal (a notebook, a pipe, a log file)
    load_transactions(path, progress=True)
    assert "log.csv" in capsys.readouterr().err
    monkeypatch.setattr(
        transactions.sys, "stderr", type("Terminal", (io.StringIO,), {"isatty": lambda self: True})()
    )
    load_transactions(path)
    assert "log.csv" in transactions.sys.stderr.getvalue()
    load_transactions(path, progress=False)
