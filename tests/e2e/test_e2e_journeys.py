"""Whole journeys through the served app, in Bahasa Indonesia and again in English.

A caseworker of YLK opens a case with two survivors and a perpetrator, records the means of
control, screens a survivor against the ILO indicators, records referral consent and refers
the survivor to UPTD PPA NTT; YLK's legal officer (TOTP two-factor) opens the legal analysis
and downloads the memo; PPANTT's caseworker accepts the referral from the inbox; the
referral dashboard shows it. All names typed here are synthetic.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

# Visible words the journey clicks, per interface language (from the .po catalogue).
WORDS: dict[str, dict[str, str]] = {
    "id": {
        "new_case": "Kasus baru",
        "add_survivor": "Tambah penyintas",
        "add_perpetrator": "Tambah pelaku",
        "save": "Simpan",
        "record_consent": "Catat persetujuan",
        "screen": "Lakukan penapisan (indikator ILO)",
        "save_screening": "Simpan penapisan",
        "legal": "Analisis Hukum",
        "refer": "Rujuk ke layanan",
        "send_referral": "Kirim rujukan",
        "accept": "Terima",
        "accepted": "Diterima",
        "debt_bondage": "Jeratan utang",
        "withholds_documents": "Menahan dokumen",
        "dashboard": "Rujukan dan tindak lanjut",
        "not_found": "Tidak ditemukan",
    },
    "en": {
        "new_case": "New case",
        "add_survivor": "Add a survivor",
        "add_perpetrator": "Add a perpetrator",
        "save": "Save",
        "record_consent": "Record consent",
        "screen": "Screen (ILO indicators)",
        "save_screening": "Save screening",
        "legal": "Legal analysis (Analisis Hukum)",
        "refer": "Refer to a service",
        "send_referral": "Send referral",
        "accept": "Accept",
        "accepted": "Accepted",
        "debt_bondage": "Debt bondage",
        "withholds_documents": "Withholds documents",
        "dashboard": "Referrals and follow-through",
        "not_found": "Not found",
    },
}
PROVIDER = "UPTD PPA Provinsi Nusa Tenggara Timur"  # demo directory entry linked to PPANTT


def _click(page: Any, role: str, name: str, *, within: Any = None) -> None:
    """Click a link or button by its visible name and wait for the next page."""
    with page.expect_navigation():
        (within or page).get_by_role(role, name=name, exact=True).first.click()


def _problems(page: Any) -> str:
    """The form errors on the page, for assertion messages."""
    texts = page.locator(".error, .errors, [role=alert]").all_inner_texts()
    return page.url + " " + " | ".join(texts)


def _add_survivor(page: Any, w: dict[str, str], name: str, *, sex: str) -> None:
    _click(page, "link", w["add_survivor"])
    page.fill("#id_p-full_name", name)
    page.fill("#id_p-estimated_age", "24")
    page.select_option("#id_p-sex", sex)
    page.select_option("#id_p-origin_province_code", "53")  # Nusa Tenggara Timur
    page.select_option("#id_s-trafficking_status", index=1)
    for group, values in {
        "exploitation_types": ["forced_labour"],
        "means_of_control": ["debt_bondage", "withholds_documents", "restricts_movement"],
        "acts": ["recruitment", "transportation"],
        "means": ["fraud"],
    }.items():
        for value in values:
            page.check(f"input[name='s-{group}'][value='{value}']")
    page.select_option("#id_s-exploitation_occurred", "true")
    page.select_option("#id_s-is_migrant_worker", "true")
    _click(page, "button", w["save"])
    if page.locator("#possible-duplicates").count():
        # the intake check found a survivor recorded earlier (same name in an earlier journey):
        # the caseworker confirms this is a different person and saves again
        page.check("input[name='confirm_new']")
        _click(page, "button", w["save"])
    assert re.search(r"/cases/\d+/$", page.url), _problems(page)


def _download(page: Any, name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=name, exact=True).click()
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_case_to_accepted_referral(app: Any, lang: str) -> None:
    """Intake → means of control → screening → legal memo → consent → referral → accepted."""
    w = WORDS[lang]
    tag = "Satu" if lang == "id" else "One"
    first, second = f"Sintetis {tag} Pertama", f"Sintetis {tag} Kedua"

    # Log in through the form (Indonesian by default) and, for English, one click away.
    page = app.new_context(lang=None).new_page()
    app.log_in(page, "ylk_caseworker")
    assert page.locator("html").get_attribute("lang") == "id"
    if lang == "en":
        _click(page, "button", "English")
        assert page.locator("html").get_attribute("lang") == "en"

    # A case with two survivors and a perpetrator.
    page.goto("/cases/")
    _click(page, "link", w["new_case"])
    page.fill("#id_opened_on", "2026-03-02")
    page.fill("#id_offence_date", "2026-01-15")
    page.fill("#id_summary", "Kasus sintetis untuk uji end-to-end (synthetic test case).")
    _click(page, "button", w["save"])
    match = re.search(r"/cases/(\d+)/$", page.url)
    assert match, page.url
    case_id = int(match.group(1))
    reference = page.locator("h1").inner_text().split()[0]
    _add_survivor(page, w, first, sex="female")
    _add_survivor(page, w, second, sex="male")
    _click(page, "link", w["add_perpetrator"])
    page.fill("#id_name", "Pelaku Sintetis")
    page.select_option("#id_kind", "individual_recruiter")
    page.check("input[name='roles'][value='recruiter_or_intermediary']")
    _click(page, "button", w["save"])

    survivors = page.locator("#survivors article")
    assert survivors.count() == 2
    assert page.locator("#perpetrators").get_by_text("Pelaku Sintetis").count() == 1
    card = page.locator("#survivors article", has_text=first)
    assert w["debt_bondage"] in card.inner_text()
    assert w["withholds_documents"] in card.inner_text()
    app.shot(page, f"journey-case-{lang}-desktop")

    # Screening: pre-filled from the means of control; saving shows the outcome.
    _click(page, "link", w["screen"], within=card)
    assert page.locator("input[name=indicator]:checked").count() >= 2
    _click(page, "button", w["save_screening"])
    assert re.search(r"/assessments/screenings/\d+/$", page.url), page.url
    page.goto(f"/cases/{case_id}/")
    card = page.locator("#survivors article", has_text=first)
    link_id = re.search(
        r"/survivors/(\d+)/",
        card.get_by_role("link", name=w["legal"], exact=True).get_attribute("href") or "",
    )
    assert link_id

    # Legal analysis by the legal officer, who logs in with TOTP, and the memo downloads.
    legal = app.page_as("ylk_legal", lang=lang)
    legal.goto(f"/assessments/survivors/{link_id.group(1)}/legal/")
    assert legal.locator("h1").first.inner_text().strip() == w["legal"]
    docx = _download(legal, "Memo (DOCX)")
    assert docx[:2] == b"PK" and len(docx) > 2000
    pdf = _download(legal, "Memo (PDF)")
    assert pdf[:5] == b"%PDF-" and len(pdf) > 1000
    legal.context.close()

    # Referral consent first, then the referral to the provider linked to PPANTT.
    _click(page, "link", w["record_consent"])
    page.select_option("#id_person", label=first)
    page.check("input[name='purposes'][value='referral']")
    page.check("input[name='purposes'][value='services']")
    page.check("input[name='shared_fields'][value='name']")
    page.check("input[name='shared_fields'][value='sex_age']")
    _click(page, "button", w["save"])
    card = page.locator("#survivors article", has_text=first)
    _click(page, "link", w["refer"], within=card)
    page.select_option("#id_provider", label=PROVIDER)
    page.check("input[name='services'][value='shelter']")
    page.check("input[name='services'][value='psychosocial']")
    page.fill("#id_reason", "Butuh rumah aman dan pendampingan psikososial (data sintetis).")
    _click(page, "button", w["send_referral"])
    assert re.search(r"/referrals/\d+/$", page.url), page.url
    number = re.search(r"[A-Z]+-R\d{4}-\d+", page.locator("h1").inner_text())
    assert number
    app.shot(page, f"journey-referral-{lang}-desktop")

    # The provider's caseworker accepts it from the inbox.
    ntt = app.page_as("ntt_caseworker", lang=lang)
    ntt.goto("/referrals/inbox/")
    _click(ntt, "link", number.group(0))
    assert first in ntt.locator("main").inner_text()  # the name was shared with consent
    _click(ntt, "button", w["accept"])
    assert w["accepted"] in ntt.locator("h1").inner_text()
    ntt.context.close()

    # The sender sees the answer on the case and the referral dashboard.
    page.goto(f"/cases/{case_id}/")
    row = page.locator("#referrals tr", has_text=number.group(0))
    assert w["accepted"] in row.inner_text()
    page.goto("/referrals/")
    assert page.locator("h1").inner_text().strip() == w["dashboard"]
    assert reference.startswith("YLK-")
    # The analytics dashboard: province map beside the BPS poverty map, and the charts.
    insights = page.goto("/insights/")
    assert insights is not None and insights.ok, insights and insights.status
    assert page.locator(".maps svg").count() == 2
    assert page.locator(".chart-grid svg").count() >= 3
    page.context.close()


def test_other_organisations_case_is_not_found(app: Any) -> None:
    """A case number of YLK typed into PPANTT's browser gives the 404 page, not the case."""
    ylk = app.page_as("ylk_caseworker")
    ylk.goto("/cases/")
    href = ylk.locator("#case-results a[href^='/cases/']").first.get_attribute("href")
    assert href and re.fullmatch(r"/cases/\d+/", href)
    reference = ylk.locator("#case-results a[href^='/cases/']").first.inner_text()
    ylk.context.close()

    ntt = app.page_as("ntt_caseworker")
    for url in (href, f"{href}edit/", f"{href}survivors/new/"):
        response = ntt.goto(url)
        assert response is not None and response.status == 404, url
        assert ntt.locator("h1").inner_text().strip() == WORDS["id"]["not_found"]
        assert reference not in ntt.content()
    ntt.context.close()


def test_second_login_asks_for_the_totp_code(app: Any) -> None:
    """A supervisor enrols TOTP at first login; the next login asks for (and takes) a code."""
    app.session_of("ylk_supervisor")  # first login: enrolment with the secret from the page
    page = app.new_context().new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "ylk_supervisor")
    page.fill("#id_password", "lentera-demo")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/2fa/verify/" in page.url
    page.goto("/audit/")
    assert "/accounts/2fa/verify/" in page.url  # nothing opens before the code
    page.fill("#token", app.next_code("ylk_supervisor"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/" not in page.url
    assert page.goto("/audit/").ok
    page.context.close()
