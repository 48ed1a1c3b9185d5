"""Every visible interface string is marked for translation.

The app runs in a pseudo-language whose catalog wraps every translated string in ⟦ ⟧. Each page a
learner, a trainer, an administrator and a visitor can reach is rendered; once the bracketed
strings, the course's own content and the users' own data are taken out, no English word may be
left in the text or labels. A string someone forgets to mark shows up here as plain English.
"""
from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from lms.web.i18n import TRANSLATIONS
from tests.conftest import ACCOUNTS, PASSWORD, csrf_token, user_id

PSEUDO = "eo"  # a language Babel knows and the project does not offer: it stands for "any translation"
BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")  # innermost first: translated strings nest (a label inside a message)
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){5}\b")
SKIPPED = ("/language/", "/static/", "/logout", ".pdf", "/admin/records", "/learn/files/")


@pytest.fixture
def pseudo_dir(tmp_path):
    with open(TRANSLATIONS / "messages.pot", "rb") as f:
        template = read_po(f)
    catalog = Catalog(locale=PSEUDO)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            catalog.add(message.id, tuple(f"⟦{form}⟧" for form in message.id[:catalog.num_plurals] + message.id[-1:] * 3)
                        [:catalog.num_plurals], flags=message.flags)
        else:
            catalog.add(message.id, f"⟦{message.id}⟧", flags=message.flags)
    folder = tmp_path / "pseudo" / PSEUDO / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as f:
        write_mo(f, catalog)
    return tmp_path / "pseudo"


def allowed_texts(app) -> list[str]:
    """Course content and user data: shown as written, never translated by the interface."""
    course = app.extensions["lms.course"]
    texts = [course.title, course.organisation, course.full_version]
    texts += [u.title for u in course.units]
    for module in course.modules.values():
        texts += [module.title, module.summary, *module.objectives]
    texts += [lesson.title for lesson in course.lessons.values()]
    for content in course.quizzes.values():
        texts.append(content.quiz.title)
        for question in content.quiz.questions:
            texts.append(question.id)
            texts += [o.text for o in question.options]
            texts += [t for pair in getattr(question, "pairs", ()) or () for t in pair[1:]]
            texts += list(getattr(question, "accept", ()) or ())
    pages = [lesson.html for lesson in course.lessons.values()]
    pages += [m.intro_html for m in course.modules.values()] + [m.trainer_notes_html or "" for m in course.modules.values()]
    pages += [html for content in course.quizzes.values() for html in content.html.values()] + [course.glossary_html or ""]
    for html in pages:  # the course's own rendered text, wherever a page shows it
        if html.strip():
            texts += [str(t).strip() for t in lxml.html.fragment_fromstring(html, create_parent="div").xpath("//text()")]
    texts += [Locale.parse(code).get_display_name(code) or code for code in app.config["LANGUAGES"]]
    for email, name, _role, cohort in ACCOUNTS.values():
        texts += [email, name, cohort or ""]
    locale = Locale.parse(PSEUDO)
    texts += list(locale.months["format"]["wide"].values()) + list(locale.months["format"]["abbreviated"].values())
    return sorted({t for t in texts if t}, key=len, reverse=True)


def leftovers(html: str, allowed: list[str]) -> list[str]:
    tree = lxml.html.fromstring(html)
    for skipped in tree.xpath("//script|//style|//*[contains(concat(' ', @class, ' '), ' prose ')]|//nav[@class='languages']"
                              "|//code|//pre|//textarea|//datalist|//details[contains(@class, 'trainer-notes')]"):
        skipped.drop_tree()
    # emphasis inside a translated sentence ("⟦<strong>3</strong> learners⟧") is part of that sentence's text
    lxml.etree.strip_tags(tree, "strong", "em")
    tree = lxml.html.fromstring(lxml.html.tostring(tree, encoding="unicode"))  # the merged text as one node
    found = []
    pieces = [t for t in tree.xpath("//text()")] + tree.xpath("//@aria-label|//@title|//@placeholder|//@alt")
    for piece in pieces:
        text = str(piece)
        while BRACKETED.search(text):
            text = BRACKETED.sub(" ", text)
        for known in allowed:
            text = text.replace(known, " ")
        text = CODE.sub(" ", text)
        if ENGLISH_WORD.search(text):
            found.append(text.strip())
    return found


def crawl(client, starts: list[str], allowed: list[str], limit: int = 120) -> dict[str, list[str]]:
    seen, queue, problems = set(), deque(starts), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or any(s in url for s in SKIPPED):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303):
            queue.append(urlsplit(response.headers["Location"]).path)
            continue
        if not response.content_type.startswith("text/html"):
            continue
        html = response.get_data(as_text=True)
        left = leftovers(html, allowed)
        if left:
            problems[url] = left
        for href in lxml.html.fromstring(html).xpath("//a/@href"):
            target = urljoin(url, href)
            parts = urlsplit(target)
            if not parts.netloc or parts.netloc == "localhost":
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return problems


def login(client, who):
    client.get(f"/language/{PSEUDO}")
    return client.post("/login", data={"email": ACCOUNTS[who][0], "password": PASSWORD, "csrf_token": csrf_token(client)},
                       follow_redirects=True)


