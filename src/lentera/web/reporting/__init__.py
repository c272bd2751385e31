"""The web report builder: donor, government and custom reports from the organisation's
de-identified warehouse (:mod:`lentera.reports`), built by the background worker, stored,
versioned, listed, downloaded and audited."""
