"""Interface languages: Flask-Babel set-up, the locale choice, and the language menu's routes."""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from flask import Blueprint, Flask, abort, current_app, g, has_request_context, redirect, request, session, url_for
from flask_babel import Babel, format_date, format_decimal, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.config import ConfigError
from lms.content import translations
from lms.content.model import Course, CourseInvalid
from lms.web.access import public
from lms.web.messages import COHORT_STATUS_LABELS, NOTIFY_LABELS, QUEUE_LABELS, known_wording, notification_text

DEFAULT_LANGUAGES = "en,bn,hi,km,fil"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# Browsers may still send the older code for Filipino.
ALIASES = {"tl": "fil"}

bp = Blueprint("i18n", __name__)

# Status words come from the learning layer (which knows no Flask); they are shown through these labels.
STATUS_LABELS = {
    "passed": _l("passed"), "completed": _l("completed"), "failed": _l("failed"), "incomplete": _l("incomplete"),
    "browsed": _l("browsed"), "not attempted": _l("not attempted"), "not started": _l("not started"),
    "in progress": _l("in progress"), "not open": _l("not open"), "open": _l("open"), "locked": _l("locked"),
    "valid": _l("valid"), "revoked": _l("revoked"), "superseded": _l("replaced"),
}


CERT_LABELS = {"core": _l("Core training completed"), "refresher": _l("Refresher training completed")}
ROLE_LABELS = {"tsp": _l("TSP (learner)"), "trainer": _l("Trainer"), "admin": _l("Administrator")}

# Texts that other layers hand to the templates in English (pilot form fields, item-statistics flags), marked
# here so `make translations` extracts them; the templates show them through `_()`.
EXTRA_TEXTS = (
    _l("Organisation"), _l("The organisation where you will run the pilot, and your role there."),
    _l("The change to pilot"), _l("What you will change to make the programme more gender-inclusive or female-friendly."),
    _l("Who it serves"), _l("Which women (and partners) the change is for, and how many you hope to reach."),
    _l("Actions"), _l("The steps you will take, and who will take each one."),
    _l("Indicators"), _l("How you will know it works: indicators split by sex, with a starting value if you have one."),
    _l("Timeline"), _l("When each action happens over the six months."),
    _l("Support needed"), _l("What help you need from your trainer, peers or managers."),
    _l("Safety and legal risk"), _l("How the change could put women or staff at risk (violence, police, arrest, being "
                                    "identified), what the law in your country allows, and how your plan lowers those risks."),
    _l("Progress"), _l("What you did, compared with your plan."),
    _l("Results against your indicators"), _l("For each indicator in your plan: where it started and where it is now."),
    _l("Challenges"), _l("What got in the way."),
    _l("What helped"), _l("People, tools or decisions that made a difference."),
    _l("Next steps"), _l("What you will do next, and what support you need."),
    _l("check: negative discrimination"), _l("too hard"), _l("too easy"), _l("low discrimination"),
)

# The pilot tools (lms/learning/pilot.py, no Flask) word their field errors in English; these patterns give
# them back in the reader's language. A new wording there shows up in English until added here (the
# pseudo-language test finds it).
FIELD_ERRORS = (
    (re.compile(r"^Fill in “(?P<label>.+)” before submitting\.$"), _l("Fill in “%(label)s” before submitting.")),
    (re.compile(r"^(?P<label>.+) is too long \(at most (?P<count>\d+) characters\)\.$"), _l("%(label)s is too long (at most %(count)s characters).")),
    (re.compile(r"^(?P<label>.+) is too long\.$"), _l("%(label)s is too long.")),
    (re.compile(r"^Give the date as YYYY-MM-DD\.$"), _l("Give the date as YYYY-MM-DD.")),
    (re.compile(r"^The date cannot be in the future\.$"), _l("The date cannot be in the future.")),
    (re.compile(r"^Write at least what you did\.$"), _l("Write at least what you did.")),
)


def field_error(text: str) -> str:
    return known_wording(text, FIELD_ERRORS, translate_values=("label",))


def languages(app: Flask | None = None) -> list[str]:
    return (app or current_app).config["LANGUAGES"]


