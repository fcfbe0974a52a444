"""`auditor serve`: the reviewer's workbench in the browser (upload, background auditing, report view with the page
image and the table, verdicts stored in the DuckDB store, exports, archive view, JSON API). See docs/WEB.md.

Needs the ``web`` extra (starlette, uvicorn, python-multipart); nothing is fetched from the network at run time."""
