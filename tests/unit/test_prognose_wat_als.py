"""The what-if file of the projection: valid scenarios become rows, every mistake is named."""

from __future__ import annotations

import pytest

from orchestration.referentie.wat_als import (
    KOLOMMEN,
    WAT_ALS_FILE,
    WatAlsFout,
    read_wat_als,
    validate_wat_als,
)


def test_the_shipped_file_is_valid_and_has_scenarios():
    rows = read_wat_als(WAT_ALS_FILE)
    assert list(rows.columns) == [*KOLOMMEN, "_bronrij"]
    assert len(rows) >= 2
    assert rows["naam"].is_unique


def test_two_scenarios_become_two_rows_with_only_their_changes():
    rows = validate_wat_als(
        {
            "scenarios": [
                {"naam": "meer", "omschrijving": "Meer", "opleidingsinstroom": 1200},
                {"naam": "later", "omschrijving": "Later", "uittreden_later_jaren": 2},
            ]
        }
    )
    assert [r["naam"] for r in rows] == ["meer", "later"]
    assert rows[0]["opleidingsinstroom"] == 1200 and rows[0]["uittreden_later_jaren"] is None
    assert rows[1]["uittreden_later_jaren"] == 2 and rows[1]["volgorde"] == 2


def test_an_empty_file_has_no_scenarios():
    assert validate_wat_als(None) == []
    assert validate_wat_als({"scenarios": []}) == []


@pytest.mark.parametrize(
    ("scenario", "fragment"),
    [
        ({"naam": "a", "omschrijving": "x", "instroom": 1200}, "onbekende sleutel 'instroom'"),
        ({"naam": "a", "omschrijving": "x", "opleidingsinstroom": "veel"}, "'opleidingsinstroom'"),
        (
            {"naam": "a", "omschrijving": "x", "fte_factor_wijziging": -0.9},
            "'fte_factor_wijziging'",
        ),
        ({"naam": "a", "omschrijving": "x", "uittreden_later_jaren": 1.5}, "geheel getal"),
        ({"naam": "a", "omschrijving": "x", "onvervulde_vraag": True}, "'onvervulde_vraag'"),
        ({"naam": "A b", "omschrijving": "x", "onvervulde_vraag": 0.04}, "'naam'"),
        ({"naam": "a", "onvervulde_vraag": 0.04}, "'omschrijving'"),
        ({"naam": "a", "omschrijving": "x"}, "geen enkele wijziging"),
        (
            {"naam": "a", "omschrijving": "x", "opleidingsinstroom_vanaf": 2030},
            "'opleidingsinstroom_vanaf' zonder 'opleidingsinstroom'",
        ),
    ],
)
def test_a_bad_key_or_value_is_named_in_dutch(scenario, fragment):
    with pytest.raises(WatAlsFout, match="wat-als-bestand") as fout:
        validate_wat_als({"scenarios": [scenario]})
    assert fragment in str(fout.value)


def test_every_mistake_is_reported_at_once_and_names_are_unique():
    with pytest.raises(WatAlsFout) as fout:
        validate_wat_als(
            {
                "scenarios": [
                    {"naam": "a", "omschrijving": "x", "onvervulde_vraag": 2},
                    {"naam": "a", "omschrijving": "y", "opleidingsinstroom": -1},
                ]
            }
        )
    bericht = str(fout.value)
    assert "scenario 1 ('a'): 'onvervulde_vraag'" in bericht
    assert "scenario 2 ('a'): 'naam' komt twee keer voor" in bericht
    assert "'opleidingsinstroom' = -1" in bericht


def test_a_wrong_top_level_key_and_broken_yaml_fail(tmp_path):
    with pytest.raises(WatAlsFout, match="onbekende sleutel"):
        validate_wat_als({"scenario": []})
    kapot = tmp_path / "wat_als.yaml"
    kapot.write_text("scenarios: [\n", encoding="utf-8")
    with pytest.raises(WatAlsFout, match="geen geldige YAML"):
        read_wat_als(kapot)
    with pytest.raises(WatAlsFout, match="bestaat niet"):
        read_wat_als(tmp_path / "ontbreekt.yaml")
