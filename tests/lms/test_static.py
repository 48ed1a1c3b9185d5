"""The stylesheet is cached for a year under a URL that changes with its content."""
from __future__ import annotations

import re
from pathlib import Path


def stylesheet_url(client) -> str:
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)


def test_pages_link_a_versioned_stylesheet_that_browsers_keep(client):
    url = stylesheet_url(client)
    assert re.fullmatch(r"/static/style\.css\?v=[0-9a-f]{12}", url)
    response = client.get(url)
    assert response.status_code == 200 and b"max-width" in response.data
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert response.cache_control.public and response.cache_control.immutable and not response.cache_control.no_cache


def test_a_stale_or_missing_version_is_revalidated_not_kept(client):
    for url in ("/static/style.css", "/static/style.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.cache_control.no_cache and not response.cache_control.max_age


def test_an_edited_stylesheet_gets_a_new_url(app, client, make_app, course_dir):
    """Browsers keep the stylesheet for a year, so a deployment with a changed one must link it under a new URL."""
    before = stylesheet_url(client)
    css = Path(app.static_folder, "style.css")
    original = css.read_bytes()
    try:
        css.write_bytes(original + b"\n/* edited */\n")
        after = stylesheet_url(make_app(course_dir).test_client())
    finally:
        css.write_bytes(original)
    assert after != before
    assert stylesheet_url(make_app(course_dir).test_client()) == before  # same content, same URL
