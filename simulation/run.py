"""One run of one scenario, with its tidy outputs (placeholder until metrics are wired)."""
