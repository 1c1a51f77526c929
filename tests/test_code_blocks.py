"""A fenced code block is code both to ``printjournal check`` and on paper.

The check skips fenced lines (a ``# line`` or ``[@x]`` in code is not a heading or a
citation); Markdown must then print them as code too, not as a level-one heading that the
sanitiser drops, leaving bare text, or as a citation.
"""

from __future__ import annotations

from printjournal.checks.check import check
from printjournal.load import content
from printjournal.markup import body as markup

FENCED = """\
---
title: "Code"
section: "S"
date: 2026-01-01
---
Before.

```
# not a heading
[@not-a-source] <script>x</script>
```

~~~
tilde fence
~~~

After.
"""


def test_a_fenced_block_is_checked_and_printed_as_code(tmp_project):
    path = tmp_project.article("code", FENCED)
    project = tmp_project.project()
    assert [str(p) for p in check(project)] == []
    html = markup.to_html(content.load_article(path, project), project).html
    assert ("<pre><code># not a heading\n[@not-a-source] &lt;script&gt;x&lt;/script&gt;\n"
            "</code></pre>") in html
    assert "<pre><code>tilde fence\n</code></pre>" in html
    assert "<h1" not in html and "```" not in html and "~~~" not in html
