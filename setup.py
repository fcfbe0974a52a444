"""Packaging beyond pyproject.toml: the domain lexicons stay in the top-level ``lexicons/`` folder of the source
tree and are shipped inside the wheel as the package data ``auditor/_lexicons/*.toml`` (found by
``auditor.lexicons.lexicon_dir``), so a non-editable ``pip install .`` audits from any folder."""
from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["auditor", "auditor.*"]) + ["auditor._lexicons"],
    package_dir={"auditor._lexicons": "lexicons"},
    package_data={"auditor._lexicons": ["*.toml"]},
)
