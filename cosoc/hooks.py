"""What the COSOC adds to shared pages: "open now", what's new, search and sitemap (each asks permissions)."""

from cosoc.elections import hooks as election_hooks  # noqa: E402, F401  (elections: dashboard, admin, task)
