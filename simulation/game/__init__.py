"""The classroom game: teams run rival firms in one simulated market, round by round."""
