"""Generate the Python code for every .proto under protos/ (make protos).

The generated *_pb2.py, *_pb2.pyi and *_pb2_grpc.py files sit next to their
.proto files and are never edited by hand. With --check, generate into a
temporary folder and fail when the committed code differs (stale).
"""

import filecmp
import pathlib
import sys
import tempfile

import grpc_tools
from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parent
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


def proto_files() -> list[pathlib.Path]:
    return sorted(ROOT.glob("sbc/**/*.proto"))


def generate(out: pathlib.Path) -> None:
    include = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    for proto in proto_files():
        args = [
            "protoc",
            f"-I{ROOT}",
            f"-I{include}",
            f"--python_out={out}",
            f"--pyi_out={out}",
            f"--grpc_python_out={out}",
            str(proto.relative_to(ROOT)),
        ]
        if protoc.main(args) != 0:
            sys.exit(f"protoc failed on {proto}")


def generated_files(base: pathlib.Path) -> set[pathlib.Path]:
    return {p.relative_to(base) for p in base.glob("sbc/**/*") if p.name.endswith(GENERATED_SUFFIXES)}


def check() -> list[str]:
    """Return the generated files that are stale, missing or extra."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = pathlib.Path(tmp)
        generate(fresh)
        want, have = generated_files(fresh), generated_files(ROOT)
        problems = [f"missing: {p}" for p in sorted(want - have)]
        problems += [f"extra: {p}" for p in sorted(have - want)]
        problems += [f"stale: {p}" for p in sorted(want & have) if not filecmp.cmp(fresh / p, ROOT / p, shallow=False)]
        return problems


def main() -> None:
    if "--check" in sys.argv:
        problems = check()
        if problems:
            sys.exit("generated code is stale; run `make protos`:\n  " + "\n  ".join(problems))
        print("generated code is up to date")
        return
    for p in generated_files(ROOT):
        (ROOT / p).unlink()
    generate(ROOT)
    print(f"generated code for {len(proto_files())} proto files")


if __name__ == "__main__":
    main()
