"""Gunicorn settings, read from the working directory (the image's /app) by every gunicorn start.

The access log leaves out the query string and the referrer: a search typed into a staff page
(``/cases/?q=<complainant name>``) would otherwise write a complainant's name or email address
to the log on every request. Personal data never goes to the logs (issue 11); the path, method,
status, size and time are what operations need.
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
