"""The one part of the build pyproject.toml cannot say: the repository's top-level `corpus/` and
`resources/` folders go into the package as `migarchive/corpus` and `migarchive/resources`.

They stay at the top of the repository (where people look for the archive and the gazetteer) and
are read at run time through `importlib.resources` (`migarchive.paths`). Packages are still found
by themselves under `src/`; pyproject.toml's `packages.find` cannot be combined with packages
mapped from elsewhere, hence this file.
"""

from setuptools import find_packages, setup

# Package name inside migarchive -> folder at the repository root.
DATA_FOLDERS = {"migarchive.corpus": "corpus", "migarchive.resources": "resources"}

setup(
    packages=[*find_packages("src"), *DATA_FOLDERS],
    package_dir={"": "src", **DATA_FOLDERS},
    package_data={
        "migarchive": ["py.typed"],
        # The corpus's own files only: `imported/` holds what a developer added to the checkout's
        # archive, which is theirs, not part of the release.
        "migarchive.corpus": ["*"],
        "migarchive.resources": ["**/*"],
    },
    exclude_package_data={"migarchive.corpus": ["imported/*"]},
)
