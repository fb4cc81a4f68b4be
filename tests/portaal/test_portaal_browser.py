"""The portal in headless Chromium, end to end on a copy of the published sample warehouse.

A zorggroep logs in, downloads the template, uploads a broken workbook and reads the report,
uploads the fixed one, the intake and publication run as the inbox sensor would start them
(the job in process), and the page reaches "gepubliceerd". A second zorggroep sees none of
it and cannot deliver for the first; an anonymous visitor lands on the login page.
Screenshots go to /tmp/portaal_shots/ and the measured times to tijden.json there.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from dagster import DagsterInstance
from openpyxl import load_workbook

from orchestration import superset_browser
from orchestration.defs.inname.assets import INTAKE_TAG
from orchestration.pipeline import SILENT
from tests.portaal.conftest import SHOTS, Portaal, start_portaal

pytestmark = pytest.mark.browser


def _sample(root: Path) -> Path:
    return sorted((root / "sources" / "zorggroep").glob("*_2025-Q1.xlsx"))[0]


def _code(path: Path) -> str:
    workbook = load_workbook(path, read_only=True)
    try:
        rows = workbook["meta"].iter_rows(min_row=2, max_col=2, values_only=True)
        return dict(rows)["zorggroep_code"]
    finally:
        workbook.close()


@pytest.fixture(scope="module")
def world(published_warehouse, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("portaal-data")
    shutil.copytree(published_warehouse.sources, root / "sources")
    shutil.copytree(published_warehouse.data_dir / "warehouse", root / "warehouse")
    return root


@pytest.fixture(scope="module")
def codes(world) -> tuple[str, str]:
    first = _code(_sample(world))
    others = sorted(p.name.split("_")[0] for p in (world / "sources" / "zorggroep").glob("*.xlsx"))
    return first, next(code for code in others if code != first)


@pytest.fixture(scope="module")
def portaal(world, codes) -> Portaal:
    organisations = [
        {"bron": "zorggroep", "code": code, "naam": f"Zorggroep {code}"} for code in codes
    ]
    with start_portaal(world, organisations) as server:
        yield server


@pytest.fixture(scope="module")
def workbooks(world, tmp_path_factory) -> tuple[Path, Path]:
    """A resubmission of the zorggroep's 2025-Q1 (fixed), and the same with two faults."""
    folder = tmp_path_factory.mktemp("werkmappen")
    sample = _sample(world)
    workbook = load_workbook(sample)
    practices = workbook["praktijken"]
    # +60 % for one practice: the patienten_sprong warning against 2024-Q1 (sample files).
    practices["E2"] = int(practices["E2"].value * 1.6)
    for row in workbook["meta"].iter_rows(min_row=2):
        if row[0].value == "aangeleverd_op":
            row[1].value = date(2025, 5, 1)
    fixed = folder / sample.name
    workbook.save(fixed)
    practices["D2"] = "GM9999"  # unknown gemeente (cross-sheet rule)
    header = [cell.value for cell in workbook["huisartsen"][1]]
    fte = header.index("fte") + 1
    workbook["huisartsen"].cell(row=3, column=fte).value = "0,8"  # decimal comma as text
    broken = folder / f"kapot_{sample.name}"
    workbook.save(broken)
    return broken, fixed


@pytest.fixture(scope="module")
def browser():
    with superset_browser.chromium() as chromium:
        yield chromium


def _login(page, portaal: Portaal, code: str) -> None:
    page.goto(f"{portaal.base_url}/inloggen")
    page.fill("#gebruikersnaam", code)
    page.fill("#wachtwoord", portaal.passwords[code])
    page.click("button[type=submit]")
    page.wait_for_selector("text=Uw aanleveringen")


def _upload(page, path: Path) -> float:
    """Upload from the overview; seconds until the report page is there."""
    page.set_input_files("#bestand", str(path))
    started = time.monotonic()
    page.click("#upload button[type=submit]")
    page.wait_for_selector("#samenvatting", timeout=120_000)
    return time.monotonic() - started


def _run_intake(root: Path):
    """What the inbox sensor starts: the full refresh job, intake first (docs/inname.md)."""
    from orchestration.definitions import build_defs

    job = build_defs(root).resolve_job_def("volledige_verversing")
    return job.execute_in_process(
        run_config=SILENT,
        instance=DagsterInstance.ephemeral(),
        tags={INTAKE_TAG: "zorggroep"},
        raise_on_error=False,
    )


