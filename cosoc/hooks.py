"""What the COSOC adds to shared pages: "open now", what's new, search and sitemap (each asks permissions)."""
