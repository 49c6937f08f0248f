"""Server-rendered pages: the dashboard for officials and the public transparency page.

What both need once: the templates and their language, the page's security headers, the
assets served by monitoring itself (no CDN), the charts' data, and the route class that
turns a missing sign-in or a refused request into a page instead of problem+json.
"""
