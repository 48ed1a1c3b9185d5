"""xAPI statements: written to a file, and sent to a real LRS (Ralph) where they can be read back.

Quiz answers are in xAPI's interaction format, checked per question type; every statement of an attempt carries
that attempt's registration; sending works across several batches, a resend stores nothing new, and a conflict
(the LRS holds a different statement under the same id) is named and makes the command fail.
"""
from __future__ import annotations

import base64
import json
import urllib.request
from datetime import timedelta

import pytest
from click.testing import CliRunner

from lms.cli import cli
from tests.conftest import START
from tests.lms.quiz_helpers import question_ids_on_page, start_attempt, tokenized
from tests.lms.test_journey import complete_core
from tests.lrs import PASSWORD, USERNAME, ralph_lrs

BASE = "https://lms.example.org"
MORE_QUESTIONS = """
## Question: q-basics-tf
type: truefalse

Gender-blind services reach women as well as men.

- [ ] True {#true}
  > No.
- [x] False {#false}
  > Right.

## Question: q-basics-match
type: matching

Sort each change.

- Opening hours for mothers => quick win {#hours}
- Female outreach workers => quick win {#outreach}
- Changing the law => structural change {#law}

> Hours and outreach are quick; the law takes longer.

## Question: q-basics-order
type: ordering

Put the steps in order.

1. Assess {#assess}
2. Plan {#plan}
3. Act {#act}

> Assess, plan, act.

## Question: q-basics-word
type: text
accept: ["gender-blind", "gender blind"]

What is a programme that ignores gender called?

> Gender-blind.
"""
WRONG = {f"q-{key}": value for key, value in {  # form fields are named q-<question id>[-<item>]
    "q-basics-blind": "transformative", "q-basics-partners": ["detention"], "q-basics-tf": "true",
    "q-basics-match-hours": "law", "q-basics-match-outreach": "hours", "q-basics-match-law": "hours",
    "q-basics-order-assess": "3", "q-basics-order-plan": "1", "q-basics-order-act": "2", "q-basics-word": "Gender Aware"}.items()}


@pytest.fixture
def app(make_app, course_dir):
    quiz = course_dir / "modules" / "basics" / "quiz.md"
    quiz.write_text(quiz.read_text() + MORE_QUESTIONS)
    return make_app(course_dir)


def env_for(app, **extra) -> dict:
    return {"LMS_SECRET_KEY": "k", "LMS_DATABASE_URL": app.config["DATABASE_URL"],
            "LMS_COURSE_DIR": app.config["COURSE_DIR"], "LMS_BASE_URL": BASE, **extra}