def test_a_zorggroep_delivers_through_the_browser(browser, portaal, world, codes, workbooks):
    SHOTS.mkdir(parents=True, exist_ok=True)
    code, other = codes
    broken, fixed = workbooks
    times: dict[str, float] = {}
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    page = context.new_page()

    # Anonymous: the login page, nothing else.
    page.goto(f"{portaal.base_url}/aanleveringen")
    assert page.url.endswith("/inloggen")
    page.screenshot(path=str(SHOTS / "1_inloggen.png"), full_page=True)

    _login(page, portaal, code)
    assert page.is_visible("#geen-aanleveringen")
    page.screenshot(path=str(SHOTS / "2_overzicht_leeg.png"), full_page=True)

    # The template: the real national workbook.
    page.click("#template-link")
    page.screenshot(path=str(SHOTS / "3_template.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#download")
    saved = world / "gedownload_template.xlsx"
    download.value.save_as(saved)
    sheets = load_workbook(saved, read_only=True).sheetnames
    assert {"meta", "praktijken", "huisartsen"} <= set(sheets)

    # A broken workbook: every problem in one report, real Excel rows, nothing delivered.
    page.goto(f"{portaal.base_url}/aanleveringen")
    times["upload_tot_rapport_afgekeurd_s"] = _upload(page, broken)
    assert "AFGEKEURD" in page.inner_text("#samenvatting")
    report = page.inner_text("#rapport")
    assert "gemeente_bekend" in report and "GM9999" in report
    assert "type" in report and "0,8" in report
    assert page.get_attribute("#status", "data-status") == "afgekeurd"
    page.screenshot(path=str(SHOTS / "4_rapport_afgekeurd.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#gemarkeerd")
    marked = world / "gemarkeerd.xlsx"
    download.value.save_as(marked)
    praktijken = load_workbook(marked)["praktijken"]
    assert "gemeente_bekend" in praktijken["D2"].comment.text
    inbox = world / "inbox" / "zorggroep"
    assert not inbox.exists() or not any(inbox.iterdir())

    # The fixed workbook: accepted, with the warning that needs the previous period.
    page.goto(f"{portaal.base_url}/aanleveringen")
    started = time.monotonic()
    times["upload_tot_rapport_goedgekeurd_s"] = _upload(page, fixed)
    assert "goedgekeurd" in page.inner_text("#samenvatting")
    assert "patienten_sprong" in page.inner_text("#rapport")
    assert page.get_attribute("#status", "data-status") == "ontvangen"
    page.screenshot(path=str(SHOTS / "5_rapport_goedgekeurd.png"), full_page=True)
    assert len(list(inbox.iterdir())) == 1

    # The intake and the publication, as the sensor would run them.
    run_started = time.monotonic()
    result = _run_intake(world)
    times["inname_en_publicatie_s"] = time.monotonic() - run_started
    assert result.success
    page.reload()
    page.wait_for_selector("#status[data-status=gepubliceerd]", timeout=30_000)
    times["upload_tot_gepubliceerd_s"] = time.monotonic() - started
    assert "Gepubliceerd op" in page.inner_text("#status")
    page.screenshot(path=str(SHOTS / "6_gepubliceerd.png"), full_page=True)
    page.goto(f"{portaal.base_url}/aanleveringen")
    statuses = page.eval_on_selector_all(
        "#aanleveringen td.status", "cells => cells.map(c => c.dataset.status)"
    )
    assert sorted(statuses) == ["afgekeurd", "gepubliceerd"]
    page.screenshot(path=str(SHOTS / "7_overzicht.png"), full_page=True)
    detail_url = page.url
    own = page.get_attribute("#aanleveringen tr[data-sha256] a", "href")

    # A second zorggroep: sees nothing of the first, cannot deliver for it.
    second = browser.new_context(locale="nl-NL").new_page()
    _login(second, portaal, other)
    assert second.is_visible("#geen-aanleveringen")
    response = second.goto(f"{portaal.base_url}{own}")
    assert response.status == 404
    second.goto(f"{portaal.base_url}/aanleveringen")
    _upload(second, fixed)
    refusal = second.inner_text("#samenvatting")
    assert f"van organisatie '{code}'" in refusal and f"ingelogd als '{other}'" in refusal
    assert second.get_attribute("#status", "data-status") == "geweigerd"
    second.screenshot(path=str(SHOTS / "8_andere_organisatie_geweigerd.png"), full_page=True)
    assert not any(inbox.iterdir())

    # Logged out: back to nothing.
    page.goto(detail_url)
    page.click("header button[type=submit]")
    page.goto(f"{portaal.base_url}/aanleveringen")
    assert page.url.endswith("/inloggen")

    (SHOTS / "tijden.json").write_text(json.dumps(times, indent=2))
    print("\n" + json.dumps(times, indent=2))
