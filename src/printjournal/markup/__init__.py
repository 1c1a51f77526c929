"""An article's Markdown in; sanitised HTML (a Body) out."""
