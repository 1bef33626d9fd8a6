"""The synthetic CRM export shipped in datasets/ is exactly what its command rebuilds, and it
loads as a transaction file."""

from __future__ import annotations

from simulation.data import load_transactions
from simulation.data.synthetic_crm import FOLDER, main, write


def test_the_shipped_files_match_a_rebuild(tmp_path):
    for path in write(tmp_path):
        assert (FOLDER / path.name).read_bytes() == path.read_bytes(), path.name
    assert main(["--check"]) == 0


def test_the_export_is_a_valid_transaction_file_and_names_true_motives():
    import pandas as pd

    tx = load_transactions(FOLDER / "purchases.csv")
    assert len(tx) > 10_000 and (tx.amount > 0).all()
    lost = pd.read_csv(FOLDER / "lost.csv")
    assert set(lost.true_motive) <= {
        "natural_moved",
        "natural_drifted",
        "complaint",
        "competitor",
        "repositioned",
    }
    shares = lost.true_motive.value_counts(normalize=True)
    assert (
        len(lost) > 300 and 0.5 < shares["natural_moved"] + shares["natural_drifted"] < 0.85
    )  # Griffin: 68% natural
