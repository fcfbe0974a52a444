"""Stage 6, report: renderers for findings and tables (one function + one registration per format)."""

# the file name extension of a report in each format (`auditor check -o DIR/` and `auditor batch`)
EXTENSIONS = {"json": ".json", "html": ".html", "md": ".md", "csv": ".csv", "xlsx": ".xlsx", "text": ".txt"}
