"""Plain language and governance, as `printjournal check` reports them: warnings at the
line of the sentence, limits per product from printjournal.toml, --strict, bad config."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from printjournal import pipeline as build
from printjournal.checks import plainlanguage, readability
from printjournal.checks.check import check as check_project
from printjournal.checks.gradestore import GradeStore
from printjournal.errors import ConfigError, ContentError, Notices
from printjournal.load import content
from printjournal.site import build as site

from .test_cli import run
from .test_translations import GERMAN, ORIGINAL

HEAD = "---\ntitle: Plain\nsection: s\ndate: 2026-01-01\n{extra}---\n"
SHORT = "We walk each day. It helps the heart. "
LONG = ("When you have been told by a doctor or a nurse that your blood pressure is high "
        "you may want to know what you can change at home to bring it down again. ")


def article(tmp_project, body, extra="", slug="plain"):
    tmp_project.article(slug, HEAD.format(extra=extra) + body)
    return tmp_project.project()


def warnings(project, product="article"):
    notices = Notices()
    articles, problems = content.load_articles(project)
    assert problems == []
    assert plainlanguage.check(articles, project, product, notices) == []
    return [str(n) for n in notices.found]


def test_long_sentences_are_warned_at_their_lines_when_too_many(tmp_project):
    # 16 short sentences, long ones (33 words) on lines 8 and 10: 2 of 18 = 11%
    project = article(tmp_project, SHORT * 4 + "\n\n" + LONG + "\n\n" + LONG + "\n\n"
                      + SHORT * 4 + "\n")
    found = warnings(project)
    assert found == [
        f"content/articles/plain.md:{line}: warning: a sentence of 33 words ('When you have "
        "been told by ...'): 11% of this article's sentences are over 25 words, at most 10% "
        "for articles: split it" for line in (8, 10)]


def test_a_few_long_sentences_pass_and_leaflets_are_stricter(tmp_project):
    # one long sentence among 13 (8%) passes for an article; a leaflet allows 5% over 20
    project = article(tmp_project, SHORT * 3 + "\n\n" + LONG + "\n\n" + SHORT * 3 + "\n")
    assert warnings(project) == []
    found = warnings(project, "leaflet")
    assert len(found) == 1 and found[0].startswith("content/articles/plain.md:8: warning: "
                                                   "a sentence of 33 words")
    assert "at most 5% for leaflets" in found[0]


def test_jargon_from_the_project_list_with_its_line(tmp_project):
    tmp_project.write("content/plain-words.toml", """\
        hypertension = "high blood pressure"
        "myocardial infarction" = "heart attack"
        [de]
        Hypertonie = "Bluthochdruck"
        """)
    project = article(tmp_project, "Your Hypertension can be treated.\n\n"
                      "A myocardial\ninfarction is serious. `hypertension` in code is not "
                      "read.\n\n```\nhypertension\n```\nHypertonie is German.\n")
    assert warnings(project) == [
        "content/articles/plain.md:6: warning: 'Hypertension' is jargon: say 'high blood "
        "pressure' (content/plain-words.toml)",
        "content/articles/plain.md:8: warning: 'myocardial infarction' is jargon: say 'heart "
        "attack' (content/plain-words.toml)"]

    # a leaflet (made at the desk by staff who cannot rewrite it): one jargon warning
    assert warnings(project, "leaflet") == [
        "content/articles/plain.md:6: warning: jargon: 'Hypertension' (say 'high blood "
        "pressure'), 'myocardial infarction' (say 'heart attack') (content/plain-words.toml)"]


def test_a_leaflet_gets_one_warning_for_its_long_sentences(tmp_project):
    # the article warns at each long sentence; a leaflet once, at the first, with the count
    project = article(tmp_project, SHORT * 4 + "\n\n" + LONG + "\n\n" + LONG + "\n\n"
                      + SHORT * 4 + "\n")
    assert len(warnings(project)) == 2
    assert warnings(project, "leaflet") == [
        "content/articles/plain.md:8: warning: 2 sentences over 20 words, the first of 33 "
        "('When you have been told by ...'): 11% of this article's sentences are over 20 "
        "words, at most 5% for leaflets: split them"]


def test_a_bad_plain_words_file_is_a_problem_at_its_line(tmp_project):
    tmp_project.write("content/plain-words.toml", 'efficacy = "how well it works"\n'
                      'comorbidity = 3\n')
    project = article(tmp_project, SHORT)
    problems = check_project(project)
    assert [str(p) for p in problems] == [
        "content/plain-words.toml:2: 'comorbidity' needs its plainer words in quotes: "
        'comorbidity = "..."']


HARD = ("Pharmacological antihypertensive interventions necessitate individualised "
        "consideration of comorbidities, contraindications and polypharmacy. ")
EASY = "Take your pill each day. Walk a bit more. Eat less salt. Sleep well at night. "


def test_reading_grade_above_the_limit_points_at_the_hardest_paragraph(tmp_project):
    project = article(tmp_project, (EASY * 3 + "\n\n") * 2 + HARD * 8 + "\n\n" + EASY * 3)
    found = [w for w in warnings(project) if "reading grade" in w]
    assert len(found) == 1
    assert found[0].startswith("content/articles/plain.md:10: warning: reading grade ")
    assert "(Flesch–Kincaid grade) is above 8, the limit for articles" in found[0]
    grade = float(found[0].split("reading grade ")[1].split()[0])
    assert grade > 8


def test_plain_prose_and_short_articles_get_no_grade(tmp_project):
    project = article(tmp_project, (EASY * 3 + "\n\n") * 4)
    reading = readability.measure(content.load_articles(project)[0][0])
    assert reading.words >= readability.MIN_WORDS and reading.grade < 4
    assert warnings(project) == []
    project = article(tmp_project, HARD)          # too few words for a formula
    assert readability.measure(content.load_articles(project)[0][0]).grade is None


@pytest.mark.parametrize(("lang", "formula", "graded"), [
    ("de-DE", "Wiener Sachtextformel", True),
    ("fr", "Flesch reading ease (Kandel–Moles)", True),
    ("ar", "Osman", False),
    ("pl", "", False),
])
def test_each_language_has_its_formula_or_none(tmp_project, lang, formula, graded):
    words = {"de-DE": "Wir gehen jeden Tag spazieren. Das hilft dem Herzen. ",
             "fr": "Nous marchons chaque jour. Cela aide le cœur. ",
             "ar": "نمشي كل يوم. هذا يساعد القلب. ",
             "pl": "Chodzimy codziennie. To pomaga sercu. "}[lang]
    project = article(tmp_project, words * 30, extra=f"lang: {lang}\n")
    reading = readability.measure(content.load_articles(project)[0][0])
    assert reading.formula == formula
    assert (reading.grade is not None) is graded
    assert (reading.score is not None) is bool(formula)


SENTENCES = tomllib.loads((Path(__file__).parent / "corpus" / "sentences.toml")
                          .read_text(encoding="utf-8"))


@pytest.mark.parametrize(("lang", "expected"), [
    (lang, case) for lang, cases in SENTENCES.items() for case in cases])
def test_abbreviations_decimals_and_titles_end_no_sentence(lang, expected):
    # tests/corpus/sentences.toml: each paragraph and the sentences it must be cut into
    paragraph = readability.Paragraph(" ".join(expected) + " ", ((0, 7),))
    assert [s.text for s in paragraph.sentences(lang)] == expected


def test_a_long_sentence_with_abbreviations_is_warned_whole(tmp_project):
    # 31 words with "e.g.", "Dr." and "2.5" in them: one long sentence, at its line
    tricky = ("Your nurse, e.g. the one who sees you on the ward, or Dr. Patel can change "
              "the dose from 2.5 mg to a lower one if you feel dizzy after it. ")
    project = article(tmp_project, SHORT * 2 + "\n\n" + tricky + "\n\n" + SHORT * 2)
    assert warnings(project) == [
        "content/articles/plain.md:8: warning: a sentence of 31 words ('Your nurse, e.g. "
        "the one who ...'): 11% of this article's sentences are over 25 words, at most 10% "
        "for articles: split it"]


def test_the_grade_counts_the_same_sentences(tmp_project):
    # full stops inside a sentence ("e.g.", "Dr.", "2.5") do not make it shorter to the
    # formula: the grade is that of the same text without them
    with_stops = ("Eat fruit, e.g. apples, and ask Dr. Patel about 2.5 mg doses. " * 12
                  + "\n\n" + EASY * 3)
    without = with_stops.replace("e.g.", "eg").replace("Dr.", "Dr").replace("2.5", "25")
    grades = [readability.measure(content.load_articles(article(tmp_project, text))[0][0])
              for text in (with_stops, without)]
    assert grades[0].grade is not None and grades[0].grade == grades[1].grade
    assert len(grades[0].sentences) == len(grades[1].sentences) == 24


def test_limits_come_from_printjournal_toml(tmp_project):
    with (tmp_project.root / "printjournal.toml").open("a") as toml:
        toml.write("\n[plain_language.article]\nsentence_words = 40\n")
    project = article(tmp_project, SHORT * 4 + "\n\n" + LONG + "\n\n" + LONG + "\n")
    assert warnings(project) == []


def test_bad_limits_are_reported_together_with_their_lines(tmp_project):
    with (tmp_project.root / "printjournal.toml").open("a") as toml:
        toml.write('\n[plain_language.leaflet]\nmax_grade = "six"\nsentense_words = 20\n'
                   '\n[plain_language.poster]\n\n[governance]\nrequire = ["owner", "logo"]\n')
    with pytest.raises(ConfigError) as caught:
        tmp_project.project()
    assert [str(p).removeprefix(f"{tmp_project.root}/") for p in caught.value.problems] == [
        "printjournal.toml:7: 'max_grade' in [plain_language.leaflet] must be a number from "
        "1 to 20",
        "printjournal.toml:8: unknown key 'sentense_words' in [plain_language.leaflet]",
        "printjournal.toml:10: unknown table [plain_language.poster] (known: article, leaflet)",
        "printjournal.toml:13: 'require' in [governance] must be a list of \"owner\", "
        "\"review\", \"sources\", \"feedback\""]


def test_strict_check_makes_plain_language_warnings_errors(tmp_project):
    article(tmp_project, SHORT * 4 + "\n\n" + LONG + "\n\n" + LONG + "\n")
    result = run("check", cwd=tmp_project.root)
    assert result.returncode == 0 and "2 warning(s)" in result.stdout
    result = run("check", "--strict", cwd=tmp_project.root)
    assert result.returncode == 1
    assert "content/articles/plain.md:8: a sentence of 33 words" in result.stderr
    assert "(a warning; --strict makes it an error)" in result.stderr


GOVERNED = '[governance]\nrequire = ["owner", "review", "sources", "feedback"]\n'


def test_required_governance_elements_missing_at_their_lines(tmp_project, problems_of):
    with (tmp_project.root / "printjournal.toml").open("a") as toml:
        toml.write("\n" + GOVERNED)
    assert problems_of(HEAD.format(extra="sources: []\n") + SHORT) == [
        "content/articles/bad.md:2: 'feedback' is required (printjournal.toml [governance] "
        "requires a feedback line): add feedback: \"Tell us what you think: ...\"",
        "content/articles/bad.md:2: 'review' is required (printjournal.toml [governance] "
        "requires review dates): add review: {version: \"1.0\", reviewed: YYYY-MM-DD, "
        "next_review: YYYY-MM-DD, owner: \"...\"}",
        "content/articles/bad.md:2: 'review.owner' is required (printjournal.toml "
        "[governance] requires a named owner): add review: {..., owner: \"Dr A. Example\"}",
        "content/articles/bad.md:5: at least one source is required (printjournal.toml "
        "[governance] requires sources): list them under 'sources:'"]
    complete = ('feedback: "Tell us: 0117 496 0000"\nsources: [{id: a, text: A, url: '
                '"https://a.example"}]\nreview: {version: "1", reviewed: 2026-01-01, '
                'next_review: 2027-01-01, owner: "Dr A"}\n')
    assert problems_of(HEAD.format(extra=complete) + SHORT + "[@a]\n") == []


def test_without_governance_settings_nothing_is_required(problems_of):
    assert problems_of(HEAD.format(extra="") + SHORT) == []


CHECK_TWICE = """\
import sys
from pathlib import Path
from printjournal.load import config, content
from printjournal.checks import plainlanguage
from printjournal.errors import Notices
project = config.load_project(Path(sys.argv[1]))
notices = Notices()
plainlanguage.check(content.load_articles(project)[0], project, "leaflet", notices)
print(sorted(m for m in ("textstat", "nltk") if m in sys.modules))
print(*notices.found, sep="\\n")
"""


def test_stored_grades_spare_textstat_and_nltk(tmp_project):
    # a cached leaflet must not pay for textstat's import (nltk with it) on every print
    article(tmp_project, (HARD * 4 + "\n\n") * 3)
    runs = [subprocess.run([sys.executable, "-c", CHECK_TWICE, str(tmp_project.root)],
                           capture_output=True, text=True, timeout=120) for _ in range(2)]
    first, again = (r.stdout.splitlines() for r in runs)
    assert first[0] == "['nltk', 'textstat']" and again[0] == "[]", runs
    assert first[1:] == again[1:] and "reading grade" in first[1]


def test_a_changed_article_is_measured_again(tmp_project):
    project = article(tmp_project, (HARD * 4 + "\n\n") * 3)
    store = GradeStore.for_project(project)
    hard = readability.measure(content.load_articles(project)[0][0], store)
    assert list(store.folder.rglob("*.json"))
    project = article(tmp_project, (EASY * 4 + "\n\n") * 3)
    easy = readability.measure(content.load_articles(project)[0][0], store)
    assert hard.grade > 8 > easy.grade
    assert len(list(store.folder.rglob("*.json"))) == 2


def test_a_damaged_or_unwritable_grade_store_is_a_miss(tmp_project):
    project = article(tmp_project, (HARD * 4 + "\n\n") * 3)
    store = GradeStore.for_project(project)
    loaded = content.load_articles(project)[0][0]
    measured = readability.measure(loaded, store)
    for entry in store.folder.rglob("*.json"):
        entry.write_text('["not", "a grade"')
    assert readability.measure(loaded, store) == measured
    shutil.rmtree(store.folder)
    store.folder.write_text("a file in the way")   # cannot be written: no error
    assert readability.measure(loaded, store) == measured


STRICT = " (a warning; --strict makes it an error)"
LONG_DE = ("Wenn Ihnen eine Ärztin oder ein Arzt gesagt hat, dass Ihr Blutdruck zu hoch "
           "ist, möchten Sie vielleicht wissen, was Sie zu Hause selbst tun können, um ihn "
           "wieder zu senken. ")


@pytest.fixture
def judged(tmp_project):
    """An original, and a stale translation of it with long sentences: what check says of
    them (four warnings, all of the translation: its language has no disclaimer of its
    own, it is stale, two sentences are long)."""
    tmp_project.article("hands", ORIGINAL.format(version="1.1"))
    tmp_project.article("haende", GERMAN + "\n" + LONG_DE + "\n\n" + LONG_DE + "\n\n"
                        + "Gehen Sie jeden Tag. Das hilft dem Herzen.\n")
    notices = Notices()
    assert check_project(tmp_project.project(), None, notices) == []
    checked = [str(n) for n in notices.found]
    assert [w.split(": warning: ")[1][:20] for w in checked] == [
        "no disclaimer in 'de", "stale translation: t", "a sentence of 31 wor",
        "a sentence of 31 wor"]
    return tmp_project, checked


def test_article_warns_as_check_does_and_strict_writes_nothing(judged):
    project, checked = judged
    result = run("article", "content/articles/haende.md", cwd=project.root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == checked
    assert (project.root / "dist/articles/haende.pdf").is_file()
    loaded = project.project()
    with pytest.raises(ContentError) as caught:
        build.build_article(build.Pipeline.load(loaded), loaded.articles_dir / "haende.md",
                            project.root / "strict.pdf", Notices(strict=True))
    assert [str(p) for p in caught.value.problems] == [
        w.replace(" warning:", "") + STRICT for w in checked]
    assert not (project.root / "strict.pdf").exists()


def test_build_warns_as_check_does_and_strict_withholds(judged):
    project, checked = judged
    summary = site.build_site(project.project(), project.root / "dist", jobs=1)
    assert [str(w) for w in summary.warnings] == checked
    assert {d.path for d in summary.downloads} >= {"articles/haende.pdf", "articles/hands.pdf"}
    summary = site.build_site(project.project(), project.root / "strict", jobs=1,
                              notices=Notices(strict=True))
    assert [str(p) for p in summary.problems] == [w.replace(" warning:", "") + STRICT
                                                  for w in checked]
    assert not (project.root / "strict/articles/haende.pdf").exists()
    assert (project.root / "strict/articles/hands.pdf").is_file()
