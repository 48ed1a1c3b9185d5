"""A module downloaded to read offline, and the page weight of a lesson in every language."""
from __future__ import annotations

import re

import pytest

from tests.conftest import ACCOUNTS, PASSWORD, SHIPPED_COURSE, csrf_token

LANGUAGES = ("en", "bn", "hi", "km", "fil")


@pytest.fixture
def shipped(make_app):
    return make_app(SHIPPED_COURSE)


def signed_in(app, language="en"):
    client = app.test_client()
    client.get(f"/language/{language}")
    client.post("/login", data={"email": ACCOUNTS["tsp"][0], "password": PASSWORD, "csrf_token": csrf_token(client)})
    return client


def test_the_orientation_downloads_in_khmer_with_the_glossary_and_no_outside_requests(shipped):
    client = signed_in(shipped, "km")
    response = client.get("/learn/modules/orientation/download")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"] == 'attachment; filename="orientation-km.html"'
    html = response.get_data(as_text=True)
    assert '<html lang="km" dir="ltr">' in html
    assert "ការណែនាំ៖ របៀបដែលវគ្គសិក្សានេះដំណើរការ" in html  # the module title in Khmer
    assert "ការបកប្រែនេះមិនទាន់ត្រូវបានពិនិត្យនៅឡើយទេ។" in html  # "This translation has not yet been reviewed."
    assert 'id="glossary"' in html and 'href="#harm-reduction"' in html  # glossary links stay inside the file
    assert "<style>" in html and '<link rel="stylesheet"' not in html and "<script" not in html
    assert not re.search(r'(src|href)="/', html), "a site-relative address would not resolve from a file"
    assert "@@" not in html


def test_the_download_keeps_the_access_rules(shipped, make_app):
    assert shipped.test_client().get("/learn/modules/orientation/download").status_code == 302  # to the login page
    client = signed_in(shipped)
    assert client.get("/learn/modules/no-such-module/download").status_code == 404
    assert client.get("/learn/modules/refresher/download").status_code == 403  # the refresher is not open yet


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_lesson_stays_within_50_kb_of_html_and_css_in_every_language(shipped, language):
    """A translated lesson and the longest untranslated one (shown in English with a note); fonts come from the device."""
    client = signed_in(shipped, language)
    course = shipped.extensions["lms.course"]
    longest = max(course.lessons.values(), key=lambda lesson: len(lesson.html)).id
    for lesson in ("or-about-the-course", longest):
        page = client.get(f"/learn/lessons/{lesson}")
        assert page.status_code == 200
        html = page.get_data()
        assert f'<html lang="{language}"'.encode() in html
        css_url = re.search(rb'<link rel="stylesheet" href="([^"]+)"', html).group(1).decode()
        css = client.get(css_url).get_data()
        assert b"@font-face" not in css and b"url(" not in css
        assert len(html) + len(css) <= 50 * 1024, f"{language} {lesson}: {len(html)} + {len(css)} bytes"
