"""The committed generated code (*_pb2.py, *_pb2.pyi, *_pb2_grpc.py) matches
the .proto files: fails when someone edits a .proto and forgets `make protos`."""

import importlib.util
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def load_generate():
    spec = importlib.util.spec_from_file_location("protos_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_code_is_up_to_date():
    generate = load_generate()
    assert generate.proto_files(), "no .proto files found"
    problems = generate.check()
    assert problems == [], "generated code is stale; run `make protos`:\n  " + "\n  ".join(problems)
