"""The review station in a real browser: Debian's Chromium driven by Playwright.

GIVEN the sample batch and three accounts, WHEN a reviewer signs in and settles an envelope,
THEN the corrected value, the settled flag, the audit entries and the new status are shown;
a mailroom account is refused the envelope. Screenshots of the main screens are saved.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import expect, sync_playwright

from pipeline.review_app import create_app, envelope_key
from tests.review.conftest import PASSWORDS

CHROMIUM = "/usr/bin/chromium"
# Run as root in a closed network: no sandbox, and none of Chromium's calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(
    os.environ.get("INTAKE_SCREENSHOTS", Path(__file__).parents[2] / "var" / "screenshots")
)


@pytest.fixture(scope="module")
def server(station_data):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(station_data), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the review station did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium package is part of the set-up (make system)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _sign_in(browser, server: str, name: str):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/")
    expect(page).to_have_url(f"{server}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{server}/")
    return page


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


class TestReviewInBrowser:
    def test_a_reviewer_settles_a_flagged_envelope(self, browser, server) -> None:
        page = _sign_in(browser, server, "ana")
        row = page.locator('tr[data-packet="p0008"]')
        expect(row).to_be_visible()
        _shot(page, "queue")

        row.locator("a").click()
        expect(page).to_have_url(f"{server}/envelopes/{envelope_key('p0008')}")
        assert "p0008" not in page.url
        expect(page.locator(".banner")).to_have_class("banner needs_review")
        assert page.locator(".crop").count() >= 1, "flags show the image of their region"
        assert page.locator(".fcrop").count() == page.locator("#fields tr[id^=field-]").count()
        _shot(page, "envelope")

        field = page.locator("#field-place_signed")
        field.locator("input[name=value]").fill("chicoutimi")
        field.locator("button").click()
        expect(page.locator("#field-place_signed input[name=value]")).to_have_value("CHICOUTIMI")

        first = page.locator("tr.flag").first
        key = first.get_attribute("data-flag")
        first.locator("input[name=reason]").fill("read on the page")
        first.locator("button[value=resolve_flag]").click()
        settled = page.locator(f'tr.flag[data-flag="{key}"]')
        expect(settled).to_have_class("flag settled")
        expect(settled.locator(".decision")).to_contain_text("ana")

        page.select_option("select[name=status]", "complete")
        page.fill("input[aria-label='decision reason']", "all documents checked")
        page.click("#decide button")
        expect(page.locator(".banner")).to_have_class("banner complete")
        history = page.locator("#history table")
        expect(history).to_contain_text("correct_field")
        expect(history).to_contain_text("CHICOUTIMI")
        expect(history).to_contain_text("resolve_flag")
        expect(history).to_contain_text("set_status")
        _shot(page, "envelope-decided")
        page.close()

    def test_a_mailroom_account_is_refused_the_envelope(self, browser, server) -> None:
        page = _sign_in(browser, server, "max")
        expect(page.locator('tr[data-packet="p0002"]')).to_be_visible()
        assert page.locator("#queue a").count() == 0
        response = page.goto(f"{server}/envelopes/{envelope_key('p0002')}")
        assert response.status == 403
        expect(page.locator("[role=alert]")).to_contain_text("Reviewers only")
        page.close()
