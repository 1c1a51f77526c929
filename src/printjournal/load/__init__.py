"""The load stage: printjournal.toml, front matter and issue manifests in; validated
frozen values (model.py's ``Project``, ``Article``) out, every problem at its line.
The first stage: it imports no later stage's package, except that ``content`` checks an
article at load with four leaves of later stages (markup/structure.py's nesting,
markup/typography.py for the title, render/fonts.py's coverage, render/images.py's SVG
limits), so ``printjournal check`` and every render refuse the same things.

    config      printjournal.toml  → ``Project`` (``load_project``, ``find_root``): each
                                     table's keys declared once, read by ``schema``
    content     content/ files     → validated ``Article`` values (``load_article``,
                                     ``load_articles``, ``body_lines``)
    schema      declared keys +    → the checked values and the dataclass built from them
                parsed values
    yamlkeys    (declarations)     → the keys of front matter, issue notes and manifests
    yamlsource  YAML text          → values and their lines (``load_yaml``); anchors,
                                     aliases, tags and deep nesting refused
    yamlwords   a YAML mistake     → plain words at the line to change
    fields      parsed YAML        → typed, length-checked values (``Fields``)

Nothing is imported here: ``from printjournal.load import content``.
"""

__all__ = ["config", "content", "fields", "schema", "yamlkeys", "yamlsource", "yamlwords"]
