"""printjournal.toml, front matter and manifests in; validated frozen values out."""
