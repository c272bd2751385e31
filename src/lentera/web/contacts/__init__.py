"""The contact log: hotline calls, WhatsApp messages, walk-ins and referrals-in that may
never become a case, with the missing-person / unreachable-migrant flag."""
