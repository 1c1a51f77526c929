"""HTML in; PDF bytes out, laid out by WeasyPrint and checked."""
