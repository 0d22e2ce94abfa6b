#!/usr/bin/env python3
"""Writes Sources/ConflictQLSpark/Generated/*.pb.swift from the Spark Connect protocol of an installed PySpark.

    python3 Tests/Spark/generate_protos.py PATH/TO/protoc-gen-swift [PATH/TO/site-packages/pyspark]

Run it once per Spark version and commit the output; the build does not run protoc (SwiftPM's
protobuf plugin would cost every clean build minutes). The .proto files are not in PySpark's
package, but its generated modules (pyspark/sql/connect/proto/*_pb2.py) carry each file's
FileDescriptorProto as Spark compiled it; those are gathered into a FileDescriptorSet with
google/protobuf/any.proto (from Debian's protobuf-compiler) and given to protoc, so the Swift
messages have exactly the field numbers, names and types of that Spark release. Needs protoc
(apt: protobuf-compiler) and protoc-gen-swift built from swift-protobuf 1.39.0
(`swift build --product protoc-gen-swift` in a checkout of it).
"""
import ast
import glob
import os
import subprocess
import sys
import tempfile

FILES = ["base", "commands", "common", "expressions", "relations", "types", "catalog", "ml", "ml_common"]


def varint(n):
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def descriptors(pyspark):
    """FileDescriptorSet bytes: field 1 (repeated FileDescriptorProto) once per module."""
    out = bytearray()
    for path in sorted(glob.glob(os.path.join(pyspark, "sql/connect/proto/*_pb2.py"))):
        for node in ast.walk(ast.parse(open(path).read())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "AddSerializedFile":
                data = ast.literal_eval(node.args[0])
                out += b"\x0a" + varint(len(data)) + data
    return bytes(out)


def main():
    plugin = sys.argv[1]
    if len(sys.argv) > 2:
        pyspark = sys.argv[2]
    else:
        import pyspark as module
        pyspark = os.path.dirname(module.__file__)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    output = os.path.join(root, "Sources/ConflictQLSpark/Generated")
    with tempfile.TemporaryDirectory() as work:
        wkt = os.path.join(work, "wkt.pb")
        subprocess.run(["protoc", "--include_imports", "--descriptor_set_out=" + wkt, "-I/usr/include",
                        "/usr/include/google/protobuf/any.proto"], check=True)
        combined = os.path.join(work, "all.pb")
        with open(combined, "wb") as f:
            f.write(open(wkt, "rb").read() + descriptors(pyspark))
        for old in glob.glob(os.path.join(output, "*.pb.swift")):
            os.remove(old)
        subprocess.run(["protoc", "--descriptor_set_in=" + combined, "--plugin=protoc-gen-swift=" + plugin,
                        "--swift_out=" + output, "--swift_opt=Visibility=Internal,FileNaming=PathToUnderscores"]
                       + ["spark/connect/%s.proto" % name for name in FILES], check=True)
    print("wrote", len(FILES), "files to", output)


if __name__ == "__main__":
    main()