@functools.lru_cache(maxsize=64)
def language_name(code: str) -> str:
    """The language's name in itself, so a reader finds her language whatever the page is in."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def _offered(code: str | None) -> str | None:
    code = ALIASES.get(code or "", code)
    return code if code in languages() else None


def select_locale() -> str:
    """The account's language, else the one chosen in this session, else the browser's, else English."""
    if not has_request_context():  # a CLI command or a background job: the course's language
        return "en" if "en" in languages() else languages()[0]
    if "lms_locale" in g:
        return g.lms_locale
    chosen = None
    if current_user and getattr(current_user, "is_authenticated", False):
        chosen = _offered(getattr(current_user, "language", None))
    chosen = chosen or _offered(session.get("language"))
    if not chosen:
        wanted = [(ALIASES.get(lang.split("-")[0], lang), q) for lang, q in request.accept_languages]
        for lang, _q in wanted:
            chosen = _offered(lang) or _offered(lang.split("-")[0])
            if chosen:
                break
    g.lms_locale = chosen or ("en" if "en" in languages() else languages()[0])
    return g.lms_locale


def current_language() -> str:
    return str(get_locale() or "en").replace("_", "-")


def text_direction() -> str:
    locale = get_locale()
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def course_for(language: str | None = None) -> Course:
    """The course as the reader sees it: in `language` (default: the page's) where translated, else English."""
    translation = current_app.extensions["lms.translations"].get(language or current_language())
    return translation.course if translation else current_app.extensions["lms.course"]


def translation_status(source: str, language: str | None = None) -> str | None:
    """None on English pages; else missing (shown in English), draft, outdated or reviewed."""
    language = language or current_language()
    if language == current_app.extensions["lms.course"].language:
        return None
    translation = current_app.extensions["lms.translations"].get(language)
    return translation.status_of(source) if translation else "missing"


def content_lang(source: str) -> str:
    """The `lang` of a page's course text where it differs from the interface's (English shown as a fallback)."""
    return current_app.extensions["lms.course"].language if translation_status(source) == "missing" else ""


def _english() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "en"


def long_date(value) -> str:
    """A date as the reader writes it; English keeps the course's "5 January 2026" (not the US order)."""
    return format_date(value, "d MMMM y" if _english() else "long") if value else ""


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an absolute URL someone planted in a link."""
    if not target:
        return url_for("auth.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("auth.index")
    return target


@bp.get("/language/<code>")
@public
def choose(code: str):
    """Remember a language for this browser session (a plain link: works before login and without JavaScript)."""
    language = _offered(code)
    if language is None:
        abort(404)
    session["language"] = language
    return redirect(safe_next(request.args.get("next")))


@bp.post("/language")
@public
def choose_for_account():
    """A signed-in user's choice, kept on the account so it follows her to other devices."""
    from lms.db.session import get_session

    language = _offered(request.form.get("language"))
    if language is None:
        abort(400)
    session["language"] = language
    if current_user.is_authenticated:  # the user row is attached to the request's session by the user loader
        current_user.language = language
        get_session().commit()
    return redirect(safe_next(request.form.get("next")))


def _check(app: Flask) -> None:
    raw = app.config.get("LANGUAGES") or os.environ.get("LMS_LANGUAGES") or DEFAULT_LANGUAGES
    codes = [c.strip() for c in raw.split(",") if c.strip()] if isinstance(raw, str) else list(raw)
    dirs = [Path(d) for d in str(app.config["BABEL_TRANSLATION_DIRECTORIES"]).split(";")]
    for code in codes:
        try:
            Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            raise ConfigError(f"LMS_LANGUAGES: {code!r} is not a language code Babel knows (for example bn, hi, km, fil)") from None
        if code != "en" and not any((d / code / "LC_MESSAGES" / "messages.mo").is_file() for d in dirs):
            raise ConfigError(f"LMS_LANGUAGES: no compiled catalog for {code!r} in lms/translations (run `make translations`)")
    if not codes:
        raise ConfigError("LMS_LANGUAGES: name at least one language")
    app.config["LANGUAGES"] = codes


def _load_translations(app: Flask) -> None:
    """Each offered language's course; a translation with errors stops the start, as an invalid course does."""
    english = app.extensions["lms.course"]
    found, problems = translations.load_all(english, [code for code in languages(app) if code != english.language])
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise CourseInvalid(errors)
    app.extensions["lms.translations"] = found


def _page_translations():
    """The translations of this request's language, looked up once per request (templates ask for dozens)."""
    if not has_request_context():
        return get_translations()
    found = request.environ.get("lms.translations")
    if found is None:
        found = request.environ["lms.translations"] = get_translations()
    return found


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    _check(app)
    _load_translations(app)
    Babel(app, locale_selector=select_locale)
    # Flask-Babel looks the translations up again for every string; a page has dozens, so the request keeps them.
    # (install_gettext_callables is added to the environment by the i18n extension that Babel just enabled.)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _page_translations().ugettext(s),
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n),
    )
    app.register_blueprint(bp)

    @app.template_filter("date")
    def date_filter(value) -> str:
        return long_date(value)

    @app.template_filter("short_date")
    def short_date_filter(value) -> str:
        return format_date(value, "d MMM y" if _english() else "medium") if value else ""

    @app.template_filter("number")
    def number_filter(value, digits: int = 0) -> str:
        if value is None:
            return ""
        return format_decimal(round(value, digits))  # the locale's own grouping (12,34,567 in India)

    app.add_template_filter(field_error, "field_error")
    app.add_template_filter(notification_text, "notification_text")

    @app.after_request
    def vary_by_language(response):
        if response.mimetype == "text/html":  # a shared cache must not give one reader's language to another
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response

    @app.template_filter("status_label")
    def status_label(status: str) -> str:
        label = STATUS_LABELS.get(status)
        return str(label) if label is not None else status

    @app.context_processor
    def language_globals():
        return {"html_lang": current_language(), "text_dir": text_direction(), "language_name": language_name,
                "offered_languages": languages(), "translation_status": translation_status, "content_lang": content_lang,
                "cert_labels": CERT_LABELS, "role_labels": ROLE_LABELS, "cohort_status_labels": COHORT_STATUS_LABELS,
                "queue_labels": QUEUE_LABELS, "notify_labels": NOTIFY_LABELS}
