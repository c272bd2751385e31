"""Field intake and bulk import: the intake XLSForm, and checking KoboToolbox/ODK
exports, HTCDS-layout spreadsheets and the Lentera template before they reach the
case store.

Pure Python (no Django): the caller passes the vocabulary of allowed codes
(code → labels in id and en) and writes the resulting records through its own
services. The follow-up survey form (Reintegration Sustainability Survey)
reads back into ``lentera.rss-visit/1`` documents. Problems are codes with
params, put into words in Bahasa Indonesia or English from ``data/messages.yaml``.
"""

from lentera.intake import models
from lentera.intake.checks import FORMULA_RE, check_file, check_submissions, check_table
from lentera.intake.fields import FORMATS, FieldDef, FormatDef, Vocabulary, fields, formats
from lentera.intake.kobo import KoboError, fetch_submissions
from lentera.intake.messages import message
from lentera.intake.models import *  # noqa: F403 (its __all__ is the list)
from lentera.intake.reading import MAX_BYTES, MAX_ROWS, IntakeFileError, read_table
from lentera.intake.rss_form import RSS_FORM_ID, build_rss_xlsform, visit_from_submission
from lentera.intake.template import neutralise, rows_csv, template_csv, template_xlsx
from lentera.intake.xlsform import build_xlsform, to_xform

__all__ = [
    "FORMATS",
    "FORMULA_RE",
    "MAX_BYTES",
    "MAX_ROWS",
    "RSS_FORM_ID",
    "FieldDef",
    "FormatDef",
    "IntakeFileError",
    "KoboError",
    "Vocabulary",
    "build_rss_xlsform",
    "build_xlsform",
    "check_file",
    "check_submissions",
    "check_table",
    "fetch_submissions",
    "fields",
    "formats",
    "message",
    "neutralise",
    "read_table",
    "rows_csv",
    "template_csv",
    "template_xlsx",
    "to_xform",
    "visit_from_submission",
]
__all__ += models.__all__
