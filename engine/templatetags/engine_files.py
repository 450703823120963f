"""Download links with the file's type and size next to them, so people on prepaid mobile data can decide
before downloading:

    {% load engine_files %}
    {% file_link document.get_download_url document.title document.file %}   <a …>Title</a> (PDF, 1,2 MB)
    {{ document.file|file_summary }}                                         PDF, 1,2 MB
"""

from django import template

from engine import files

register = template.Library()

register.filter("file_summary", files.file_summary)


@register.inclusion_tag("engine/_file_link.html")
def file_link(url: str, text: str, field_file) -> dict:
    return {"url": url, "text": text, "summary": files.file_summary(field_file)}
