"""What discounting does to a brand (step 2, after prices are set).

Seed 000: price promotion raises volume in the short run, but a price war hurts the brand's
quality perception, the internal reference price and the image. Each week a firm sells below
its regular price its brand strength erodes in proportion to the depth of the cut
(``pricing.brand_erosion`` per 10% off); at the regular price it slowly recovers, up to the
firm's own level. The reference-price side of the harm is in ``choice`` and ``model``: prices
paid pull reference prices down, so the regular price later feels like a loss.
"""

from __future__ import annotations

import numpy as np


def erode(model) -> None:
    p = model.settings.pricing
    with np.errstate(over="ignore"):  # a tiny regular price (allowed by the schema) is no discount
        depth = np.clip(1.0 - model.prices / model.regular_prices, 0.0, 1.0)
    cutting = depth > 0
    eroded = model.brand - p.brand_erosion * depth / 0.1
    recovered = np.minimum(model.brand + p.brand_recovery, model.base_brand)
    model.brand = np.clip(np.where(cutting, eroded, recovered), 0.0, 1.0)
