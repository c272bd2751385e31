"""Prevention outreach: socialisation, pre-departure orientation, training and watch groups,
with attendance as aggregates only, and the "where to go next" map."""
