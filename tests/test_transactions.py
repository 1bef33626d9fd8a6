"""Transaction files: a good file loads whole, every kind of bad row is named (line, column, value,
what is allowed), nothing is silently dropped; the shipped CDNOW log; the RFM summary by hand."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from simulation.data import TransactionFileError, customer_summary, load_cdnow, load_transactions, weekly_repeat_purchases


def csv(text: str) -> io.StringIO:
    return io.StringIO(text)


def test_a_good_file_loads_every_row_with_aliases_and_optional_quantity():
    tx = load_transactions(csv("Cust_ID,Order_Date,Revenue,Qty\na,2024-01-01,10.5,1\nb,2024-01-03,3,\na,2024-02-01,7,2\n"))
    assert list(tx.columns) == ["customer_id", "date", "amount", "quantity"]
    assert len(tx) == 3 and tx.amount.tolist() == [10.5, 3.0, 7.0]
    assert np.isnan(tx.quantity.iloc[1]) and tx.date.iloc[2] == pd.Timestamp("2024-02-01")


def test_without_quantity_the_column_is_empty():
    tx = load_transactions(csv("customer,date,amount\n1,2024-01-01,5\n"))
    assert tx.quantity.isna().all() and tx.customer_id.tolist() == ["1"]


@pytest.mark.parametrize(
    "row, expected",
    [
        ("x,2024-01-01,12;5", 'line 3, column "amount": \'12;5\''),
        ("x,2024-01-01,-3", 'line 3, column "amount": \'-3\''),
        ("x,yesterday,3", 'line 3, column "date": \'yesterday\''),
        (",2024-01-01,3", 'line 3, column "customer_id"'),
        ("x,2024-01-01", "line 3, 2 fields: expected 3"),
    ],
)
def test_each_bad_row_is_named_by_line_column_and_value(row, expected):
    with pytest.raises(TransactionFileError) as error:
        load_transactions(csv(f"customer_id,date,amount\nok,2024-01-01,1\n{row}\n"))
    assert expected in str(error.value) and "nothing was loaded" in str(error.value)


def test_all_problems_are_counted_and_the_first_ten_shown():
    rows = "".join(f"c{i},2024-01-01,bad\n" for i in range(25))
    with pytest.raises(TransactionFileError) as error:
        load_transactions(csv("customer_id,date,amount\n" + rows))
    message = str(error.value)
    assert "25 problem(s)" in message and message.count("line ") == 10


def test_missing_columns_empty_files_and_bad_encoding_are_explained(tmp_path):
    with pytest.raises(TransactionFileError, match="columns amount are missing; found: customer_id, date"):
        load_transactions(csv("customer_id,date\n1,2024-01-01\n"))
    with pytest.raises(TransactionFileError, match="empty"):
        load_transactions(csv(""))
    with pytest.raises(TransactionFileError, match="no purchases"):
        load_transactions(csv("customer_id,date,amount\n"))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("customer_id,date,amount\nJos\xe9,2024-01-01,3\n".encode("latin-1"))
    with pytest.raises(TransactionFileError, match="line 2 is not UTF-8"):
        load_transactions(latin)
    with pytest.raises(TransactionFileError, match="does not exist"):
        load_transactions(tmp_path / "nope.csv")


def test_nothing_is_dropped_blank_lines_aside():
    text = "customer_id,date,amount\n" + "".join(f"c{i % 7},2024-01-{1 + i % 28:02d},{i}\n" for i in range(200)) + "\n"
    assert len(load_transactions(csv(text))) == 200


def test_the_shipped_cdnow_log():
    tx = load_cdnow()
    assert len(tx) == 69_659 and tx.customer_id.nunique() == 23_570
    assert tx.date.min() == pd.Timestamp("1997-01-01") and tx.date.max() == pd.Timestamp("1998-06-30")
    assert (tx.amount >= 0).all() and (tx.quantity >= 1).all()


def test_customer_summary_by_hand():
    tx = load_transactions(csv("customer_id,date,amount\na,2024-01-01,10\na,2024-01-01,5\na,2024-01-15,20\na,2024-01-29,40\nb,2024-01-08,7\na,2024-03-01,99\n"))
    s = customer_summary(tx, "2024-02-05")
    assert s.loc["a", "frequency"] == 2 and s.loc["a", "recency"] == pytest.approx(4.0)
    assert s.loc["a", "T"] == pytest.approx(5.0) and s.loc["a", "monetary"] == pytest.approx(30.0)
    assert s.loc["b", "frequency"] == 0 and s.loc["b", "T"] == pytest.approx(4.0)
    weekly = weekly_repeat_purchases(tx, "2024-01-01", 10)
    assert weekly.sum() == 3 and weekly.loc[3] == 1 and weekly.loc[5] == 1
