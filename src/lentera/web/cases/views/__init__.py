"""Case pages, one module per topic; ``cases/urls.py`` maps the URLs to them.

Every view parses the request, calls one selector (a read) or one service (a write), and
renders; no ORM here (the CI lint forbids it in views). A ``LenteraError``
from a service goes back onto the form (:func:`lentera.web.core.forms.run_service`) or, for
``forbidden``/``not_found``, to the error middleware.
"""
