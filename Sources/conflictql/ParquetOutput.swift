// `--format parquet`, `.mode parquet` and `.output FILE.parquet`: a table written as a Parquet
// file (the library's ParquetWriter). A Parquet file holds one table, so a second result for
// the same file is refused, as is a single value, and binary is never written to a terminal.
// Everything is checked before the first byte; the `.output` file is written to a temporary
// file and renamed when closed (OutputFile.swift), so an error leaves no partial file.

import ConflictQL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a result as Parquet through `emit`; `alreadyWrote` says whether the target holds a
/// table already, `target` names it in messages (nil: standard output).
func writeParquet(_ result: StatementResult, target: String?, alreadyWrote: Bool,
                  emit: ([UInt8]) throws -> Void) throws -> Bool {
    let table: Table
    switch ResultFormatter.parquetTable(result) {
    case .failure(let refusal): throw refusal
    case .success(nil): return false
    case .success(let written?): table = written
    }
    if target == nil && isatty(STDOUT_FILENO) != 0 {
        throw ParquetRefusal(.parquetToTerminal)
    }
    if alreadyWrote {
        throw ParquetRefusal(.parquetSecondTable(target.map { "'\($0)'" } ?? "standard output"))
    }
    try ParquetWriter.write(table, to: emit)
    return true
}

extension ScriptRunner {
    /// Whether results go out as Parquet: the format, or an `.output` file named `.parquet`.
    var writesParquet: Bool {
        formatter.format == .parquet || output?.path.lowercased().hasSuffix(".parquet") == true
    }

    func showParquet(_ result: StatementResult) throws {
        let alreadyWrote = output == nil ? wroteToStandardOutput : wroteToOutputFile
        let wrote = try writeParquet(result, target: output?.path, alreadyWrote: alreadyWrote) { bytes in
            if let output { try output.write(bytes: bytes) } else if let failure = writeAll(STDOUT_FILENO, bytes: bytes) {
                throw WriteFailure(target: "to standard output", errorNumber: failure)
            }
        }
        if wrote { if output == nil { wroteToStandardOutput = true } else { wroteToOutputFile = true } }
    }
}

extension REPL {
    var writesParquet: Bool {
        formatter.format == .parquet || output?.path.lowercased().hasSuffix(".parquet") == true
    }

    func showParquet(_ result: StatementResult) throws {
        let wrote = try writeParquet(result, target: output?.path, alreadyWrote: output != nil && outputHasResult) { bytes in
            if let output { try output.write(bytes: bytes) } else if let failure = writeAll(STDOUT_FILENO, bytes: bytes) {
                throw WriteFailure(target: "to standard output", errorNumber: failure)
            }
        }
        if wrote && output != nil { outputHasResult = true }
    }
}
