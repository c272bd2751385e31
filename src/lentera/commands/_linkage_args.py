"""Options shared by the verbs that match encodings (``link match``, ``hub unique``)."""

from __future__ import annotations

import argparse


def add_match_threshold(parser: argparse.ArgumentParser, *, chosen_for: str, dice: float) -> None:
    """``--threshold`` (default None): for ``lentera-clk/2`` encodings a match probability,
    else chosen for ``chosen_for`` (the help says which); for ``lentera-clk/1`` a Dice
    similarity, else ``dice`` (the verb applies it; the help shows it)."""
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help=f"lentera-clk/2: match probability (default: chosen for {chosen_for}); "
        f"lentera-clk/1: Dice (default {dice})",
    )