def test_no_unmarked_english_on_any_page(make_app, course_dir, pseudo_dir):
    app = make_app(course_dir, BABEL_TRANSLATION_DIRECTORIES=f"{TRANSLATIONS};{pseudo_dir}", LANGUAGES=f"en,{PSEUDO}")
    allowed = allowed_texts(app)
    problems: dict[str, list[str]] = {}

    def page(html_or_response):
        html = html_or_response if isinstance(html_or_response, str) else html_or_response.get_data(as_text=True)
        return leftovers(html, allowed)

    visitor = app.test_client()
    visitor.get(f"/language/{PSEUDO}")
    problems["login failed"] = page(visitor.post("/login", data={"email": "x@example.org", "password": "nope",
                                                                  "csrf_token": csrf_token(visitor)}))
    problems["login empty"] = page(visitor.post("/login", data={"csrf_token": csrf_token(visitor)}))
    problems.update(crawl(visitor, ["/login", "/verify", "/verify/NOT-A-CODE", "/verify/0000-0000-0000-0000-0000-0000",
                                    "/no-such-page", "/password/forgot", "/password/reset/not-a-token", "/invite/not-a-token"],
                                   allowed))

    learner = app.test_client()
    login(learner, "tsp")
    token = lambda url="/learn/": csrf_token(learner, url)  # noqa: E731
    learner.get("/learn/lessons/basics-one")
    problems["mark done"] = page(learner.post("/learn/lessons/basics-one/done", data={"csrf_token": token()}, follow_redirects=True))
    started = learner.post("/learn/quizzes/quiz-basics/start", data={"csrf_token": token()})
    attempt = urlsplit(started.headers["Location"]).path
    problems["save answers"] = page(learner.post(attempt, data={"csrf_token": token(attempt), "action": "save"}, follow_redirects=True))
    # the form's values are the attempt's tokens, not the option ids: answer with the first one offered
    choice = lxml.html.fromstring(learner.get(attempt).get_data(as_text=True)).xpath("//input[@name='q-q-basics-blind']/@value")[0]
    problems["submit"] = page(learner.post(attempt, data={"csrf_token": token(attempt), "action": "submit",
                                                         "q-q-basics-blind": choice}, follow_redirects=True))
    problems["plan errors"] = page(learner.post("/learn/pilot/plan", data={"csrf_token": token("/learn/pilot/plan"), "action": "submit"},
                                                follow_redirects=True))
    fields = {name: "42" for name in ("organisation", "change", "serves", "actions", "indicators", "timeline", "support", "safety")}
    problems["plan saved"] = page(learner.post("/learn/pilot/plan", data={"csrf_token": token("/learn/pilot/plan"), "action": "submit",
                                                                          **fields}, follow_redirects=True))
    problems["log"] = page(learner.post("/learn/pilot/log", data={"csrf_token": token("/learn/pilot/log"), "entry_date": "2026-01-05",
                                                                   "did": "42"}, follow_redirects=True))
    problems.update(crawl(learner, ["/learn/", "/learn/journey", "/learn/pilot/log", "/learn/certificates", "/learn/glossary",
                                    "/learn/modules/basics/download"], allowed))

    # Pages that need data: a trainer's comment (the learner's notification, the comments and the reply form), a
    # reset link shown once (no mail server in tests), the account pages.
    trainer = app.test_client()
    login(trainer, "trainer")
    learner_id = user_id(app, "tsp")
    problems["comment"] = page(trainer.post(f"/trainer/learners/{learner_id}/comments",
                                            data={"csrf_token": csrf_token(trainer, "/trainer/"), "target": "plan", "body": "42"},
                                            follow_redirects=True))
    problems.update(crawl(learner, ["/learn/", "/learn/pilot/plan", "/account", "/account/password"], allowed))
    admin = app.test_client()
    login(admin, "admin")
    problems["reset link"] = page(admin.post(f"/admin/people/{learner_id}/link", data={"csrf_token": csrf_token(admin, "/admin/"),
                                                                                      "purpose": "reset"}, follow_redirects=True))

    for who, starts in (("trainer", ["/trainer/"]), ("admin", ["/admin/", "/admin/certificates"])):
        client = app.test_client()
        login(client, who)
        problems.update(crawl(client, starts, allowed))
    problems = {url: found for url, found in problems.items() if found}
    assert not problems, "English text not marked for translation:\n" + "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_the_check_finds_an_unmarked_string(make_app, course_dir, pseudo_dir):
    """The detector itself: an English sentence outside the catalog is reported."""
    app = make_app(course_dir, BABEL_TRANSLATION_DIRECTORIES=f"{TRANSLATIONS};{pseudo_dir}", LANGUAGES=f"en,{PSEUDO}")
    allowed = allowed_texts(app)
    assert leftovers("<html><body><p>⟦Log in⟧</p><p>Rina Akter</p></body></html>", allowed) == []
    assert leftovers("<html><body><p>⟦Log in⟧ Forgot it?</p></body></html>", allowed) == ["Forgot it?"]
    assert leftovers('<html><body><button aria-label="Close">x</button></body></html>', allowed) == ["Close"]
