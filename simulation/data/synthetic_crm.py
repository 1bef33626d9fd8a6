"""A synthetic CRM export made by the simulation: what a firm's database holds (customers,
purchases, complaints) and what it would wish it knew (why each lost customer really left).

Seed 000 (rule 3) asks for a customer database; seed 004 asks learners to analyse customer data.
Real exports never say why a customer left; this one does, so an exercise can check a learner's
reading of the data against the truth. It is rebuilt exactly, from the scenario and the seed, by

    python -m simulation.data.synthetic_crm            # writes datasets/synthetic_crm/
    python -m simulation.data.synthetic_crm --check    # compares the shipped files with a rebuild
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.config import load_preset
from simulation.policies import build_market

FOLDER = Path(__file__).resolve().parents[2] / "datasets" / "synthetic_crm"
START = pd.Timestamp("2024-01-01")  # the Monday of reported week 1
SEED, CUSTOMERS = 2024, 3000


def _date(week) -> pd.Series:
    return START + pd.to_timedelta((np.asarray(week) - 1) * 7, unit="D")


def build(seed: int = SEED, customers: int = CUSTOMERS) -> dict[str, pd.DataFrame]:
    """The focal firm's export after a baseline run: customers, purchases, complaints, lost."""
    scenario = load_preset("baseline").with_changes({"customers.count": customers})
    model = build_market(scenario, seed=seed, record=True).run()
    focal = model.focal

    def log(kind):
        parts = model.records[kind]
        frame = pd.DataFrame({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
        return frame[frame.firm == focal].drop(columns="firm")

    purchases = log("purchases")
    purchases = pd.DataFrame(
        {
            "customer_id": purchases.customer_id,
            "date": _date(purchases.week).strftime("%Y-%m-%d"),
            "amount": purchases.amount.round(2),
            "quantity": purchases.quantity.round(2),
        }
    )
    complaints = log("complaints")
    complaints = pd.DataFrame(
        {"customer_id": complaints.customer_id, "date": _date(complaints.week).strftime("%Y-%m-%d")}
    )
    rel = model.relationships()
    rel = rel[(rel.firm == scenario.firms[focal].name) & rel.ended & (rel.end_week >= 1)]
    lost = pd.DataFrame(
        {
            "customer_id": rel.customer_id,
            "left_on": _date(rel.end_week).strftime("%Y-%m-%d"),
            "true_motive": rel.motive,
            "second_lifetime": rel.lifetime == 2,
        }
    )
    bought = purchases.groupby("customer_id").agg(
        first_purchase=("date", "min"),
        last_purchase=("date", "max"),
        purchases=("date", "size"),
        spend=("amount", "sum"),
    )
    pop = model.pop
    traits = pd.DataFrame(
        {
            "customer_id": pop.customer_id,
            "persona": np.where(pop.rational, "rational", "emotional"),
            "deal_seeker": pop.deal_seeker,
        }
    ).set_index("customer_id")
    customers_ = bought.join(traits, how="left").reset_index()
    # customers who moved away are no longer in the market: their traits are unknown (empty)
    customers_["persona"] = customers_.persona.fillna("")
    customers_["deal_seeker"] = customers_.deal_seeker.map({True: "True", False: "False"}).fillna("")
    customers_["spend"] = customers_.spend.round(2)
    return {
        "customers": customers_.sort_values("customer_id"),
        "purchases": purchases.sort_values(["date", "customer_id"], kind="stable"),
        "complaints": complaints,
        "lost": lost.sort_values(["left_on", "customer_id"], kind="stable"),
    }


def write(folder: Path = FOLDER, **options) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in build(**options).items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulation.data.synthetic_crm", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--check", action="store_true", help="compare the shipped files with a rebuild")
    parser.add_argument("--out", type=Path, default=FOLDER)
    args = parser.parse_args(argv)
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            for path in write(Path(tmp)):
                shipped = FOLDER / path.name
                if not shipped.is_file() or shipped.read_bytes() != path.read_bytes():
                    print(
                        f"{shipped} differs from a rebuild: run python -m simulation.data.synthetic_crm",
                        file=sys.stderr,
                    )
                    return 1
        print("the shipped synthetic CRM export matches a rebuild")
        return 0
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
