"""A bare WSGI app for the gunicorn run in test_secrets_in_logs.py: 404 for every path, 500 for /…/boom…."""


def application(environ, start_response):
    if "boom" in environ["PATH_INFO"]:
        raise RuntimeError("the application failed")
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not here"]