@pytest.fixture
def activity(app, client, auth, clock):
    """A learner who fails the basics quiz with a wrong answer to every question, then completes the core."""
    auth.login()
    attempt_id = start_attempt(client, auth, "quiz-basics")
    assert len(question_ids_on_page(client, attempt_id)) == 6
    wrong = tokenized(app, attempt_id, "quiz-basics", WRONG)
    response = auth.post(f"/learn/attempts/{attempt_id}", {"action": "submit", **wrong}, page=f"/learn/attempts/{attempt_id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    clock.advance(days=2)
    complete_core(app, client, auth)
    return app


def exported(app, tmp_path, *args: str) -> list[dict]:
    out = tmp_path / "statements.json"
    result = CliRunner().invoke(cli, ["export", "xapi", "-o", str(out), *args], env=env_for(app))
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def by_verb(statements: list[dict], verb: str) -> list[dict]:
    return [s for s in statements if s["verb"]["id"] == f"http://adlnet.gov/expapi/verbs/{verb}"]


def test_statements_use_adl_verbs_and_no_contact_data(activity, tmp_path):
    statements = exported(activity, tmp_path)
    verbs = {s["verb"]["id"].rsplit("/", 1)[1] for s in statements}
    assert verbs == {"experienced", "completed", "attempted", "answered", "passed", "failed"}
    text = json.dumps(statements)
    assert "@example.org" not in text and "Rina Akter" not in text  # accounts with opaque ids only
    assert all(s["actor"]["account"]["homePage"] == BASE and s["version"] == "1.0.3" for s in statements)
    failed = next(s for s in by_verb(statements, "failed") if s["object"]["id"].endswith("/assessment/quiz-basics")
                  or "quiz-basics" in s["object"]["id"])
    assert failed["result"]["success"] is False and 0 <= failed["result"]["score"]["scaled"] < 1
    assert failed["result"]["duration"].startswith("PT")
    assert len({s["id"] for s in statements}) == len(statements)
    assert exported(activity, tmp_path) == statements  # ids are stable: exporting again gives the same statements


def answers(statements: list[dict], passed: bool) -> dict[str, dict]:
    """The answered statements of the failed (or passed) basics attempt, by question id."""
    outcome = next(s for s in by_verb(statements, "passed" if passed else "failed") if s["object"]["id"].endswith("quiz-basics"))
    registration = outcome["context"]["registration"]
    return {s["object"]["id"].rsplit("/", 1)[1]: s for s in by_verb(statements, "answered")
            if s["context"]["registration"] == registration}


def test_answers_in_the_interaction_format_per_question_type(activity, tmp_path):
    statements = exported(activity, tmp_path)
    wrong, right = answers(statements, passed=False), answers(statements, passed=True)
    assert set(wrong) == set(right) == {"q-basics-blind", "q-basics-partners", "q-basics-tf", "q-basics-match",
                                        "q-basics-order", "q-basics-word"}
    definitions = {qid: s["object"]["definition"] for qid, s in wrong.items()}
    for qid, definition in definitions.items():
        assert definition["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert qid not in definition["name"]["en"] and definition["description"]["en"]  # the question's words, not its id

    single = definitions["q-basics-blind"]
    assert single["interactionType"] == "choice" and single["correctResponsesPattern"] == ["blind"]
    assert [c["id"] for c in single["choices"]] == ["blind", "transformative"]
    assert single["choices"][0]["description"] == {"en": "Gender-blind"}
    assert (wrong["q-basics-blind"]["result"]["response"], right["q-basics-blind"]["result"]["response"]) == ("transformative", "blind")

    multiple = definitions["q-basics-partners"]
    assert multiple["interactionType"] == "choice" and multiple["correctResponsesPattern"] == ["condoms[,]iec"]
    assert right["q-basics-partners"]["result"]["response"] == "condoms[,]iec"
    assert wrong["q-basics-partners"]["result"]["response"] == "detention"

    truefalse = definitions["q-basics-tf"]
    assert truefalse["interactionType"] == "true-false" and truefalse["correctResponsesPattern"] == ["false"]
    assert "choices" not in truefalse
    assert (wrong["q-basics-tf"]["result"]["response"], right["q-basics-tf"]["result"]["response"]) == ("true", "false")

    matching = definitions["q-basics-match"]
    assert matching["interactionType"] == "matching"
    assert [s["id"] for s in matching["source"]] == ["hours", "outreach", "law"]
    assert [(t["id"], t["description"]["en"]) for t in matching["target"]] == [("hours", "quick win"), ("law", "structural change")]
    assert matching["correctResponsesPattern"] == ["hours[.]hours[,]outreach[.]hours[,]law[.]law"]
    assert right["q-basics-match"]["result"]["response"] == "hours[.]hours[,]outreach[.]hours[,]law[.]law"
    assert wrong["q-basics-match"]["result"]["response"] == "hours[.]law[,]outreach[.]hours[,]law[.]hours"

    ordering = definitions["q-basics-order"]
    assert ordering["interactionType"] == "sequencing" and ordering["correctResponsesPattern"] == ["assess[,]plan[,]act"]
    assert [c["id"] for c in ordering["choices"]] == ["assess", "plan", "act"]
    assert wrong["q-basics-order"]["result"]["response"] == "plan[,]act[,]assess"

    text = definitions["q-basics-word"]
    assert text["interactionType"] == "fill-in"
    assert text["correctResponsesPattern"] == ["{case_matters=false}gender-blind", "{case_matters=false}gender blind"]
    assert wrong["q-basics-word"]["result"]["response"] == "Gender Aware"

    for qid in wrong:
        assert wrong[qid]["result"]["success"] is False and right[qid]["result"]["success"] is True


def test_one_registration_per_attempt(activity, tmp_path):
    statements = exported(activity, tmp_path)
    attempts = by_verb(statements, "attempted")
    registrations = {s["context"]["registration"] for s in attempts}
    assert len(registrations) == len(attempts) == 3  # basics failed, basics passed, final
    for registration in registrations:
        grouped = [s for s in statements if s["context"].get("registration") == registration]
        verbs = sorted({s["verb"]["display"]["en-US"] for s in grouped})
        assert verbs[0] == "answered" and "attempted" in verbs and ({"passed", "failed"} & set(verbs))
        assert len({s["object"]["id"] for s in grouped if s["verb"]["display"]["en-US"] != "answered"}) == 1  # one quiz


def test_each_unit_with_a_quiz_gets_passed_or_failed_with_its_score(activity, tmp_path):
    statements = exported(activity, tmp_path)
    units = [s for s in by_verb(statements, "passed") + by_verb(statements, "failed") if s["object"]["id"].endswith("/course/fixture-course-core")]
    assert len(units) == 1
    assert units[0]["result"]["success"] is True and units[0]["result"]["score"]["raw"] > 0
    assert units[0]["object"]["definition"]["name"] == {"en": "Core training"}


def test_since_exports_only_what_is_new(activity, tmp_path):
    everything = exported(activity, tmp_path)
    later = exported(activity, tmp_path, "--since", (START + timedelta(days=1)).date().isoformat())
    assert later and len(later) < len(everything)
    assert not any(s["object"]["id"].endswith("quiz-basics") and s["verb"]["display"]["en-US"] == "failed" for s in later)
    assert exported(activity, tmp_path, "--since", "2999-01-01") == []
    bad = CliRunner().invoke(cli, ["export", "xapi", "--since", "last week"], env=env_for(activity))
    assert bad.exit_code != 0 and "is not a date" in bad.output


def lrs_get(endpoint: str, query: str) -> dict:
    request = urllib.request.Request(f"{endpoint}/statements?{query}", headers={
        "X-Experience-API-Version": "1.0.3",
        "Authorization": "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def lrs_post(endpoint: str, statements: list[dict]) -> int:
    request = urllib.request.Request(f"{endpoint}/statements", data=json.dumps(statements).encode(), method="POST", headers={
        "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
        "Authorization": "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def stored_ids(endpoint: str) -> list[str]:
    return sorted(s["id"] for s in lrs_get(endpoint, "limit=1000")["statements"])


def test_sent_to_a_real_lrs_in_batches_and_resending_stores_nothing_new(activity, tmp_path):
    statements = exported(activity, tmp_path)
    assert len(statements) >= 30  # several batches of 7
    env = env_for(activity, LMS_LRS_USERNAME=USERNAME, LMS_LRS_PASSWORD=PASSWORD)
    with ralph_lrs() as endpoint:
        first = CliRunner().invoke(cli, ["export", "xapi", "--lrs", endpoint, "--batch", "7"], env=env)
        assert first.exit_code == 0, first.output
        batches = -(-len(statements) // 7)
        assert f"Sent {len(statements)} statements to {endpoint} in {batches} batches: {len(statements)} new" in first.output
        assert stored_ids(endpoint) == sorted(s["id"] for s in statements)  # every batch arrived, the LRS accepted each
        kinds = set()
        for answered in by_verb(statements, "answered"):  # read back: the interaction fields each type needs
            stored = lrs_get(endpoint, f"statementId={answered['id']}")
            stored = stored["statements"][0] if "statements" in stored else stored  # Ralph wraps single statements
            definition = stored["object"]["definition"]
            kind = definition["interactionType"]
            kinds.add(kind)
            needed = {"choice": {"choices"}, "sequencing": {"choices"}, "matching": {"source", "target"}}.get(kind, set())
            for field in needed | {"interactionType", "correctResponsesPattern", "description", "name"}:
                assert definition[field] == answered["object"]["definition"][field], (kind, field)
            assert stored["result"]["response"] == answered["result"]["response"]
            assert stored["context"]["registration"] == answered["context"]["registration"]
        assert kinds == {"choice", "true-false", "matching", "sequencing", "fill-in"}

        again = CliRunner().invoke(cli, ["export", "xapi", "--lrs", endpoint, "--batch", "7"], env=env)
        assert again.exit_code == 0, again.output
        assert f"Sent {len(statements)} statements to {endpoint} in {batches} batches: 0 new, {len(statements)} already stored" in again.output
        assert stored_ids(endpoint) == sorted(s["id"] for s in statements)

        bad = CliRunner().invoke(cli, ["export", "xapi", "--lrs", endpoint],
                                 env=env_for(activity, LMS_LRS_USERNAME=USERNAME, LMS_LRS_PASSWORD="wrong"))
        assert bad.exit_code != 0 and "the LRS answered 401" in bad.output


def test_a_conflict_is_named_and_fails_the_command(activity, tmp_path):
    statements = exported(activity, tmp_path)
    target = by_verb(statements, "passed")[0]
    impostor = {**target, "result": {**target["result"], "success": False}}
    env = env_for(activity, LMS_LRS_USERNAME=USERNAME, LMS_LRS_PASSWORD=PASSWORD)
    with ralph_lrs() as endpoint:
        assert lrs_post(endpoint, [impostor]) == 200
        result = CliRunner().invoke(cli, ["export", "xapi", "--lrs", endpoint, "--batch", "10"], env=env)
        assert result.exit_code != 0
        assert f"conflict: statement {target['id']}" in result.output
        assert "1 statements conflict" in result.output
        assert f"Sent {len(statements) - 1} statements" in result.output and f"{len(statements) - 1} new" in result.output
        assert stored_ids(endpoint) == sorted(s["id"] for s in statements)  # the others all arrived
        kept = lrs_get(endpoint, f"statementId={target['id']}")
        kept = kept["statements"][0] if "statements" in kept else kept
        assert kept["result"]["success"] is False  # the LRS's statement is left as it was


def test_unreachable_lrs_is_a_clear_message(activity):
    env = env_for(activity, LMS_LRS_USERNAME="u", LMS_LRS_PASSWORD="p")
    result = CliRunner().invoke(cli, ["export", "xapi", "--lrs", "http://127.0.0.1:9/xAPI"], env=env)
    assert result.exit_code != 0 and "cannot reach the LRS" in result.output
