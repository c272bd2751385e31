"""Report templates: the shipped ones are valid; bad ones are refused with file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lentera.analytics import metrics
from lentera.cli import main
from lentera.errors import LenteraError
from lentera.reports import TemplateError, load_template, parse_template, shipped_templates

GOOD = textwrap.dedent(
    """\
    format: lentera-report-template/1
    id: mine
    version: 2
    title: {id: Laporan saya, en: My report}
    sections:
      - id: people
        title: {id: Orang, en: People}
        items:
          - metric: survivors
          - metric: survivors
            by: [sex]
            compare: true
            filters: {province: "52", sex: [female, male]}
      - id: gaps
        title: {id: Celah, en: Gaps}
        not_recorded: {id: Belum tercatat., en: Not recorded.}
    """
)


def _errors(text: str) -> list[str]:
    with pytest.raises(TemplateError) as info:
        parse_template(text, "my.yaml")
    return info.value.errors


def test_shipped_templates_are_valid_and_name_registered_metrics():
    shipped = shipped_templates()
    assert {"donor", "government", "custom-example"} <= set(shipped)
    for template in shipped.values():
        assert template.sections
        for metric_id in template.metric_ids():
            assert metric_id in metrics.registry()
    donor = shipped["donor"]
    gaps = {s.id for s in donor.sections if s.not_recorded}
    assert gaps == {"convictions"}
    assert {"contacts", "outreach_people", "rss_composite"} <= set(donor.metric_ids())
    assert "restitution_paid_amount" in donor.metric_ids()
    government = shipped["government"]
    assert {"perpetrators", "legal_cases_by_stage"} <= set(government.metric_ids())
    assert government.sources and all(s["verified"] is False for s in government.sources)


def test_a_good_template_parses_with_its_items():
    t = parse_template(GOOD, "my.yaml")
    assert (t.id, t.version) == ("mine", 2)
    figure, table = t.sections[0].items
    assert figure.by == () and figure.compare is True
    assert table.by == ("sex",) and table.compare is True
    assert table.filters == {"province": ("52",), "sex": ("female", "male")}
    assert t.sections[1].not_recorded == {"id": "Belum tercatat.", "en": "Not recorded."}


def test_unknown_metric_is_refused_with_its_file_and_line():
    text = GOOD.replace(
        "      - metric: survivors\n        by", "      - metric: survivor\n        by"
    )
    errors = _errors(text)
    assert len(errors) == 1
    assert errors[0].startswith("my.yaml:10: section 'people' item 2: unknown metric 'survivor'")
    assert "referrals_completed" in errors[0]  # the message lists the metrics that exist


def test_every_problem_is_listed_with_its_line():
    text = GOOD.replace("by: [sex]", "by: [sex, planet]").replace(
        "title: {id: Orang, en: People}", "title: {id: Orang}"
    )
    text = text.replace("version: 2", "version: two") + "    colour: red\n"
    errors = _errors(text)
    assert "my.yaml:3: template: 'version' must be a whole number from 1" in errors
    assert any(
        e.startswith("my.yaml:7: section 'people'.title: the English text (en) is missing")
        for e in errors
    )
    assert any(
        e.startswith(
            "my.yaml:11: section 'people' item 2.by: metric survivors cannot be cut by 'planet'"
        )
        for e in errors
    )
    assert any(e.startswith("my.yaml:17: section 'gaps': unknown key 'colour'") for e in errors)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("format: lentera-report-template/1", "format: other/1"), "my.yaml:1: template: format"),
        (("id: people", "id: gaps"), "my.yaml:14: section 'gaps': section id 'gaps' is used twice"),
        (("by: [sex]", "by: [sex, age_band]"), "my.yaml:12: section 'people' item 2: a comparison"),
        (("sex: [female, male]", "sex: [female, femal]"), "my.yaml:13: section 'people' item 2.filters.sex: 'femal'"),
        (("province: \"52\"", "province: \"99\""), "my.yaml:13: section 'people' item 2.filters.province: '99'"),
        (("- metric: survivors\n", "- metric: ctdc_compare_means\n"), "my.yaml:9: section 'people' item 1: metric 'ctdc_compare_means' is a CTDC comparison"),
        (("    not_recorded:", "    items: []\n    not_recorded:"), "my.yaml:14: section 'gaps': give either"),
        (("title: {id: Laporan saya, en: My report}", "title: {id: Laporan saya, en: My report"), "my.yaml:5: not valid YAML"),
        (("compare: true", "compare: yes please"), "my.yaml:12: section 'people' item 2.compare: expected true or false"),
    ],
)  # fmt: skip
def test_each_rule_names_the_line(change, expected):
    errors = _errors(GOOD.replace(*change))
    assert any(e.startswith(expected) for e in errors), errors


def test_empty_and_non_mapping_templates_are_refused():
    assert _errors("") == ["my.yaml:1: the template is empty"]
    assert _errors("- a\n- b\n")[0] == "my.yaml:1: template: expected a mapping"


def test_duplicate_keys_are_refused():
    errors = _errors(GOOD.replace("version: 2\n", "version: 2\nversion: 3\n"))
    assert errors == ["my.yaml:4: template: key 'version' appears twice"]


def test_load_template_by_id_and_by_path(tmp_path: Path):
    assert load_template("donor").id == "donor"
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_template(path).id == "mine"
    with pytest.raises(LenteraError) as info:
        load_template("nonesuch")
    assert info.value.kind == "not_found" and "donor" in info.value.message
    with pytest.raises(LenteraError) as info:
        load_template(tmp_path / "missing.yaml")
    assert info.value.kind == "not_found"


def test_cli_check_reports_every_problem_with_its_line(tmp_path: Path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(
        GOOD.replace("metric: survivors\n        by", "metric: nope\n        by"), "utf-8"
    )
    assert main(["report", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:10: section 'people' item 2: unknown metric 'nope'" in err
    good = tmp_path / "good.yaml"
    good.write_text(GOOD, "utf-8")
    assert main(["report", "check", str(good)]) == 0
    assert "is valid (2 sections, 2 items)" in capsys.readouterr().out


def test_cli_lists_templates(capsys):
    assert main(["report", "templates", "--metrics"]) == 0
    out = capsys.readouterr().out
    assert "donor  v2" in out and "government  v1" in out
    assert "not recorded in the warehouse: convictions\n" in out
    assert "survivors_assisted_by_service  [count]" in out
