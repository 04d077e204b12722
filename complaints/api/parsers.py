"""The API's JSON parser: DRF's, with JSON nested too deeply refused as a parse error.

Python's json module raises RecursionError (not ValueError, which DRF turns into a
400) on a body like ``[[[[...]]]]`` nested some thousands deep, so such a request,
a few hundred kilobytes long, was a server error.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
