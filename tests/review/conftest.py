"""The review station over a copy of the sample batch's data directory, with three accounts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.review_app import create_app
from pipeline.review_store import ReviewStore
from pipeline.workdir import DataDir
from schemas.review import Role

PASSWORDS = {"ana": "ana-reviews-2026", "max": "max-mailroom-2026", "root": "root-admin-2026"}
ROLES = {"ana": Role.REVIEWER, "max": Role.MAILROOM, "root": Role.ADMIN}


@pytest.fixture(scope="module")
def station_data(sample_batch, tmp_path_factory) -> Path:
    """A data directory of its own per test module: reviews written here stay here."""
    data = tmp_path_factory.mktemp("station") / "data"
    shutil.copytree(sample_batch[0], data)
    store = ReviewStore(DataDir(data).db_url)
    for name, role in ROLES.items():
        store.add_user(name, PASSWORDS[name], role)
    return data


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, name: str):
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": name, "password": PASSWORDS[name], "csrf": token},
        follow_redirects=False,
    )


@pytest.fixture()
def station(station_data) -> TestClient:
    return TestClient(create_app(station_data))
