"""One module per URL; each registers itself with dash.register_page."""
