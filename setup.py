"""Packaging: the repository's top-level ``resources/`` ships inside the package.

pyproject.toml holds everything else; a mapped package cannot be declared there alongside
``find``, so this file names the packages: the code, and ``resources/`` installed as
``thep_desktop/resources`` (one copy in the repository, found by thep_desktop.installation).
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["thep_desktop*"]), "thep_desktop.resources"],
    package_dir={"thep_desktop.resources": "resources"},
    package_data={
        "thep_desktop": ["migrations/*.ini", "migrations/*.mako"],
        "thep_desktop.resources": ["**/*"],
    },
)
