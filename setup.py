"""Packaging beyond pyproject.toml.

- The domain lexicons stay in the top-level ``lexicons/`` folder of the source tree and are shipped inside the wheel
  as the package data ``auditor/_lexicons/*.toml`` (found by ``auditor.lexicons.lexicon_dir``), so a non-editable
  ``pip install .`` audits from any folder.
- ``auditor.read._pdfium_fast`` (``auditor/read/_fast/``), the PDF reader's hot loops in C: the per-character and
  per-segment PDFium calls, table finding, cell texts, text lines (it links nothing:
  pypdfium2 hands it PDFium's function addresses at run time).  It is optional: where it cannot be compiled (no C
  compiler), the install goes on and the reader uses its Python code, with the same output, more slowly.  FMA
  contraction is turned off so that its floating-point results are the Python code's, bit for bit.
"""
from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext


class BuildExt(build_ext):
    def build_extensions(self):
        if self.compiler.compiler_type == "unix":
            for ext in self.extensions:
                ext.extra_compile_args = ["-O2", "-ffp-contract=off", "-fno-fast-math"]
        super().build_extensions()


setup(
    packages=find_packages(include=["auditor", "auditor.*"]) + ["auditor._lexicons"],
    package_dir={"auditor._lexicons": "lexicons"},
    package_data={"auditor._lexicons": ["*.toml"]},
    ext_modules=[Extension("auditor.read._pdfium_fast", ["auditor/read/_fast/module.c"], optional=True,
                           depends=[f"auditor/read/_fast/{f}.c" for f in ("page", "cells", "lines", "tables")])],
    cmdclass={"build_ext": BuildExt},
)
