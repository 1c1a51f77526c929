"""An Article and its Body in; an HTML document through layouts/ out."""
