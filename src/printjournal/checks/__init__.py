"""The editorial checks: loaded articles in, warnings and refusals at their lines out.
``printjournal check`` (check.py) and the editor's report (report.py) run them all; the
products run the ones that decide what prints.

    check          a project       → every problem in its articles, layouts and issue
                                     manifests (``printjournal check``)
    report         a project       → the editor's report: terminal table and report.html

    governance     front matter + ``[governance] require`` → each missing element at its
                                                            line (load/content.py)
    overdue        articles + the build's day → those offered, the overdue marked or
                                                withheld (``[governance] overdue``)
    translations   articles → each translation's state against its original; stale
                              ones refused
    readability    an article's body → its prose as sentences with lines, and its grade
    gradestore     prose + language → its reading grade, kept in the render cache's
                                      folder so a cached leaflet need not import textstat
    plainlanguage  articles + limits → warnings: grade, long sentences, jargon
    editorial      articles → what would print other than meant (a language with no
                              disclaimer of its own, a rule left above the text)
"""
