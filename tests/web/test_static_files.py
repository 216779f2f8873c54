"""Static files under hashed names, cached for a year; plain and stale names revalidated
(forum/web/infra/static_files.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from flask import url_for

from forum.web.infra.static_files import hashed_name, split_hashed_name

IMMUTABLE = "public, max-age=31536000, immutable"
STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def sha256_prefix(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def test_a_static_url_carries_the_first_12_hex_digits_of_the_files_sha256(app):
    stylesheet = Path(app.static_folder) / "css" / "forum.css"
    with app.test_request_context():
        assert url_for("static", filename="css/forum.css") == (
            f"/static/css/forum.{sha256_prefix(stylesheet)}.css"
        )
        # An unknown file keeps its name (and is a 404, as before).
        assert url_for("static", filename="css/missing.css") == "/static/css/missing.css"


def test_a_file_without_an_extension_gets_the_hash_at_the_end(tmp_path):
    (tmp_path / "LICENSE").write_bytes(b"some text")
    digest = hashlib.sha256(b"some text").hexdigest()[:12]
    assert hashed_name(str(tmp_path), "LICENSE") == f"LICENSE.{digest}"
    assert split_hashed_name(f"LICENSE.{digest}") == ("LICENSE", digest)


def test_a_changed_file_gets_a_new_name(tmp_path):
    script = tmp_path / "site.js"
    script.write_bytes(b"one();")
    first = hashed_name(str(tmp_path), "site.js")
    script.write_bytes(b"two(); three();")  # another size: a new version whatever the clock
    assert hashed_name(str(tmp_path), "site.js") != first
    assert hashed_name(str(tmp_path), "site.js") == f"site.{sha256_prefix(script)}.js"


@pytest.mark.parametrize(
    "requested, expected",
    [
        ("css/forum.0123456789ab.css", ("css/forum.css", "0123456789ab")),
        ("archive.tar.0123456789ab.gz", ("archive.tar.gz", "0123456789ab")),
        ("css/forum.css", ("css/forum.css", None)),
        ("css/forum.0123456789AB.css", ("css/forum.0123456789AB.css", None)),  # lowercase only
        ("css/forum.0123456789a.css", ("css/forum.0123456789a.css", None)),  # 11 digits
    ],
)
def test_a_requested_name_is_split_into_the_plain_name_and_its_hash(requested, expected):
    assert split_hashed_name(requested) == expected


def test_every_static_url_in_a_page_is_hashed_and_cached_for_a_year(client, login, make_user):
    login(make_user())
    page = client.get("/questions/ask").get_data(as_text=True)
    urls = STATIC_URL.findall(page)
    assert len(urls) >= 4  # the icon, the stylesheet, the page's two scripts
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}(\.[a-z]+)?$", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url
        assert response.data == (Path(client.application.static_folder) / _plain(url)).read_bytes()


def _plain(url: str) -> str:
    return split_hashed_name(url.removeprefix("/static/"))[0]


def test_the_plain_name_is_served_and_revalidated_each_time(client):
    response = client.get("/static/css/forum.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    assert "immutable" not in response.headers["Cache-Control"]
    # Revalidation is cheap: the same file answers 304 to its ETag.
    again = client.get("/static/css/forum.css", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_stale_hash_is_served_the_current_file_without_long_caching(client):
    # A page rendered before a deploy, still open, asks for the old name.
    current = client.get("/static/css/forum.css").data
    stale = client.get("/static/css/forum.000000000000.css")
    assert stale.status_code == 200
    assert stale.data == current
    assert stale.headers["Cache-Control"] == "no-cache"
    assert stale.mimetype == "text/css"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../forum/config.{h}.py",
        "/static/..%2Fforum/config.{h}.py",
        "/static/css/..%2F..%2Fforum/config.{h}.py",
        "/static/%2e%2e/%2e%2e/forum/config.{h}.py",
        "/static/..%2Fforum/config.py",
    ],
)
def test_a_path_out_of_the_static_folder_is_refused(client, path):
    config_source = Path(client.application.root_path) / "config.py"
    response = client.get(path.format(h=sha256_prefix(config_source)))
    assert response.status_code == 404
    assert b"settings_from_environment" not in response.data


def test_a_file_that_does_not_exist_is_a_404_hashed_or_not(client):
    assert client.get("/static/css/missing.css").status_code == 404
    assert client.get("/static/css/missing.0123456789ab.css").status_code == 404
    assert client.get("/static/css/").status_code == 404
