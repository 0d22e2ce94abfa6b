// Helpers shared by the tests: run text through a fresh session and get what the command
// line would print, or the rendered diagnostics.

import ConflictQL
import Foundation
import XCTest

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/ConflictQLTests/Support.swift
    return parts.joined(separator: "/")
}()

/// Runs `text` in a fresh session and returns the output as `conflictql` prints it.
func output(_ text: String, format: OutputFormat = .table, file: StaticString = #filePath, line: UInt = #line) -> String {
    // Results of loaded files show their load time: fixed, so that outputs can be compared.
    setenv("SOURCE_DATE_EPOCH", fixedClock, 1)
    let session = Session()
    let formatter = ResultFormatter(format: format)
    var out = ""
    do {
        try session.run(Source(name: "<test>", text: text)) { out += formatter.format($0) }
    } catch let error as DiagnosticError {
        XCTFail("unexpected error:\n" + DiagnosticRenderer().render(error.diagnostics, in: error.source), file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
    return out
}

/// The rendered diagnostics for `text` (empty when it runs without error).
func diagnostics(_ text: String, name: String = "<test>") -> String {
    let session = Session()
    do {
        try session.run(Source(name: name, text: text)) { _ in }
        return ""
    } catch let error as DiagnosticError {
        return DiagnosticRenderer().render(error.diagnostics, in: error.source)
    } catch {
        return "\(error)"
    }
}

/// The single value of a one-row, one-column query, or of a bare expression.
func value(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Value? {
    do {
        let results = try Session().run(text)
        switch results.last {
        case .value(let v, _): return v
        case .table(let table):
            XCTAssertEqual(table.rowCount, 1, "expected one row", file: file, line: line)
            XCTAssertEqual(table.columns.count, 1, "expected one column", file: file, line: line)
            return table.rowCount == 1 ? table.columns[0].value(at: 0) : nil
        default:
            XCTFail("no result", file: file, line: line)
            return nil
        }
    } catch let error as DiagnosticError {
        XCTFail(DiagnosticRenderer().render(error.diagnostics, in: error.source), file: file, line: line)
        return nil
    } catch {
        XCTFail("\(error)", file: file, line: line)
        return nil
    }
}

/// All rows of a query.
func rows(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [[Value]] {
    do {
        guard case .table(let table) = try Session().run(text).last else {
            XCTFail("not a table", file: file, line: line)
            return []
        }
        return table.rows
    } catch let error as DiagnosticError {
        XCTFail(DiagnosticRenderer().render(error.diagnostics, in: error.source), file: file, line: line)
        return []
    } catch {
        XCTFail("\(error)", file: file, line: line)
        return []
    }
}

/// Runs a program to its end with no standard input: its exit status and both outputs.
func runProcess(_ executable: URL, _ arguments: [String], environment: [String: String],
                directory: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// Runs `executable` with `arguments` in `directory`, with `stdin` written to it and
/// `environment` added to this process's; its exit status and what it wrote.
func runProcess(_ executable: URL, _ arguments: [String], in directory: URL, stdin: String? = nil,
                environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

/// A session holding `text` (CSV) loaded as `name`; the file is gone once it is loaded.
func session(loading text: String, as name: String = "t") throws -> Session {
    let session = Session()
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("loaded-\(UUID().uuidString).csv").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    try session.load(path: path, as: name)
    return session
}
