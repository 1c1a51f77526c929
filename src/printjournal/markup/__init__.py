"""The markup stage: an article's Markdown in; sanitised HTML (model.py's ``Body``) out,
with its citations, footnotes and links made for paper. It imports the load stage
(``content``'s patterns and lines), never the template or render stage.

    body        an Article          → its ``Body``: Python-Markdown, then nh3 (``to_html``,
                                      ``sanitise``, ``web_links``)
    structure   a body's lines      → its block structure: fences, nesting, callouts
                                      (indentation made Python-Markdown's; too deep refused)
    links       links in a body     → where they lead on paper; problems and warnings
    figures     an article's figures → captions without typed numbers; repeated titles warned
    notes       footnote calls      → descriptions a screen reader speaks ("source 5: …")
    keep        the HTML tree       → footnote calls, phone numbers, doses, dates held
                                      together
    breaks      addresses, DOIs     → the places a line may break in them
    typography  text + language     → quotes, dashes, apostrophes as a typesetter sets them
    makeup      text                → marked to break only where a reader expects (also
                                      the layouts' Jinja filters, template/layouts.py)

Nothing is imported here: ``from printjournal.markup import body``.
"""

__all__ = ["body", "breaks", "figures", "keep", "links", "makeup", "notes", "structure",
           "typography"]
