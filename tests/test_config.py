"""printjournal.toml: found by looking upward, every problem reported together."""

from __future__ import annotations

import textwrap

import pytest

from printjournal.errors import ConfigError
from printjournal.load import config


def write(tmp_path, text: str):
    (tmp_path / "printjournal.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def problems_of(root) -> list[str]:
    """Every problem loading the project at ``root`` finds, as printed."""
    with pytest.raises(ConfigError) as caught:
        config.load_project(root)
    return [str(p) for p in caught.value.problems]


def test_found_by_looking_upward(tmp_project):
    deep = tmp_project.root / "content" / "articles"
    assert config.find_root(deep) == tmp_project.root.resolve()


def test_missing_everywhere_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match=r"no printjournal\.toml here or in any folder above"):
        config.find_root(tmp_path)


def test_defaults(tmp_project):
    journal = tmp_project.project().journal
    assert (journal.paper, journal.lang) == ("A4", "en-GB")
    assert journal.disclaimer == "For general information and education only — " \
                                 "not medical advice."


def test_every_problem_reported_together_with_its_line(tmp_path):
    write(tmp_path, """\
        [journal]
        name = "J"
        base_url = "cureon.example"
        paper = "A3"
        lang = "english please"
        colour = "teal"

        [extras]
        x = 1
        """)
    path = tmp_path / "printjournal.toml"
    assert problems_of(tmp_path) == [
        f"{path}:1: 'publisher' is required",
        f"{path}:3: 'base_url' must start with http:// or https://",
        f"{path}:4: 'paper' must be one of A4, A5, Letter",
        f"{path}:5: 'lang' is not a language tag like en-GB: 'english please'",
        f"{path}:6: unknown key 'colour' in [journal]",
        f"{path}:8: unknown section [extras]",
    ]


def test_toml_syntax_error_names_the_line(tmp_path):
    write(tmp_path, '[journal]\nname = "J"\npublisher = \n')
    with pytest.raises(ConfigError, match=r"printjournal.toml:3: TOML"):
        config.load_project(tmp_path)


def test_disclaimer_per_language(tmp_path):
    write(tmp_path, """\
        [journal]
        name = "J"
        publisher = "P"
        base_url = "https://j.example/"
        disclaimer = "General information."
        [journal.disclaimers]
        de = "Allgemeine Information."
        """)
    journal = config.load_project(tmp_path).journal
    assert journal.base_url == "https://j.example"
    assert journal.disclaimer_for("de-DE") == "Allgemeine Information."
    assert journal.disclaimer_for("en-GB") == "General information."


def test_build_scheduler_is_a_dask_address_and_its_problems_have_lines(tmp_path):
    good = write(tmp_path, """\
        [journal]
        name = "J"
        publisher = "P"
        base_url = "https://p.example"

        [build]
        scheduler = "tcp://10.0.0.5:8786"
        """)
    assert config.load_project(good).build.scheduler == "tcp://10.0.0.5:8786"
    write(tmp_path, """\
        [journal]
        name = "J"
        publisher = "P"
        base_url = "https://p.example"

        [build]
        workers = 4
        scheduler = "10.0.0.5"
        """)
    path = tmp_path / "printjournal.toml"
    assert problems_of(tmp_path) == [
        f"{path}:7: unknown key 'workers' in [build]",
        f"{path}:8: 'scheduler' in [build] must be a Dask scheduler's address, "
        'such as "tcp://10.0.0.5:8786"',
    ]


def test_without_a_build_table_the_build_is_local(tmp_project):
    assert tmp_project.project().build.scheduler is None


def test_build_cache_is_a_folder_or_an_s3_address_and_its_problems_have_lines(tmp_path):
    head = '[journal]\nname = "J"\npublisher = "P"\nbase_url = "https://p.example"\n\n'
    (tmp_path / "printjournal.toml").write_text(f'{head}[build]\ncache = "s3://pj-cache/team"\n')
    assert config.load_project(tmp_path).build.cache == "s3://pj-cache/team"
    (tmp_path / "printjournal.toml").write_text(f'{head}[build]\ncache = "/mnt/shared/pj"\n')
    assert config.load_project(tmp_path).build.cache == "/mnt/shared/pj"
    path = tmp_path / "printjournal.toml"
    for value, message in [
        ('"s3://AKIA:secret@pj-cache/team"', "must not hold credentials: give them in the "
         "environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"),
        ('"gs://pj-cache/team"', 'must be a folder or an S3 address such as '
         '"s3://bucket/prefix" (a lower-case bucket name), not "gs://pj-cache/team"'),
        ('"s3://My_Bucket"', 'must be a folder or an S3 address such as '
         '"s3://bucket/prefix" (a lower-case bucket name), not "s3://My_Bucket"'),
        ('""', 'must be a folder or an address such as "s3://bucket/prefix"'),
        ("3", 'must be a folder or an address such as "s3://bucket/prefix"'),
    ]:
        # every problem of [build] is reported together, each at its own line
        path.write_text(f'{head}[build]\nscheduler = "10.0.0.5"\ncache = {value}\n')
        with pytest.raises(ConfigError) as caught:
            config.load_project(tmp_path)
        assert [str(p) for p in caught.value.problems] == [
            f"{path}:7: 'scheduler' in [build] must be a Dask scheduler's address, "
            'such as "tcp://10.0.0.5:8786"',
            f"{path}:8: 'cache' in [build] {message}"], value


def test_wrong_types_in_every_table_are_collected_with_their_lines(tmp_path):
    """Each key is declared once (schema.Option); a wrong type anywhere is a problem at
    its line, all of them together, and never a traceback."""
    write(tmp_path, """\
        [journal]
        name = 12
        publisher = "P"
        base_url = "https://p.example"
        disclaimers = ["not", "a", "table"]

        [[clinics]]
        id = "Main Street"
        name = "Main"
        address = "1 Road"
        phone = "0100"
        default = "yes"

        [print]
        ink_limit = true
        bleed_mm = "3"

        [sources]
        order = 1
        """)
    path = tmp_path / "printjournal.toml"
    assert problems_of(tmp_path) == [
        f"{path}:2: 'name' must be non-empty text",
        f"{path}:5: 'disclaimers' must map languages to text",
        f"{path}:7: exactly one clinic must have default = true",
        f"{path}:8: clinic 'id' must be lowercase letters, digits and hyphens",
        f"{path}:12: 'default' must be true or false",
        f"{path}:15: 'ink_limit' must be a whole percentage from 200 to 400",
        f"{path}:16: 'bleed_mm' must be a number of millimetres from 0 to 10",
        f"{path}:19: 'order' in [sources] must be one of \"citation\", \"list\"",
    ]
