"""Where every service finds its districts' data: the files it ships with (the pilot, Xiuzhou) and,
when DISTRICTS_DIR is set, one sub-folder per district code in that folder, each holding the
services' files for that district, named `<service>.<file>.json` (e.g. `330499/egov.json`,
`330499/servicedesk.standards.json`). An SRE adds a district by mounting its folder (the chart's
`districts:` values), with no image change.

A district's code is the 6-digit code its area codes begin with. Anything that would make a
district's data ambiguous stops the start with the file to mend: a folder that does not exist,
a sub-folder not named by a code, a file that is not JSON, a file that names another district than
its folder, or a district both built in and in the folder."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Callable, Mapping

from runtime.errors import InvalidArgument
from runtime.settings import REPO_ROOT, env


class DistrictDataError(SystemExit):
    """District data that cannot be loaded: the message names the file."""


def is_district_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def check_district_code(code: str, field: str = "district_code") -> None:
    """A district code a caller named: INVALID_ARGUMENT naming the field unless it is 6 digits."""
    if not is_district_code(code or ""):
        raise InvalidArgument(f"{field} is a 6-digit district code, e.g. 330411", {field: "not a district code"})


def district_of(area_code: str) -> str:
    """The district an area (district, township or village code) lies in: its first 6 digits."""
    return area_code[:6]


def configured_dir() -> pathlib.Path | None:
    """DISTRICTS_DIR (absolute, or relative to the repository), or None when unset."""
    configured = env("DISTRICTS_DIR")
    if not configured:
        return None
    folder = pathlib.Path(configured)
    folder = folder if folder.is_absolute() else REPO_ROOT / folder
    if not folder.is_dir():
        raise DistrictDataError(f"DISTRICTS_DIR {folder} is not a folder")
    return folder


def district_folders(folder: pathlib.Path | None = None) -> dict[str, pathlib.Path]:
    """Each district's sub-folder of DISTRICTS_DIR (or of `folder`), by district code."""
    folder = configured_dir() if folder is None else folder
    if folder is None:
        return {}
    found = {}
    for sub in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        # Kubernetes mounts a ConfigMap's files through hidden ..data links: only names count.
        if not sub.is_dir():
            continue
        if not is_district_code(sub.name):
            raise DistrictDataError(f"{sub}: a district's folder is named by its 6-digit code")
        found[sub.name] = sub
    return found


def read_json(path: pathlib.Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DistrictDataError(f"{path}: not a readable JSON file ({exc})") from None
    if not isinstance(data, dict):
        raise DistrictDataError(f"{path}: a district's data file holds one JSON object")
    return data


def load(
    name: str,
    builtin: Mapping[str, pathlib.Path],
    code_of: Callable[[dict], str | None] = lambda data: None,
    folder: pathlib.Path | None = None,
) -> dict[str, dict]:
    """Every district's `name` file (e.g. "egov.json"), parsed, by district code: the
    built-in files (`builtin`, by code) and each DISTRICTS_DIR sub-folder that holds one. `code_of`
    reads the district code a file names, if it names one; it must be its folder's."""
    files = dict(builtin)
    for code, sub in district_folders(folder).items():
        path = sub / name
        if not path.is_file():
            continue
        if code in files:
            raise DistrictDataError(f"{path}: district {code} is built in already ({files[code]})")
        files[code] = path
    loaded = {}
    for code, path in files.items():
        data = read_json(path)
        try:
            named = code_of(data)
        except (KeyError, TypeError, AttributeError):
            raise DistrictDataError(f"{path}: the file does not say which district it is for") from None
        if named is not None and named != code:
            raise DistrictDataError(f"{path}: the file is for district {named!r}, its folder for {code}")
        loaded[code] = data
    return loaded


def builtin_by_code(folder: pathlib.Path, suffix: str = ".json") -> dict[str, pathlib.Path]:
    """A service's own data files named by district code (`data/330411.json`), by code."""
    return {
        p.name.removesuffix(suffix): p
        for p in sorted(folder.glob(f"[0-9]*{suffix}"))
        if is_district_code(p.name.removesuffix(suffix))
    }
