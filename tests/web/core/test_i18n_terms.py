"""The Indonesian catalogue speaks as a caseworker in NTT does, the same way everywhere.

Rules a native-speaker pass set and this test keeps (``docs`` of the pass: issue 16):

* one word per thing: a glossary of variants that must not appear, each with the term used
  instead (pendamping, calo, PMI, majikan, UPTD PPA, restitusi, "Pasal 2 ayat (1)");
* no English left in an Indonesian text: a message is never its English source unless the word
  is also Indonesian (status, format, audit …), and common English words never appear;
* sentence case: a text starts upper-case exactly when its English source does (labels written
  lower-case in the source are capitalised by the templates), so buttons and labels agree;
* the same English text (up to case and a final full stop) is translated the same way, apart
  from the listed words whose English is one word for two Indonesian ones (a status and a verb).
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from babel.messages.pofile import read_po

from lentera.vocabulary import vocabularies
from lentera.web.core.i18n import LOCALE_DIR

#: variant (regular expression, case-insensitive) -> the term used instead
GLOSSARY = {
    r"\bTKI\b|tenaga kerja Indonesia|buruh migran": "PMI (pekerja migran Indonesia)",
    r"petugas kasus|pengelola kasus|manajer kasus|pekerja kasus": "pendamping",
    r"\bUPT PPA\b|UPTD-PPA|(?<!UPTD PPA / )P2TP2A": "UPTD PPA (P2TP2A only as its old name)",
    r"ganti rugi|ganti kerugian": "restitusi",
    r"calo\s*/\s*agen perjalanan|agen perjalanan\s*/\s*calo": "calo (a travel agent is another role)",
    r"\bpemberi kerja\b(?!.*majikan)": "majikan",
    r"\bshelter\b": "rumah aman / penampungan",
    r"(?<!BP3MI / )\bBP2MI\b": "BP3MI (BP2MI only as its old name)",
    r"Pasal \d+[A-Z]?\(\d+\)|Pasal \d+[A-Z]? ayat \d|Pasal \d+[A-Z]? ay\.": "Pasal 2 ayat (1)",
    r"Pasal \d+[A-Z]?\([a-z]\)": "Pasal 3 huruf c",
}
#: English words that are Indonesian too (KBBI), so a message may equal its source
ALSO_INDONESIAN = {
    "status", "gender", "format", "mode", "audit", "total", "memo", "supervisor", "lentera",
    "bahasa indonesia", "english", "transit", "whatsapp", "facebook", "facebook messenger",
    "instagram", "telegram", "line", "wechat", "x / twitter", "michat", "memo (docx)", "memo (pdf)", "%(record)s no. %(id)s",
}  # fmt: skip
#: English words never left in an Indonesian text
ENGLISH = {
    "the", "and", "with", "from", "your", "this", "case", "cases", "referral", "screening",
    "dashboard", "draft", "upload", "download", "login", "logout", "password", "username",
    "follow-up", "file", "report", "provider", "survivor", "user", "caseworker", "employer",
    "broker", "recruiter", "shelter", "spreadsheet", "workbook", "worker", "fraud", "unknown",
    "saved", "save", "cancel", "delete", "edit", "search", "e-mail", "email",
}  # fmt: skip
#: one English word, two Indonesian ones (e.g. a status "Terkirim" and a verb "dikirim")
TWO_SENSES = {"result", "sent", "refused", "imported"}


def _messages(short: bool = True) -> list[tuple[str, str]]:
    """``(English, Indonesian)`` of the catalogue and of the vocabulary registry's labels (the
    choices of every form, list and chart)."""
    with (LOCALE_DIR / "id" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh, locale="id")
    texts = [(m.id, m.string) for m in catalog if m.id and isinstance(m.id, str) and m.string]
    for vocabulary in vocabularies().values():
        for term in vocabulary.terms:
            texts.append((term.label("en"), term.label("id")))
            if short and term.short_id:
                texts.append((term.short("en"), term.short_id))
    return texts


def _prose(text: str) -> str:
    """The words of a message: without placeholders, markup, addresses, command lines and a
    one-word gloss in brackets ("Surel (e-mail)")."""
    text = re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|\{\w+\}|<[^>]+>|\([\w-]+\)", " ", text)
    return re.sub(r"\S*[/_.]\S*[a-z]\S*|lentera [a-z][\w -]*", " ", text)


@pytest.mark.parametrize(("variant", "preferred"), GLOSSARY.items())
def test_one_term_per_thing(variant: str, preferred: str) -> None:
    found = [(i, s) for i, s in _messages() if re.search(variant, s, re.IGNORECASE)]
    assert not found, f"use {preferred!r}: {found[:5]}"


def test_no_english_left() -> None:
    same = [
        i
        for i, s in _messages()
        if s == i and re.search("[a-z]{3}", i) and i.lower() not in ALSO_INDONESIAN
    ]
    assert not same, f"not translated: {same}"
    english = [
        (i, s, w)
        for i, s in _messages()
        for w in re.findall(r"[A-Za-z][A-Za-z-]+", _prose(s))
        if w.lower() in ENGLISH
    ]
    assert not english, english


def test_sentence_case_follows_the_source() -> None:
    def first(text: str) -> str:
        """The first word when it is an ordinary word (not a number, acronym, symbol or letter)."""
        word = re.match(r"[“\"'(]*([^\s,.:;)]+)", text)
        w = word.group(1) if word else ""
        return w if len(w) > 1 and w.isalpha() and not w.isupper() else ""

    wrong = [
        (i, s)
        for i, s in _messages()
        if first(i) and first(s) and first(i)[0].isupper() != first(s)[0].isupper()
    ]
    assert not wrong, wrong


def test_one_english_text_one_translation() -> None:
    seen: dict[str, set[str]] = defaultdict(set)
    for i, s in _messages(short=False):
        seen[i.lower().rstrip(". ")].add(s.lower().rstrip(". "))
    differ = {k: v for k, v in seen.items() if len(v) > 1 and k not in TWO_SENSES}
    assert not differ, differ
