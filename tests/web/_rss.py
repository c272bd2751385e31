"""A complete set of Reintegration Sustainability Survey answers, for the tests that score one."""

from __future__ import annotations

FULL: dict[str, str] = {
    "economic.economic_satisfaction": "satisfied",
    "economic.food_insecurity": "rarely",
    "economic.can_borrow": "yes",
    "economic.debt_burden": "no_debt",
    "economic.work": "regular",
    "social.housing": "good",
    "social.children_schooling": "all",
    "social.health_care": "good",
    "social.identity_documents": "yes",
    "social.justice_access": "fair",
    "psychosocial.social_participation": "often",
    "psychosocial.support_network": "good",
    "psychosocial.physical_safety": "safe",
    "psychosocial.discrimination": "never",
    "psychosocial.distress": "rarely",
}
