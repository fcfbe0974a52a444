"""Stage 6, report: renderers for findings and tables (one function + one registration per format)."""
